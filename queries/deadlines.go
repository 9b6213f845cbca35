package queries

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// Deadlines counts current measures by when they are due, against an as-of date. The status counts are
// exclusive and add up to Total: Overdue (due before AsOf), DueByTarget (from AsOf to the end of the
// 2022 target year), Later (after 2022), Ongoing (长期/持续推进…), NoDate (blank or unreadable).
// WithinTargetYear (due on or before 2022-12-31, whatever AsOf) overlaps them.
type Deadlines struct {
	AsOf             time.Time
	Total            int
	Overdue          int
	DueByTarget      int
	Later            int
	Ongoing          int
	NoDate           int
	WithinTargetYear int
	ByQuarter        []PeriodCount // "2022Q2", in order; only periods with a measure
	ByMonth          []PeriodCount // "2022-06", in order
}

// PeriodCount is the number of measures due in one period, and how many of them are overdue at AsOf.
type PeriodCount struct {
	Period   string
	Measures int
	Overdue  int
}

// Deadlines returns the due-date picture at asOf (zero: today) for the measures the filter keeps.
func (db *DB) Deadlines(ctx context.Context, asOf time.Time, f Filter) (Deadlines, error) {
	return db.deadlines(ctx, asOf, f, "")
}

// SubmitterDeadlines is Deadlines over one submitter's own plan (a name or an alias): for a city, without
// its colleges.
func (db *DB) SubmitterDeadlines(ctx context.Context, asOf time.Time, submitter string) (Deadlines, error) {
	name, err := db.ResolveSubmitter(ctx, submitter)
	if err != nil {
		return Deadlines{}, fmt.Errorf("deadlines: %w", err)
	}
	return db.deadlines(ctx, asOf, Filter{}, name)
}

func (db *DB) deadlines(ctx context.Context, asOf time.Time, f Filter, submitter string) (Deadlines, error) {
	if asOf.IsZero() {
		asOf = time.Now()
	}
	f, err := db.checkFilter(ctx, f)
	if err != nil {
		return Deadlines{}, err
	}
	type group struct {
		month, bucket string
		n             int
	}
	groups, err := querySlice(ctx, db, "deadlines", func(rows *sql.Rows) (group, error) {
		var g group
		return g, rows.Scan(&g.month, &g.bucket, &g.n)
	}, f.args(asOf, submitter)...)
	if err != nil {
		return Deadlines{}, err
	}
	d := Deadlines{AsOf: asOf}
	months := map[string]*PeriodCount{}
	quarters := map[string]*PeriodCount{}
	add := func(m map[string]*PeriodCount, period string, g group) {
		p := m[period]
		if p == nil {
			p = &PeriodCount{Period: period}
			m[period] = p
		}
		p.Measures += g.n
		if g.bucket == "overdue" {
			p.Overdue += g.n
		}
	}
	for _, g := range groups {
		d.Total += g.n
		switch g.bucket {
		case "ongoing":
			d.Ongoing += g.n
		case "no_date":
			d.NoDate += g.n
		case "overdue":
			d.Overdue += g.n
		case "due_by_target":
			d.DueByTarget += g.n
		case "later":
			d.Later += g.n
		default:
			return Deadlines{}, fmt.Errorf("deadlines: unknown bucket %q", g.bucket)
		}
		if g.month == "" {
			continue
		}
		if g.month <= "2022-12" {
			d.WithinTargetYear += g.n
		}
		add(months, g.month, g)
		q, err := quarterOf(g.month)
		if err != nil {
			return Deadlines{}, fmt.Errorf("deadlines: %w", err)
		}
		add(quarters, q, g)
	}
	d.ByMonth, d.ByQuarter = sortedPeriods(months), sortedPeriods(quarters)
	return d, nil
}

// quarterOf turns "2022-06" into "2022Q2".
func quarterOf(month string) (string, error) {
	if len(month) != 7 {
		return "", fmt.Errorf("month %q", month)
	}
	m, err := strconv.Atoi(month[5:])
	if err != nil || m < 1 || m > 12 {
		return "", fmt.Errorf("month %q", month)
	}
	return month[:4] + "Q" + strconv.Itoa((m+2)/3), nil
}

func sortedPeriods(m map[string]*PeriodCount) []PeriodCount {
	out := make([]PeriodCount, 0, len(m))
	for _, p := range m {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Period < out[j].Period })
	return out
}
