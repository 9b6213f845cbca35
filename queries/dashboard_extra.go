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

// TargetCommitments is a target of a task with the quantities units committed to it.
type TargetCommitments struct {
	TargetProgress
	Commitments []CommittedQuantity
}

// CommitmentsByTarget pairs each target with the commitments in its metric and unit, in the order
// given; a commitment in no target's metric and unit is left out. Pure, so the task page may read the
// task and its commitments in parallel and pair them after.
func CommitmentsByTarget(targets []TargetProgress, comm []CommittedQuantity) []TargetCommitments {
	var out []TargetCommitments
	for _, tp := range targets {
		tc := TargetCommitments{TargetProgress: tp}
		for _, cq := range comm {
			if cq.Metric == tp.Metric && cq.Unit == tp.Unit {
				tc.Commitments = append(tc.Commitments, cq)
			}
		}
		out = append(out, tc)
	}
	return out
}

// LatestFindings is what the overview lists of what the current files left to fix: errors first,
// then warnings, n in all.
func (db *DB) LatestFindings(ctx context.Context, n int) ([]Finding, error) {
	out, err := db.Findings(ctx, FindingFilter{CurrentOnly: true, Severity: "error", Limit: n})
	if err != nil || len(out) >= n {
		return out, err
	}
	warnings, err := db.Findings(ctx, FindingFilter{CurrentOnly: true, Severity: "warning", Limit: n - len(out)})
	return append(out, warnings...), err
}
