package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
)

// Measure statuses of measure_status.status: the six a return may give, and 未报告 for none.
var MeasureStatuses = []string{"已完成", "按期推进", "滞后", "未启动", "已调整", "已取消", "未报告"}

// PlanMeasure is a unit's current plan measure as its progress workbook lists it.
type PlanMeasure struct {
	Key                             string
	TaskNo                          int
	Task, Measure, Goal, Owner, Due string
	Committed                       string // the quantities read from 完成目标, "；"-joined
}

// PlanMeasures lists a unit's current plan measures (name or alias) in sheet order.
func (db *DB) PlanMeasures(ctx context.Context, submitter string) (string, []PlanMeasure, error) {
	canon, err := db.ResolveSubmitter(ctx, submitter)
	if err != nil {
		return "", nil, err
	}
	ms, err := querySlice(ctx, db, "progress.plan_measures", func(rows *sql.Rows) (PlanMeasure, error) {
		var m PlanMeasure
		return m, rows.Scan(&m.Key, &m.TaskNo, &m.Task, &m.Measure, &m.Goal, &m.Owner, &m.Due, &m.Committed)
	}, canon)
	return canon, ms, err
}

// StatusCounts are measures by latest status; Measures is the denominator of every share.
type StatusCounts struct {
	Kind                                                                        string
	Measures, Done, OnTrack, Late, NotStarted, Adjusted, Cancelled, NotReported int
	Overdue, Red                                                                int
}

// RedUnit is a unit with measures past due and not done.
type RedUnit struct {
	Submitter, Kind, City               string
	Red, Overdue, Measures, NotReported int
}

// RedDepartment is a lead department whose tasks hold measures past due and not done.
type RedDepartment struct {
	Department             string
	Red, Overdue, Measures int
}

// RoundFigures are the statuses reported in one progress round (completion_by_round).
type RoundFigures struct {
	RoundID int
	Name    string
	AsOf    time.Time
	StatusCounts
}

// Achievement is one target: committed and achieved, cities and colleges apart.
type Achievement struct {
	TaskNo                            int
	Metric, Unit                      string
	Target                            float64
	CommittedCities, CommittedSchools float64
	AchievedCities, AchievedSchools   float64
}

// Delivery is the overview's delivery picture; HasRound is false before any progress round exists.
type Delivery struct {
	HasRound bool
	Round    Round
	ByKind   []StatusCounts // city, school
	Total    StatusCounts
	RedUnits []RedUnit
	RedDepts []RedDepartment
	Trend    []RoundFigures
	Targets  []Achievement
}

// Delivery reads the delivery picture of the latest progress round.
func (db *DB) Delivery(ctx context.Context) (Delivery, error) {
	var d Delivery
	rounds, err := db.Rounds(ctx)
	if err != nil {
		return d, err
	}
	if d.Round, d.HasRound = LatestProgressRound(rounds); !d.HasRound {
		return d, nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		d.ByKind, err = querySlice(gctx, db, "progress.delivery", func(rows *sql.Rows) (StatusCounts, error) {
			var c StatusCounts
			return c, rows.Scan(&c.Kind, &c.Measures, &c.Done, &c.OnTrack, &c.Late, &c.NotStarted, &c.Adjusted,
				&c.Cancelled, &c.NotReported, &c.Overdue, &c.Red)
		})
		return err
	})
	g.Go(func() (err error) {
		d.RedUnits, err = querySlice(gctx, db, "progress.red_units", func(rows *sql.Rows) (RedUnit, error) {
			var u RedUnit
			return u, rows.Scan(&u.Submitter, &u.Kind, &u.City, &u.Red, &u.Overdue, &u.Measures, &u.NotReported)
		})
		return err
	})
	g.Go(func() (err error) {
		d.RedDepts, err = querySlice(gctx, db, "progress.red_departments", func(rows *sql.Rows) (RedDepartment, error) {
			var r RedDepartment
			return r, rows.Scan(&r.Department, &r.Red, &r.Overdue, &r.Measures)
		})
		return err
	})
	g.Go(func() (err error) {
		d.Trend, err = querySlice(gctx, db, "progress.trend", func(rows *sql.Rows) (RoundFigures, error) {
			var f RoundFigures
			var asOf sql.NullTime
			err := rows.Scan(&f.RoundID, &f.Name, &asOf, &f.Measures, &f.Done, &f.OnTrack, &f.Late, &f.NotStarted,
				&f.Adjusted, &f.Cancelled, &f.NotReported)
			f.AsOf = asOf.Time
			return f, err
		})
		return err
	})
	g.Go(func() (err error) {
		d.Targets, err = querySlice(gctx, db, "progress.targets", func(rows *sql.Rows) (Achievement, error) {
			var a Achievement
			return a, rows.Scan(&a.TaskNo, &a.Metric, &a.Unit, &a.Target, &a.CommittedCities, &a.CommittedSchools,
				&a.AchievedCities, &a.AchievedSchools)
		})
		return err
	})
	if err := g.Wait(); err != nil {
		return d, fmt.Errorf("delivery: %w", err)
	}
	for _, c := range d.ByKind {
		d.Total.Measures += c.Measures
		d.Total.Done += c.Done
		d.Total.OnTrack += c.OnTrack
		d.Total.Late += c.Late
		d.Total.NotStarted += c.NotStarted
		d.Total.Adjusted += c.Adjusted
		d.Total.Cancelled += c.Cancelled
		d.Total.NotReported += c.NotReported
		d.Total.Overdue += c.Overdue
		d.Total.Red += c.Red
	}
	return d, nil
}

