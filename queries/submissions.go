package queries

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"golang.org/x/sync/errgroup"
)

// Submission is one file ever received, with its verdict.
type Submission struct {
	SubmissionID   int
	FileName       string
	SHA256         string
	Submitter      string // "" when unknown
	Kind           string
	City           string
	ModifiedAt     time.Time // docProps modified, else the file's mtime; zero if unknown
	IngestedAt     time.Time
	Status         string // current / superseded / rejected
	Reason         string // the rejection, "" unless rejected
	ReasonCode     string // corrupt, legacy_xls, encrypted, empty, not_checklist, too_large, not_xlsx, unknown_submitter, wrong_unit
	SizeBytes      int64
	Sheet          string
	UnitCell       string
	IdentitySource string
	ArchivePath    string
	RunID          int
	Measures       int
	Findings       int
	Errors         int
	Warnings       int
}

// SubmissionFilter narrows Submissions. Zero values mean "all".
type SubmissionFilter struct {
	Submitter    string // roster name or alias
	Kind         string
	City         string
	Status       string // current / superseded / rejected
	ReasonCode   string
	SubmissionID int
	// Limit and Offset page the list (newest first); Limit 0 keeps every row. Every version of every
	// file is listed, so at tens of thousands of files a page must not take them all.
	Limit, Offset int
}

// Submissions lists every file received that the filter keeps, newest first.
func (db *DB) Submissions(ctx context.Context, f SubmissionFilter) ([]Submission, error) {
	files, _, err := db.submissions(ctx, f)
	return files, err
}

// PreviousVersion is the accepted version received just before cur among versions (one submitter's
// Submissions): the latest earlier one by modified time, then by id — the order that decides which
// version is current. nil when cur is the first.
func PreviousVersion(versions []Submission, cur Submission) *Submission {
	earlier := func(a, b Submission) bool {
		if !a.ModifiedAt.Equal(b.ModifiedAt) {
			return a.ModifiedAt.Before(b.ModifiedAt)
		}
		return a.SubmissionID < b.SubmissionID
	}
	var best *Submission
	for i := range versions {
		v := &versions[i]
		if v.Status == "rejected" || v.SubmissionID == cur.SubmissionID {
			continue
		}
		if earlier(*v, cur) && (best == nil || earlier(*best, *v)) {
			best = v
		}
	}
	return best
}

// SubmissionPage is one page of Submissions and how many files the filter keeps in all.
type SubmissionPage struct {
	Files []Submission
	Total int
}

// SubmissionsPage lists one page of the files the filter keeps, newest first, with their total.
func (db *DB) SubmissionsPage(ctx context.Context, f SubmissionFilter) (SubmissionPage, error) {
	files, total, err := db.submissions(ctx, f)
	return SubmissionPage{Files: files, Total: total}, err
}

func (db *DB) submissions(ctx context.Context, f SubmissionFilter) ([]Submission, int, error) {
	sub := ""
	if f.Submitter != "" {
		var err error
		if sub, err = db.ResolveSubmitter(ctx, f.Submitter); err != nil {
			return nil, 0, fmt.Errorf("submissions: %w", err)
		}
	}
	limit := int64(f.Limit)
	if limit <= 0 {
		limit = math.MaxInt64
	}
	total := 0
	files, err := querySlice(ctx, db, "submissions", func(rows *sql.Rows) (Submission, error) {
		var s Submission
		var mod sql.NullTime
		err := rows.Scan(&s.SubmissionID, &s.FileName, &s.SHA256, &s.Submitter, &s.Kind, &s.City,
			&mod, &s.IngestedAt, &s.Status, &s.Reason, &s.ReasonCode,
			&s.SizeBytes, &s.Sheet, &s.UnitCell, &s.IdentitySource, &s.ArchivePath, &s.RunID,
			&s.Measures, &s.Findings, &s.Errors, &s.Warnings, &total)
		s.ModifiedAt = timeOf(mod)
		return s, err
	}, sub, f.Kind, f.City, f.Status, f.ReasonCode, f.SubmissionID, limit, max(f.Offset, 0))
	if err == nil && len(files) == 0 && f.Offset > 0 {
		// Past the last page: the first page's total still tells the caller where the list ends.
		f.Offset, f.Limit = 0, 1
		_, total, err = db.submissions(ctx, f)
		return nil, total, err
	}
	return files, total, err
}

// Finding is one thing ingest could not read, guessed or wants corrected. Message is Chinese, for the submitter.
type Finding struct {
	SubmissionID int
	FileName     string
	Submitter    string
	Kind         string
	Status       string // of the submission
	Sheet        string // "" for a whole-file finding
	Row          int    // 0 for a whole-file or whole-sheet finding
	Severity     string // error / warning / info
	Code         string
	Message      string
}

