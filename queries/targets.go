package queries

import (
	"context"
	"database/sql"
	"time"
)

// TargetProgress is one province-wide target against the quantities current submissions commit to.
// Cities and colleges are kept apart: a city's plan may already count its colleges' work, so UpperBound
// (cities + colleges) may double count and is only an upper bound.
type TargetProgress struct {
	TaskNo     int // 0 for headline and ministry targets
	Metric     string
	Unit       string
	Target     float64
	TargetKind string // task / headline / ministry
	Deadline   time.Time
	// DeadlineBasis is 原文 when the document states the deadline, 推定 when it is assumed.
	DeadlineBasis string
	// Mean is true for a percentage target (unit %): committed figures are the mean of the percentages
	// committed, not a sum.
	Mean               bool
	CommittedByCities  float64
	CommittedBySchools float64
	CityRatio          float64 // CommittedByCities / Target
	SchoolRatio        float64
	UpperBound         float64 // cities + colleges (mean of both for %); may double count
	UpperBoundRatio    float64
	CitiesCommitting   int
	SchoolsCommitting  int
	Commitments        int
	UnitMismatches     int // commitments to the metric in another unit, left out of the sums
}

// TargetProgress returns every target the filter keeps, in task order (headline and ministry targets last).
func (db *DB) TargetProgress(ctx context.Context, f Filter) ([]TargetProgress, error) {
	f, err := db.checkFilter(ctx, f)
	if err != nil {
		return nil, err
	}
	return querySlice(ctx, db, "target_progress", func(rows *sql.Rows) (TargetProgress, error) {
		var p TargetProgress
		var deadline sql.NullTime
		err := rows.Scan(&p.TaskNo, &p.Metric, &p.Unit, &p.Target, &p.TargetKind, &deadline, &p.Mean,
			&p.CommittedByCities, &p.CommittedBySchools, &p.UpperBound,
			&p.CitiesCommitting, &p.SchoolsCommitting, &p.Commitments, &p.UnitMismatches, &p.DeadlineBasis)
		p.Deadline = timeOf(deadline)
		if p.Target != 0 {
			p.CityRatio = p.CommittedByCities / p.Target
			p.SchoolRatio = p.CommittedBySchools / p.Target
			p.UpperBoundRatio = p.UpperBound / p.Target
		}
		return p, err
	}, f.args()...)
}
