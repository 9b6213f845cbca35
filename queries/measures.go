package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
)

// Measure is one 具体举措 with its provenance: the file, sheet and row it was read from, the cells as
// written and how its task was matched.
type Measure struct {
	SubmissionID int
	Submitter    string
	Kind         string
	City         string
	TaskNo       int       // 0 when the row matched no task
	PrintedNo    string    // 序号 as printed
	AreaText     string    // 主要任务 as written
	TaskText     string    // 任务内容 as written
	Measure      string    // 具体举措
	Goal         string    // 完成目标, as written
	Owner        string    // 责任单位（部门）, as written
	Due          string    // 完成时间, as written
	DueDate      time.Time // zero when unreadable or ongoing
	Ongoing      bool
	Sheet        string
	Row          int // 1-based row in the sheet
	FileName     string
	MatchMethod  string // content / template / number / measure / none
	MatchScore   float64
	Status       string // current / superseded (of the version it belongs to)
	Item         int    // the measure's number within a 具体举措 cell that lists several; 0: the cell is one measure
	Cell         string // the whole 具体举措 cell when Item > 0
	// Key is the measure's stable key (measure_status.measure_key; "" for a version not current) and
	// Progress its latest reported status ("" before any progress round exists).
	Key, Progress string
}

// MeasureFilter narrows Measures. Zero values mean "all".
type MeasureFilter struct {
	Filter
	Submitter    string // roster name or alias
	SubmissionID int    // one version, whatever its status; 0: current submissions only
	Query        string // literal text looked for in measure, goal, owner and task text (case-insensitive)
	// OverdueAsOf, if set, keeps only measures due before that day (overdue then; 长期 never is).
	OverdueAsOf time.Time
	// Quarter, if set ("2022Q2"), keeps only measures due in that quarter: a bar of the deadlines chart.
	Quarter string
	Limit   int // 0: no limit
	Offset  int
}

func scanMeasure(rows interface{ Scan(...any) error }) (Measure, error) {
	var m Measure
	var due sql.NullTime
	err := rows.Scan(&m.SubmissionID, &m.Submitter, &m.Kind, &m.City, &m.TaskNo, &m.PrintedNo,
		&m.AreaText, &m.TaskText, &m.Measure, &m.Goal, &m.Owner, &m.Due, &due, &m.Ongoing,
		&m.Sheet, &m.Row, &m.FileName, &m.MatchMethod, &m.MatchScore, &m.Status, &m.Item, &m.Cell, &m.Key, &m.Progress)
	m.DueDate = timeOf(due)
	return m, err
}

// Measures lists measures, ordered by submitter, task, sheet and row. An unknown Submitter is
// ErrNotFound rather than an empty list, so a typo is not mistaken for "wrote nothing".
func (db *DB) Measures(ctx context.Context, f MeasureFilter) ([]Measure, error) {
	if f.SubmissionID != 0 && f == (MeasureFilter{SubmissionID: f.SubmissionID}) {
		return db.versionMeasures(ctx, f.SubmissionID, f.SubmissionID) // one version, nothing else asked
	}
	sub := ""
	if f.Submitter != "" {
		var err error
		if sub, err = db.ResolveSubmitter(ctx, f.Submitter); err != nil {
			return nil, fmt.Errorf("measures: %w", err)
		}
	}
	filter, err := db.checkFilter(ctx, f.Filter)
	if err != nil {
		return nil, fmt.Errorf("measures: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = math.MaxInt32
	}
	q := strings.TrimSpace(f.Query)
	return querySlice(ctx, db, "measures", func(rows *sql.Rows) (Measure, error) { return scanMeasure(rows) },
		filter.args(f.SubmissionID, sub, q, limit, max(f.Offset, 0), hasLatin(q), strings.ToLower(q), nullDate(f.OverdueAsOf), f.Quarter)...)
}

// versionMeasures are the measures of versions a and b (a == b for one), each version's in the
// order of Measures, version a's first when a < b.
func (db *DB) versionMeasures(ctx context.Context, a, b int) ([]Measure, error) {
	return querySlice(ctx, db, "measures.versions", func(rows *sql.Rows) (Measure, error) { return scanMeasure(rows) }, a, b)
}

// nullDate is t as a query argument, NULL when zero.
func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format("2006-01-02")
}

