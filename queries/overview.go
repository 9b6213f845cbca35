package queries

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"
)

// Overview is the front page: who returned, how much is covered, how much is open.
type Overview struct {
	AsOf time.Time

	CitiesExpected  int
	CitiesReturned  int
	MissingCities   []string // in roster order
	SchoolsExpected int
	SchoolsReturned int
	MissingSchools  []string // in roster order (grouped by city)

	// Pooled over the roster, kinds apart: addressed (submitter, task) pairs / expected pairs.
	CityPairsExpected    int
	CityPairsAddressed   int
	CityCoverage         float64
	SchoolPairsExpected  int
	SchoolPairsAddressed int
	SchoolCoverage       float64

	Measures              int // current measures
	UnmatchedMeasures     int // of those, matched to no task
	Commitments           int // quantities read from current 完成目标 cells
	AttributedCommitments int // of those, attributed to a target metric
	OverdueMeasures       int // due before AsOf, not ongoing

	Files         int // files ever received
	RejectedFiles int
	OpenErrors    int // findings of severity error on current submissions
	OpenWarnings  int // findings of severity warning on current submissions

	LatestIngests []IngestRun
}

// IngestRun is one run of ingest.
type IngestRun struct {
	RunID      int
	StartedAt  time.Time
	FinishedAt time.Time // zero while running or if it died
	Source     string
	Files      int // files the run looked at
	NewFiles   int // files it added (byte-identical files are not added again)
	Rejected   int
}

// latestIngests is how many runs Overview lists.
const latestIngests = 5

// Overview returns the headline figures; asOf dates the overdue count (zero: today).
func (db *DB) Overview(ctx context.Context, asOf time.Time) (Overview, error) {
	if asOf.IsZero() {
		asOf = time.Now()
	}
	o := Overview{AsOf: asOf}
	type missing struct{ name, kind, city string }
	var ms []missing
	// Three independent queries at once (see Submitter).
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		err := db.QueryRowContext(gctx, mustSQL("overview"), asOf).Scan(
			&o.CitiesExpected, &o.CitiesReturned, &o.SchoolsExpected, &o.SchoolsReturned,
			&o.CityPairsExpected, &o.CityPairsAddressed, &o.SchoolPairsExpected, &o.SchoolPairsAddressed,
			&o.Measures, &o.UnmatchedMeasures, &o.Commitments, &o.AttributedCommitments,
			&o.Files, &o.RejectedFiles, &o.OpenErrors, &o.OpenWarnings, &o.OverdueMeasures)
		if err != nil {
			return fmt.Errorf("overview: %w", err)
		}
		return nil
	})
	g.Go(func() (err error) {
		ms, err = querySlice(gctx, db, "overview.missing", func(rows *sql.Rows) (missing, error) {
			var m missing
			return m, rows.Scan(&m.name, &m.kind, &m.city)
		})
		return
	})
	g.Go(func() (err error) {
		o.LatestIngests, err = querySlice(gctx, db, "overview.ingests", func(rows *sql.Rows) (IngestRun, error) {
			var r IngestRun
			var fin sql.NullTime
			err := rows.Scan(&r.RunID, &r.StartedAt, &fin, &r.Source, &r.Files, &r.NewFiles, &r.Rejected)
			r.FinishedAt = timeOf(fin)
			return r, err
		}, latestIngests)
		return
	})
	if err := g.Wait(); err != nil {
		return Overview{}, err
	}
	o.CityCoverage = ratio(o.CityPairsAddressed, o.CityPairsExpected)
	o.SchoolCoverage = ratio(o.SchoolPairsAddressed, o.SchoolPairsExpected)
	order := db.rosterOrder()
	sort.SliceStable(ms, func(i, j int) bool { return order[ms[i].name] < order[ms[j].name] })
	for _, m := range ms {
		if m.kind == KindCity {
			o.MissingCities = append(o.MissingCities, m.name)
		} else {
			o.MissingSchools = append(o.MissingSchools, m.name)
		}
	}
	return o, nil
}
