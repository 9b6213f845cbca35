package queries

// Queries the dashboard needs beyond the shared API (owned by the dashboard; SQL in sql/dashboard_*.sql).

import (
	"context"
	"database/sql"
)

// CommittedQuantity is one quantity read from a 完成目标 cell, with the row it came from.
type CommittedQuantity struct {
	SubmissionID int
	Submitter    string
	Kind         string
	TaskNo       int
	Metric       string // "" when it matched no target
	Value        float64
	Unit         string
	Source       string // the text it was read from
	Sheet        string
	Row          int
	Seq          int
}

// CommitmentFilter narrows DashboardCommitments; zero values mean all. SubmissionID 0 means current
// submissions only.
type CommitmentFilter struct {
	TaskNo       int
	SubmissionID int
	Sheet        string
	Row          int
	Metric       string
}

// DashboardCommitments lists committed quantities with their provenance.
func (db *DB) DashboardCommitments(ctx context.Context, f CommitmentFilter) ([]CommittedQuantity, error) {
	return querySlice(ctx, db, "dashboard_commitments", func(rows *sql.Rows) (CommittedQuantity, error) {
		var c CommittedQuantity
		err := rows.Scan(&c.SubmissionID, &c.Submitter, &c.Kind, &c.TaskNo, &c.Metric, &c.Value, &c.Unit,
			&c.Source, &c.Sheet, &c.Row, &c.Seq)
		return c, err
	}, f.TaskNo, f.SubmissionID, f.Sheet, f.Row, f.Metric)
}