// hasLatin reports whether s has an ASCII letter, the only case worth folding in these texts.
func hasLatin(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 128 && unicode.IsLetter(r) })
}

// MeasureAt returns the measure read from the given row of the given sheet of a submission (any version);
// ErrNotFound if there is none.
func (db *DB) MeasureAt(ctx context.Context, submissionID int, sheet string, row int) (Measure, error) {
	return db.MeasureItemAt(ctx, submissionID, sheet, row, -1)
}

// MeasureItemAt is MeasureAt for one item of a cell that lists several measures; item < 0 takes the
// row's first.
func (db *DB) MeasureItemAt(ctx context.Context, submissionID int, sheet string, row, item int) (Measure, error) {
	m, err := scanMeasure(db.QueryRowContext(ctx, mustSQL("measure_at"), submissionID, sheet, row, item))
	if errors.Is(err, sql.ErrNoRows) {
		return Measure{}, fmt.Errorf("measure_at: %w", notFound("举措", fmt.Sprintf("文件%d %s 第%d行", submissionID, sheet, row)))
	}
	if err != nil {
		return Measure{}, fmt.Errorf("measure_at: %w", err)
	}
	return m, nil
}

// SearchResult groups what a free-text search found.
type SearchResult struct {
	Query      string
	Tasks      []TaskHit
	Submitters []SubmitterHit
	Measures   []Measure
}

// TaskHit is a task found by Search.
type TaskHit struct {
	TaskNo  int
	Area    string
	Content string
}

// SubmitterHit is a rostered submitter found by Search.
type SubmitterHit struct {
	Submitter string
	Kind      string
	City      string
}

// Search looks for q in tasks (number, text, area, departments), the roster (names, aliases, cities) and
// current measures; at most limit of each (0: 20). An empty q finds nothing.
func (db *DB) Search(ctx context.Context, q string, limit int) (SearchResult, error) {
	q = strings.TrimSpace(q)
	res := SearchResult{Query: q}
	if q == "" {
		return res, nil
	}
	if limit <= 0 {
		limit = 20
	}
	var err error
	res.Tasks, err = querySlice(ctx, db, "search.tasks", func(rows *sql.Rows) (TaskHit, error) {
		var h TaskHit
		return h, rows.Scan(&h.TaskNo, &h.Area, &h.Content)
	}, q, limit)
	if err != nil {
		return SearchResult{}, err
	}
	res.Submitters, err = querySlice(ctx, db, "search.submitters", func(rows *sql.Rows) (SubmitterHit, error) {
		var h SubmitterHit
		return h, rows.Scan(&h.Submitter, &h.Kind, &h.City)
	}, q, limit)
	if err != nil {
		return SearchResult{}, err
	}
	res.Measures, err = db.Measures(ctx, MeasureFilter{Query: q, Limit: limit})
	if err != nil {
		return SearchResult{}, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// LocalUnit is one 责任单位 as submitters wrote it, normalised: provincial bodies are mapped to their
// canonical name (Department set); anything else is kept as written (brackets such as （牵头） dropped).
type LocalUnit struct {
	Unit         string
	Department   string   // canonical provincial department, "" when the unit is not one
	NormalisedBy string   // department / alias / mapping, "" when kept as written
	Measures     int      // current measure rows naming the unit
	Submitters   int      // distinct submitters naming it
	Names        []string // those submitters
	Spellings    []string // the pieces as written before normalising
}

// LocalUnits lists the responsible units written in current measures, most used first.
func (db *DB) LocalUnits(ctx context.Context, f Filter) ([]LocalUnit, error) {
	f, err := db.checkFilter(ctx, f)
	if err != nil {
		return nil, err
	}
	return querySlice(ctx, db, "local_units", func(rows *sql.Rows) (LocalUnit, error) {
		var u LocalUnit
		var names, spellings string
		err := rows.Scan(&u.Unit, &u.Department, &u.NormalisedBy, &u.Measures, &u.Submitters, &names, &spellings)
		u.Names, u.Spellings = splitList(names), splitList(spellings)
		return u, err
	}, f.args()...)
}