// FindingFilter narrows Findings. Zero values mean "all".
type FindingFilter struct {
	SubmissionID int
	Submitter    string // roster name (as stored)
	Severity     string
	Code         string
	CurrentOnly  bool // only findings of current submissions
	Limit        int  // 0: no limit
}

// Findings lists findings in file, sheet and row order.
func (db *DB) Findings(ctx context.Context, f FindingFilter) ([]Finding, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = math.MaxInt32
	}
	return querySlice(ctx, db, "findings", func(rows *sql.Rows) (Finding, error) {
		var x Finding
		err := rows.Scan(&x.SubmissionID, &x.FileName, &x.Submitter, &x.Kind, &x.Status,
			&x.Sheet, &x.Row, &x.Severity, &x.Code, &x.Message)
		return x, err
	}, f.SubmissionID, f.Submitter, f.Severity, f.Code, f.CurrentOnly, limit)
}

// Diff is what changed between two versions of one submitter's checklist. Measures are keyed by task
// plus their text normalised (lower case, white space and punctuation removed): a key only in To is
// Added, only in From Removed; a key in both whose 完成目标, 责任单位 or 完成时间 differ (as written,
// trimmed) is Changed; otherwise it is counted in Unchanged. Rewording a measure therefore shows as one
// removal and one addition.
type Diff struct {
	Submitter string
	From, To  Submission
	Added     []Measure
	Removed   []Measure
	Changed   []MeasureChange
	Unchanged int
}

// MeasureChange is a measure present in both versions with different goal, owner or due.
type MeasureChange struct {
	Before, After Measure
}

// VersionDiff compares two versions (submission ids) of one submitter (name or alias). ErrNotFound when
// the submitter is unknown or either id is not one of its files.
func (db *DB) VersionDiff(ctx context.Context, submitter string, fromID, toID int) (Diff, error) {
	name, err := db.ResolveSubmitter(ctx, submitter)
	if err != nil {
		return Diff{}, fmt.Errorf("version_diff: %w", err)
	}
	return db.versionDiff(ctx, name, nil, fromID, toID)
}

// VersionDiffAmong is VersionDiff for a caller that holds the submitter's files already: name is its
// roster name and versions what Submissions(SubmissionFilter{Submitter: name}) returned.
func (db *DB) VersionDiffAmong(ctx context.Context, name string, versions []Submission, fromID, toID int) (Diff, error) {
	return db.versionDiff(ctx, name, versions, fromID, toID)
}

// versionDiff reads the submitter's files when versions is nil.
func (db *DB) versionDiff(ctx context.Context, name string, versions []Submission, fromID, toID int) (Diff, error) {
	d := Diff{Submitter: name}
	type loc struct {
		sheet string
		row   int
	}
	type pair struct {
		change   string
		from, to loc
	}
	// Independent queries at once: a page waits for the slowest, not for the sum. Both versions'
	// measures come in one statement. Whether the two versions are the submitter's is checked after;
	// until then nothing read is shown.
	from, to := map[loc]Measure{}, map[loc]Measure{}
	var pairs []pair
	g, gctx := errgroup.WithContext(ctx)
	if versions == nil {
		g.Go(func() (err error) { versions, err = db.Submissions(gctx, SubmissionFilter{Submitter: name}); return })
	}
	g.Go(func() error {
		ms, err := db.versionMeasures(gctx, fromID, toID)
		for _, m := range ms {
			if m.SubmissionID == fromID {
				from[loc{m.Sheet, m.Row}] = m
			}
			if m.SubmissionID == toID {
				to[loc{m.Sheet, m.Row}] = m
			}
		}
		return err
	})
	g.Go(func() (err error) {
		pairs, err = querySlice(gctx, db, "version_diff", func(rows *sql.Rows) (pair, error) {
			var p pair
			return p, rows.Scan(&p.change, &p.from.sheet, &p.from.row, &p.to.sheet, &p.to.row)
		}, fromID, toID)
		return
	})
	if err := g.Wait(); err != nil {
		return Diff{}, fmt.Errorf("version_diff: %w", err)
	}
	for _, v := range []struct {
		id  int
		dst *Submission
	}{{fromID, &d.From}, {toID, &d.To}} {
		found := false
		for _, s := range versions {
			if s.SubmissionID == v.id {
				*v.dst, found = s, true
			}
		}
		if !found {
			return Diff{}, fmt.Errorf("version_diff: %w", notFound("文件", fmt.Sprintf("%s 的第%d号文件", name, v.id)))
		}
	}
	for _, p := range pairs {
		switch p.change {
		case "added":
			d.Added = append(d.Added, to[p.to])
		case "removed":
			d.Removed = append(d.Removed, from[p.from])
		case "changed":
			d.Changed = append(d.Changed, MeasureChange{Before: from[p.from], After: to[p.to]})
		default:
			d.Unchanged++
		}
	}
	return d, nil
}
