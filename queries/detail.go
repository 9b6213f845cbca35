package queries

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"golang.org/x/sync/errgroup"
)

// SubmitterDetail is one submitter's page: its coverage row, coverage by 主要任务, every task with its
// measure count, its current submission and every file it sent.
type SubmitterDetail struct {
	SubmitterCoverage
	Aliases  []string
	Areas    []AreaCoverage
	Tasks    []SubmitterTask
	Current  *Submission  // nil when not returned
	Versions []Submission // every file received from it, newest first, rejected ones included
	// Colleges are a city's colleges as CoverageBySubmitter(KindSchool, Filter{City: city}) lists
	// them, taken from the roster's rows this detail reads anyway; nil for a college.
	Colleges []SubmitterCoverage
}

// AreaCoverage is coverage within one 主要任务 group.
type AreaCoverage struct {
	AreaNo         int
	Area           string
	TasksExpected  int
	TasksAddressed int
	Coverage       float64
	Measures       int
}

// SubmitterTask is one task as seen from one submitter.
type SubmitterTask struct {
	TaskNo   int
	AreaNo   int
	Area     string
	Content  string
	Expected bool
	Measures int
}

// Submitter returns the detail of a submitter by roster name or alias; ErrNotFound for an unknown one.
func (db *DB) Submitter(ctx context.Context, name string) (SubmitterDetail, error) {
	canon, err := db.ResolveSubmitter(ctx, name)
	if err != nil {
		return SubmitterDetail{}, fmt.Errorf("submitter: %w", err)
	}
	// Three independent queries: each spends most of its few milliseconds planning and waiting, so
	// they overlap well even on two cores.
	var rows []SubmitterCoverage
	var d SubmitterDetail
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { rows, err = db.CoverageBySubmitter(gctx, "", Filter{}); return })
	g.Go(func() (err error) {
		d.Tasks, err = querySlice(gctx, db, "submitter.tasks", func(rows *sql.Rows) (SubmitterTask, error) {
			var t SubmitterTask
			return t, rows.Scan(&t.TaskNo, &t.AreaNo, &t.Area, &t.Content, &t.Expected, &t.Measures)
		}, canon)
		return
	})
	g.Go(func() (err error) { d.Versions, err = db.Submissions(gctx, SubmissionFilter{Submitter: canon}); return })
	if err := g.Wait(); err != nil {
		return SubmitterDetail{}, fmt.Errorf("submitter: %w", err)
	}
	found := false
	for _, r := range rows {
		if r.Submitter == canon {
			d.SubmitterCoverage, found = r, true
		}
	}
	if !found {
		return SubmitterDetail{}, fmt.Errorf("submitter: %w", notFound("报送单位", canon))
	}
	if d.Kind == KindCity {
		d.Colleges = rankedWithin(rows, KindSchool, canon)
	}
	if db.Seeds != nil {
		for _, s := range db.Seeds.Submitters {
			if s.Name == canon {
				d.Aliases = s.Aliases
			}
		}
	}
	// Areas are folded from Tasks: one query fewer, and the two can never disagree.
	for _, t := range d.Tasks {
		if n := len(d.Areas); n == 0 || d.Areas[n-1].AreaNo != t.AreaNo {
			d.Areas = append(d.Areas, AreaCoverage{AreaNo: t.AreaNo, Area: t.Area})
		}
		a := &d.Areas[len(d.Areas)-1]
		a.Measures += t.Measures
		if t.Expected {
			a.TasksExpected++
			if t.Measures > 0 {
				a.TasksAddressed++
			}
		}
	}
	for i := range d.Areas {
		d.Areas[i].Coverage = ratio(d.Areas[i].TasksAddressed, d.Areas[i].TasksExpected)
	}
	for i := range d.Versions {
		if d.Versions[i].Status == "current" {
			d.Current = &d.Versions[i]
		}
	}
	return d, nil
}

// TaskDetail is one task's page: its text and departments, its coverage, its targets with what is
// committed against them, who addressed it and who is still missing.
type TaskDetail struct {
	TaskCoverage
	ExpectsCities  bool
	ExpectsSchools bool
	ExpectsReason  string
	Targets        []TargetProgress
	Responders     []TaskResponder // addressed it, expected or not: cities then colleges, most measures first
	Missing        []TaskResponder // expected and not addressed, in roster order (Returned: sent a file at all)
}

// TaskResponder is a submitter seen from one task.
type TaskResponder struct {
	Submitter string
	Kind      string
	City      string
	Expected  bool
	Returned  bool
	Measures  int
}

// Task returns the detail of task no (1–54); ErrNotFound for any other number.
func (db *DB) Task(ctx context.Context, no int) (TaskDetail, error) {
	if no <= 0 {
		return TaskDetail{}, fmt.Errorf("task: %w", notFound("任务", no))
	}
	// Three independent queries at once (see Submitter).
	var cov []TaskCoverage
	var targets []TargetProgress
	var subs []TaskResponder
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { cov, err = db.CoverageByTask(gctx, Filter{TaskNo: no}); return })
	g.Go(func() (err error) { targets, err = db.TargetProgress(gctx, Filter{TaskNo: no}); return })
	g.Go(func() (err error) {
		subs, err = querySlice(gctx, db, "task.submitters", func(rows *sql.Rows) (TaskResponder, error) {
			var r TaskResponder
			return r, rows.Scan(&r.Submitter, &r.Kind, &r.City, &r.Expected, &r.Returned, &r.Measures)
		}, no)
		return
	})
	if err := g.Wait(); err != nil {
		return TaskDetail{}, fmt.Errorf("task: %w", err)
	}
	if len(cov) != 1 {
		return TaskDetail{}, fmt.Errorf("task: %w", notFound("任务", no))
	}
	d := TaskDetail{TaskCoverage: cov[0], Targets: targets}
	if db.Seeds != nil {
		for _, t := range db.Seeds.Tasks {
			if t.No == no {
				d.ExpectsCities, d.ExpectsSchools, d.ExpectsReason = t.ExpectsCities, t.ExpectsSchools, t.Reason
			}
		}
	}
	order := db.rosterOrder()
	for _, r := range subs {
		if r.Measures > 0 {
			d.Responders = append(d.Responders, r)
		} else {
			d.Missing = append(d.Missing, r)
		}
	}
	// The missing are a 催报 list: roster order, cities first.
	sort.SliceStable(d.Missing, func(i, j int) bool { return order[d.Missing[i].Submitter] < order[d.Missing[j].Submitter] })
	return d, nil
}

// rankedWithin is coverage_by_submitter.sql's answer for one kind and city computed from the rows of
// the whole roster (no filter): those rows, ranked again among themselves as the SQL ranks the rows
// its WHERE keeps — best coverage first, then more measures, ties sharing a rank — in its order
// (rank, then name).
func rankedWithin(rows []SubmitterCoverage, kind, city string) []SubmitterCoverage {
	var out []SubmitterCoverage
	for _, r := range rows {
		if r.Kind == kind && r.City == city {
			out = append(out, r)
		}
	}
	ahead := func(a, b SubmitterCoverage) bool { // a ranks strictly before b
		if a.Coverage != b.Coverage {
			return a.Coverage > b.Coverage
		}
		return a.Measures > b.Measures
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ahead(out[i], out[j]) || ahead(out[j], out[i]) {
			return ahead(out[i], out[j])
		}
		return out[i].Submitter < out[j].Submitter
	})
	for i := range out {
		if i > 0 && !ahead(out[i-1], out[i]) {
			out[i].Rank = out[i-1].Rank
		} else {
			out[i].Rank = i + 1
		}
	}
	return out
}
