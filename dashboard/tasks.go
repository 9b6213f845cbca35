package dashboard

import (
	"sort"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"lnvedash/charts"
	"lnvedash/queries"
)

// tasksView is the coverage of every task and the task × submitter matrix of one kind.
type tasksView struct {
	Filter     queries.Filter
	Options    filterOptions
	Rows       []queries.TaskCoverage
	MatrixKind string
	Sort       string
}

func (s *Server) tasksPage(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	f := filterFromQuery(c)
	mkind := queries.KindCity
	if c.Query("m") == queries.KindSchool {
		mkind = queries.KindSchool
	}
	mf := f
	mf.Kind = ""
	var (
		rows   []queries.TaskCoverage
		matrix queries.Matrix
	)
	err := parallel(
		func() (err error) { rows, err = s.cfg.DB.CoverageByTask(ctx, f); return },
		func() (err error) { matrix, err = s.cfg.DB.Matrix(ctx, mkind, mf); return },
	)
	if err != nil {
		return err
	}
	sorted := c.Query("sort") == "coverage"
	chartRows := rows
	if sorted {
		chartRows = append([]queries.TaskCoverage(nil), rows...)
		sort.SliceStable(chartRows, func(i, j int) bool {
			a, b := chartRows[i], chartRows[j]
			return a.CityCoverage+a.SchoolCoverage < b.CityCoverage+b.SchoolCoverage
		})
	}
	return s.render(c, "tasks.html", &Page{
		Title: "任务落实情况", Nav: "tasks", Query: queryValues(c),
		Charts: []*charts.Chart{charts.WithTable(charts.ChartTaskCoverage("taskcov", chartRows, sorted), "coverage_by_task"), charts.ChartMatrix("matrix", matrix)},
		Body:   tasksView{Filter: f, Options: s.filterOptions(), Rows: rows, MatrixKind: mkind, Sort: c.Query("sort")},
	})
}

// taskView is one task: its text, lead departments, targets with what each submitter commits, who
// addressed it, who is missing, and every measure.
type taskView struct {
	T        queries.TaskDetail
	Measures []queries.Measure
	Kind     string
	City     string
	Targets  []queries.TargetCommitments
}

func (s *Server) taskPage(c *fiber.Ctx) error {
	no, err := strconv.Atoi(c.Params("no"))
	if err != nil || no <= 0 {
		return fiber.NewError(fiber.StatusNotFound, "没有这项任务")
	}
	ctx, cancel := qctx()
	defer cancel()
	f := filterFromQuery(c)
	var (
		t    queries.TaskDetail
		ms   []queries.Measure
		comm []queries.CommittedQuantity
	)
	db := s.cfg.DB
	err = parallel(
		func() (err error) { t, err = db.Task(ctx, no); return },
		func() (err error) {
			ms, err = db.Measures(ctx, queries.MeasureFilter{Filter: queries.Filter{TaskNo: no, Kind: f.Kind, City: f.City}})
			return
		},
		func() (err error) {
			comm, err = db.DashboardCommitments(ctx, queries.CommitmentFilter{TaskNo: no})
			return
		},
	)
	if err != nil {
		return err
	}
	v := taskView{T: t, Measures: ms, Kind: f.Kind, City: f.City, Targets: queries.CommitmentsByTarget(t.Targets, comm)}
	var chs []*charts.Chart
	for i, tt := range v.Targets {
		if len(tt.Commitments) > 0 {
			chs = append(chs, charts.ChartTaskCommitments("target"+strconv.Itoa(i+1), tt.TargetProgress, tt.Commitments))
		}
	}
	return s.render(c, "task.html", &Page{
		Title: "任务" + strconv.Itoa(no), Nav: "tasks", Query: queryValues(c), Charts: chs, Body: v,
		MeetingExtra: map[string]string{"task": strconv.Itoa(no)},
	})
}
