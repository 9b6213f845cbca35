package queries

import (
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// The rows an ingest run writes, one type per table, fields named for the columns. A zero int or
// time or an empty string is written as NULL where the column is nullable and the comment says so;
// the columns' order (schema/*.sql, later columns appended by ALTER TABLE) is known here only.

// FileRow is one files row.
type FileRow struct {
	SubmissionID, RunID int
	FileName            string
	SourcePath          string
	ArchivePath         string
	SHA256              string // for an empty file, the hash then "#" and the name (files.sha256 is unique)
	SizeBytes           int64
	Submitter, Kind     string // "" = NULL (unknown)
	ModifiedAt          time.Time
	IngestedAt          time.Time
	Rejected            bool
	Reason              string // "" = NULL
	Sheet               string // "" = NULL
	UnitCell            string // "" = NULL
	IdentitySource      string // "" = NULL
	DocKind             string
	Pages               int // 0 = NULL
}

// MeasureRow is one measure_rows row.
type MeasureRow struct {
	SubmissionID                  int
	Sheet                         string
	Row                           int
	PrintedNo, AreaText, TaskText string // "" = NULL
	TaskNo                        int    // 0 = NULL
	MatchMethod                   string
	MatchScore                    float64
	Measure                       string
	Goal, Owner, Due              string    // "" = NULL
	DueDate                       time.Time // zero = NULL
	Ongoing                       bool
	Item                          int
	Cell                          string // "" = NULL
}

// CommitmentRow is one commitment_rows row: a quantity of 完成目标, with its measure word as written.
type CommitmentRow struct {
	QuantityRow
	UnitWritten string // "" = NULL
}

// FindingRow is one finding_rows row.
type FindingRow struct {
	SubmissionID            int
	Sheet                   string // "" = NULL
	Row                     int    // 0 = NULL
	Severity, Code, Message string
}

// ProgressRow is one progress_rows row.
type ProgressRow struct {
	SubmissionID                      int
	Sheet                             string
	Row                               int
	MeasureKey                        string // "" = NULL (a new measure)
	LinkMethod                        string
	LinkScore                         float64
	TaskNo                            int    // 0 = NULL
	Measure, Status, StatusText       string // "" = NULL
	Percent                           *float64
	AchievedText, Note, Evidence, Lag string // "" = NULL
}

// QuantityRow is one progress_quantity_rows row (a quantity of 已完成数量), and the columns a
// commitment shares with it.
type QuantityRow struct {
	SubmissionID int
	Sheet        string
	Row, Seq     int
	TaskNo       int    // 0 = NULL
	Metric       string // "" = NULL
	Value        float64
	Unit         string // "" = NULL
	Source       string
}

// Appender appends typed rows into the run's transaction through DuckDB appenders (much faster than
// INSERTs for the hundreds of thousands of rows of a full run), one per table, opened on first use.
type Appender struct {
	dc      driver.Conn
	apps    map[string]*duckdb.Appender
	open    []*duckdb.Appender
	pending map[*duckdb.Appender]int // rows appended since the appender's last flush
}

// FlushRows is how many rows a table's appender holds before it hands them to the transaction.
// DuckDB's appender buffers rows outside its memory budget (memory_limit does not see them) until
// 204,800 (its own flush count): ≈100 MB of measure_rows at ≈3,600 files; handed over every FlushRows, they go
// to the transaction's storage, which DuckDB writes to the file a row group at a time and can
// evict. Measured in docs/BENCHMARKS.md, "Ingest memory (issue 19, aim 2)". A variable so a test
// can make every few rows a flush.
var FlushRows = 16384

// Append runs fn with an Appender on the transaction's connection and flushes every appender into
// the transaction when fn returns; fn's error wins over a flush error. The appenders live on the
// same connection after BEGIN, so their rows commit or roll back with the run
// (TestAppenderInTransaction).
func (tx *IngestTx) Append(fn func(*Appender) error) error {
	return tx.conn.Raw(func(dc any) error {
		a := &Appender{dc: dc.(driver.Conn), apps: map[string]*duckdb.Appender{}, pending: map[*duckdb.Appender]int{}}
		err := fn(a)
		if cerr := a.close(); err == nil {
			err = cerr
		}
		return err
	})
}

func (a *Appender) table(name string) (*duckdb.Appender, error) {
	if ap, ok := a.apps[name]; ok {
		return ap, nil
	}
	ap, err := duckdb.NewAppenderFromConn(a.dc, "", name)
	if err != nil {
		return nil, fmt.Errorf("appender %s: %w", name, err)
	}
	a.apps[name] = ap
	a.open = append(a.open, ap)
	return ap, nil
}

// close flushes every appender in the order opened; the first error wins.
func (a *Appender) close() error {
	var first error
	for _, ap := range a.open {
		if err := ap.Close(); err != nil && first == nil {
			first = fmt.Errorf("appender flush: %w", err)
		}
	}
	a.apps, a.open = nil, nil
	return first
}

func (a *Appender) row(table string, vals ...driver.Value) error {
	ap, err := a.table(table)
	if err != nil {
		return err
	}
	if err := ap.AppendRow(vals...); err != nil {
		return err
	}
	if a.pending[ap]++; a.pending[ap] >= FlushRows {
		a.pending[ap] = 0
		if err := ap.Flush(); err != nil {
			return fmt.Errorf("appender %s flush: %w", table, err)
		}
	}
	return nil
}

// File appends a files row.
func (a *Appender) File(r FileRow) error {
	return a.row("files", int32(r.SubmissionID), int32(r.RunID), r.FileName, r.SourcePath, r.ArchivePath, r.SHA256,
		r.SizeBytes, nullStr(r.Submitter), nullStr(r.Kind), r.ModifiedAt, r.IngestedAt, r.Rejected, nullStr(r.Reason),
		nullStr(r.Sheet), nullStr(r.UnitCell), nullStr(r.IdentitySource), r.DocKind, nullInt(r.Pages))
}

// Measure appends a measure_rows row.
func (a *Appender) Measure(r MeasureRow) error {
	var due any
	if !r.DueDate.IsZero() {
		due = r.DueDate
	}
	return a.row("measure_rows", int32(r.SubmissionID), r.Sheet, int32(r.Row), nullStr(r.PrintedNo), nullStr(r.AreaText),
		nullStr(r.TaskText), nullInt(r.TaskNo), r.MatchMethod, r.MatchScore, r.Measure, nullStr(r.Goal), nullStr(r.Owner),
		nullStr(r.Due), due, r.Ongoing, int32(r.Item), nullStr(r.Cell))
}

// Commitment appends a commitment_rows row.
func (a *Appender) Commitment(r CommitmentRow) error {
	return a.row("commitment_rows", int32(r.SubmissionID), r.Sheet, int32(r.Row), int32(r.Seq), nullInt(r.TaskNo),
		nullStr(r.Metric), r.Value, nullStr(r.Unit), r.Source, nullStr(r.UnitWritten))
}

// Finding appends a finding_rows row.
func (a *Appender) Finding(r FindingRow) error {
	return a.row("finding_rows", int32(r.SubmissionID), nullStr(r.Sheet), nullInt(r.Row), r.Severity, r.Code, r.Message)
}

// FileRound appends a file_rounds row: the file belongs to round, not to the plan round.
func (a *Appender) FileRound(submissionID, round int) error {
	return a.row("file_rounds", int32(submissionID), int32(round))
}

// Progress appends a progress_rows row.
func (a *Appender) Progress(r ProgressRow) error {
	var pct any
	if r.Percent != nil {
		pct = *r.Percent
	}
	return a.row("progress_rows", int32(r.SubmissionID), r.Sheet, int32(r.Row), nullStr(r.MeasureKey), r.LinkMethod,
		r.LinkScore, nullInt(r.TaskNo), nullStr(r.Measure), nullStr(r.Status), nullStr(r.StatusText), pct,
		nullStr(r.AchievedText), nullStr(r.Note), nullStr(r.Evidence), nullStr(r.Lag))
}

// Quantity appends a progress_quantity_rows row.
func (a *Appender) Quantity(r QuantityRow) error {
	return a.row("progress_quantity_rows", int32(r.SubmissionID), r.Sheet, int32(r.Row), int32(r.Seq), nullInt(r.TaskNo),
		nullStr(r.Metric), r.Value, nullStr(r.Unit), r.Source)
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return int32(n)
}