// RedMeasure is a measure past its 完成时间 and not done.
type RedMeasure struct {
	Key, Submitter, Kind, City string
	TaskNo                     int
	Measure, Due               string
	DueDate                    time.Time
	Status, StatusText         string
	RoundID                    int
}

// RedList lists the measures past due and not done, of one unit and/or one lead department ("" = all;
// names or aliases).
func (db *DB) RedList(ctx context.Context, submitter, department string) ([]RedMeasure, error) {
	var err error
	if submitter != "" {
		if submitter, err = db.ResolveSubmitter(ctx, submitter); err != nil {
			return nil, err
		}
	}
	if department != "" {
		if department, err = db.ResolveDepartment(ctx, department); err != nil {
			return nil, err
		}
	}
	return querySlice(ctx, db, "progress.red_list", func(rows *sql.Rows) (RedMeasure, error) {
		var m RedMeasure
		var due sql.NullTime
		err := rows.Scan(&m.Key, &m.Submitter, &m.Kind, &m.City, &m.TaskNo, &m.Measure, &m.Due, &due, &m.Status,
			&m.StatusText, &m.RoundID)
		m.DueDate = due.Time
		return m, err
	}, submitter, department)
}

// MeasureReport is what one round's return said about a measure, with its source cell.
type MeasureReport struct {
	RoundID                                         int
	Round                                           string
	AsOf                                            time.Time
	SubmissionID                                    int
	FileName, Sheet                                 string
	Row                                             int
	Status, StatusText                              string
	Percent                                         sql.NullFloat64
	Achieved, Note, Evidence, LagReason, LinkMethod string
}

// MeasureHistory is a current plan measure, its latest status and every round's report on it.
type MeasureHistory struct {
	Key, Submitter, Kind, City string
	SubmissionID               int
	TaskNo                     int
	Task, Measure, Goal, Owner string
	Due                        string
	DueDate                    time.Time
	Sheet                      string
	Row                        int
	Status                     string
	Overdue, Red               bool
	Reports                    []MeasureReport
}

// MeasureHistory reads one measure by its key; an unknown key is a NotFoundError.
func (db *DB) MeasureHistory(ctx context.Context, key string) (MeasureHistory, error) {
	key = strings.TrimSpace(key)
	var h MeasureHistory
	var due sql.NullTime
	err := db.QueryRowContext(ctx, mustSQL("progress.measure"), key).Scan(&h.Key, &h.SubmissionID, &h.Submitter,
		&h.Kind, &h.City, &h.TaskNo, &h.Task, &h.Measure, &h.Goal, &h.Owner, &h.Due, &due, &h.Sheet, &h.Row,
		&h.Status, &h.Overdue, &h.Red)
	if errors.Is(err, sql.ErrNoRows) {
		return h, fmt.Errorf("measure history: %w", notFound("举措", key))
	}
	if err != nil {
		return h, fmt.Errorf("measure history: %w", err)
	}
	h.DueDate = due.Time
	h.Reports, err = querySlice(ctx, db, "progress.history", func(rows *sql.Rows) (MeasureReport, error) {
		var r MeasureReport
		var asOf sql.NullTime
		err := rows.Scan(&r.RoundID, &r.Round, &asOf, &r.SubmissionID, &r.FileName, &r.Sheet, &r.Row, &r.Status,
			&r.StatusText, &r.Percent, &r.Achieved, &r.Note, &r.Evidence, &r.LagReason, &r.LinkMethod)
		r.AsOf = asOf.Time
		return r, err
	}, key)
	return h, err
}

// ProgressReturn is one unit's progress return in a round.
type ProgressReturn struct {
	Submitter, Kind, City string
	FirstAt               time.Time // zero: nothing accepted
	Accepted, Rejected    int
	CurrentID             int
	OnTime                bool
}

// ProgressReturns lists, per rostered unit, its return in round r; on time means the first accepted
// file was ingested by the end of the round's deadline day (always, when the round has none).
func (db *DB) ProgressReturns(ctx context.Context, r Round) ([]ProgressReturn, error) {
	return querySlice(ctx, db, "progress.returns", func(rows *sql.Rows) (ProgressReturn, error) {
		var p ProgressReturn
		var first sql.NullTime
		err := rows.Scan(&p.Submitter, &p.Kind, &p.City, &first, &p.Accepted, &p.Rejected, &p.CurrentID)
		p.FirstAt = first.Time
		p.OnTime = first.Valid && (r.Deadline.IsZero() || first.Time.Before(r.Deadline.AddDate(0, 0, 1)))
		return p, err
	}, r.ID)
}

// CompletionRow is one row of a completion_* view: a task number, unit, city or lead department.
type CompletionRow struct {
	Key string
	StatusCounts
}

// Completion reads completion_by_task, _submitter, _city or _department (dim: task / submitter / city /
// department), every member with its zeros.
func (db *DB) Completion(ctx context.Context, dim string) ([]CompletionRow, error) {
	switch dim {
	case "task", "submitter", "city", "department":
	default:
		return nil, fmt.Errorf("completion: unknown dimension %q", dim)
	}
	return querySlice(ctx, db, "progress.completion", func(rows *sql.Rows) (CompletionRow, error) {
		var c CompletionRow
		return c, rows.Scan(&c.Key, &c.Kind, &c.Measures, &c.Done, &c.OnTrack, &c.Late, &c.NotStarted, &c.Adjusted,
			&c.Cancelled, &c.NotReported, &c.Overdue, &c.Red)
	}, dim)
}
