package queries

import (
	"context"
	"database/sql"
	"time"
)

// Corrections is what the correction list (exports.WriteCorrections) sends back to submitters: each
// submitter's current file, what to fix in it, and every rejected file.
type Corrections struct {
	Current  []CurrentFile       // one per submitter with a current submission, by submitter
	Findings []CorrectionFinding // of current submissions, by submitter, worst first
	Rejected []RejectedFile      // newest first
}

// CurrentFile is a submitter's current submission: its plan, or its return of a progress round.
type CurrentFile struct {
	Submitter string
	File      string
	Round     string // the progress round's name; "" for the plan
}

// CorrectionFinding is one thing to fix in a current submission. Row is 0 when it concerns no row.
type CorrectionFinding struct {
	Submitter, File, Sheet  string
	Row                     int
	Severity, Code, Message string
	Value                   string // the cell as written that the finding is about ("" if none)
}

// RejectedFile is a file ingest refused. Submitter is "" when it could not be told.
type RejectedFile struct {
	File, Submitter, ReasonCode, Reason string
	IngestedAt                          time.Time
}

// Corrections reads the correction list; submitter, if not "", keeps only that submitter's rows (a
// name or alias; an unknown one is ErrNotFound).
func (db *DB) Corrections(ctx context.Context, submitter string) (*Corrections, error) {
	if submitter != "" {
		canon, err := db.ResolveSubmitter(ctx, submitter)
		if err != nil {
			return nil, err
		}
		submitter = canon
	}
	var c Corrections
	var err error
	c.Current, err = querySlice(ctx, db, "corrections_current", func(rows *sql.Rows) (CurrentFile, error) {
		var f CurrentFile
		return f, rows.Scan(&f.Submitter, &f.File, &f.Round)
	}, submitter)
	if err != nil {
		return nil, err
	}
	c.Findings, err = querySlice(ctx, db, "corrections_findings", func(rows *sql.Rows) (CorrectionFinding, error) {
		var f CorrectionFinding
		return f, rows.Scan(&f.Submitter, &f.File, &f.Sheet, &f.Row, &f.Severity, &f.Code, &f.Message, &f.Value)
	}, submitter)
	if err != nil {
		return nil, err
	}
	c.Rejected, err = querySlice(ctx, db, "corrections_rejected", func(rows *sql.Rows) (RejectedFile, error) {
		var f RejectedFile
		return f, rows.Scan(&f.File, &f.Submitter, &f.ReasonCode, &f.Reason, &f.IngestedAt)
	}, submitter)
	if err != nil {
		return nil, err
	}
	return &c, nil
}
