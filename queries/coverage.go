package queries

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// TaskCoverage is one task of coverage_by_task: who was expected to address it and who did, cities and
// colleges apart. Coverage is 0 where nobody of the kind is expected (look at the Expected count).
type TaskCoverage struct {
	TaskNo      int
	AreaNo      int
	Area        string // 主要任务
	Content     string // 政策内容
	Departments []string
	CityScope   string // 各市 / 相关市政府 / 沈阳市 / ""

	CitiesExpected   int // rostered cities expected to address the task, returned or not
	CitiesReturned   int // of those, the ones with a current submission
	CitiesResponded  int // of those, the ones whose current submission has a measure for the task
	CityCoverage     float64
	SchoolsExpected  int
	SchoolsReturned  int
	SchoolsResponded int
	SchoolCoverage   float64

	CityMeasures   int
	SchoolMeasures int
	Measures       int // CityMeasures + SchoolMeasures
}

// CoverageByTask returns one row per task the filter keeps, in task order. Kind and City restrict the
// submitters counted; TaskNo, AreaNo and Department the tasks.
func (db *DB) CoverageByTask(ctx context.Context, f Filter) ([]TaskCoverage, error) {
	f, err := db.checkFilter(ctx, f)
	if err != nil {
		return nil, err
	}
	return querySlice(ctx, db, "coverage_by_task", func(rows *sql.Rows) (TaskCoverage, error) {
		var c TaskCoverage
		var depts string
		err := rows.Scan(&c.TaskNo, &c.AreaNo, &c.Area, &c.Content, &depts, &c.CityScope,
			&c.CitiesExpected, &c.CitiesReturned, &c.CitiesResponded,
			&c.SchoolsExpected, &c.SchoolsReturned, &c.SchoolsResponded,
			&c.CityMeasures, &c.SchoolMeasures)
		c.Departments = splitList(depts)
		c.CityCoverage = ratio(c.CitiesResponded, c.CitiesExpected)
		c.SchoolCoverage = ratio(c.SchoolsResponded, c.SchoolsExpected)
		c.Measures = c.CityMeasures + c.SchoolMeasures
		return c, err
	}, f.args()...)
}

// Matrix is task × submitter for one kind: Measures[i][j] is the number of current measures submitter j
// wrote for task i; Expected[i][j] whether j is expected to address i. Submitters that have not returned
// a file are included (Returned false, a column of zeros).
type Matrix struct {
	Kind       string
	Tasks      []MatrixTask
	Submitters []MatrixSubmitter
	Measures   [][]int
	Expected   [][]bool
}

// MatrixTask is a row of the matrix.
type MatrixTask struct {
	TaskNo  int
	AreaNo  int
	Content string
}

// MatrixSubmitter is a column of the matrix.
type MatrixSubmitter struct {
	Submitter string
	City      string
	Returned  bool
}

// Matrix returns the task × submitter matrix of one kind (KindCity or KindSchool). Columns follow the
// roster's order (seeds/submitters.csv: cities in map order, colleges grouped by city); Filter.Kind is
// ignored in favour of kind.
func (db *DB) Matrix(ctx context.Context, kind string, f Filter) (Matrix, error) {
	if kind != KindCity && kind != KindSchool {
		return Matrix{}, fmt.Errorf("matrix: kind %q: want city or school", kind)
	}
	type cell struct {
		task     MatrixTask
		sub      MatrixSubmitter
		expected bool
		measures int
	}
	f.Kind = kind
	f, err := db.checkFilter(ctx, f)
	if err != nil {
		return Matrix{}, err
	}
	cells, err := querySlice(ctx, db, "matrix", func(rows *sql.Rows) (cell, error) {
		var c cell
		err := rows.Scan(&c.task.TaskNo, &c.task.AreaNo, &c.task.Content, &c.sub.Submitter, &c.sub.City,
			&c.sub.Returned, &c.expected, &c.measures)
		return c, err
	}, f.args()...)
	if err != nil {
		return Matrix{}, err
	}
	m := Matrix{Kind: kind}
	taskIdx := map[int]int{}
	subIdx := map[string]int{}
	for _, c := range cells {
		if _, ok := taskIdx[c.task.TaskNo]; !ok {
			taskIdx[c.task.TaskNo] = len(m.Tasks)
			m.Tasks = append(m.Tasks, c.task)
		}
		if _, ok := subIdx[c.sub.Submitter]; !ok {
			subIdx[c.sub.Submitter] = len(m.Submitters)
			m.Submitters = append(m.Submitters, c.sub)
		}
	}
	order := db.rosterOrder()
	sort.SliceStable(m.Submitters, func(i, j int) bool {
		return order[m.Submitters[i].Submitter] < order[m.Submitters[j].Submitter]
	})
	for i, s := range m.Submitters {
		subIdx[s.Submitter] = i
	}
	m.Measures = make([][]int, len(m.Tasks))
	m.Expected = make([][]bool, len(m.Tasks))
	for i := range m.Tasks {
		m.Measures[i] = make([]int, len(m.Submitters))
		m.Expected[i] = make([]bool, len(m.Submitters))
	}
	for _, c := range cells {
		i, j := taskIdx[c.task.TaskNo], subIdx[c.sub.Submitter]
		m.Measures[i][j] = c.measures
		m.Expected[i][j] = c.expected
	}
	return m, nil
}

// rosterOrder maps each submitter to its position in the seeds, the order people know the roster in.
func (db *DB) rosterOrder() map[string]int {
	order := map[string]int{}
	if db.Seeds != nil {
		for i, s := range db.Seeds.Submitters {
			order[s.Name] = i
		}
	}
	return order
}

// SubmitterCoverage is one row of coverage_by_submitter. A submitter with no current submission has
// Returned false, TasksAddressed 0 and Coverage 0.
type SubmitterCoverage struct {
	Submitter    string
	Kind         string
	City         string
	Returned     bool
	SubmissionID int    // the current submission, 0 when not returned
	FileName     string // of the current submission
	ModifiedAt   time.Time
	IngestedAt   time.Time

	TasksExpected     int
	TasksAddressed    int
	Coverage          float64
	Measures          int // measures matched to the tasks in scope
	UnmatchedMeasures int // measures of the current submission matched to no task
	Versions          int // accepted files received (current + superseded)
	RejectedFiles     int
	Rank              int // within the kind: 1 = best coverage, ties broken by more measures
}

// CoverageBySubmitter ranks the submitters of one kind ("" for both) by coverage over the tasks the
// filter keeps. Non-returned submitters are included with Returned false.
func (db *DB) CoverageBySubmitter(ctx context.Context, kind string, f Filter) ([]SubmitterCoverage, error) {
	if kind != "" {
		f.Kind = kind
	}
	f, err := db.checkFilter(ctx, f)
	if err != nil {
		return nil, err
	}
	return querySlice(ctx, db, "coverage_by_submitter", scanSubmitterCoverage, f.args()...)
}

func scanSubmitterCoverage(rows *sql.Rows) (SubmitterCoverage, error) {
	var c SubmitterCoverage
	var mod, ing sql.NullTime
	err := rows.Scan(&c.Submitter, &c.Kind, &c.City, &c.Returned, &c.SubmissionID, &c.FileName, &mod, &ing,
		&c.TasksExpected, &c.TasksAddressed, &c.Measures, &c.UnmatchedMeasures, &c.Versions, &c.RejectedFiles, &c.Rank)
	c.ModifiedAt, c.IngestedAt = timeOf(mod), timeOf(ing)
	c.Coverage = ratio(c.TasksAddressed, c.TasksExpected)
	return c, err
}

// CityCoverage is one row of coverage_by_city: the city's own plan beside its colleges.
// SchoolCoverage is pooled over ALL rostered colleges of the city: addressed (college, task) pairs over
// expected pairs, so a college that sent nothing counts as addressing nothing.
type CityCoverage struct {
	City               string
	CityReturned       bool
	CityTasksExpected  int
	CityTasksAddressed int
	CityCoverage       float64
	CityMeasures       int

	SchoolsExpected      int // colleges of the city in the roster
	SchoolsReturned      int
	MissingSchools       []string // rostered colleges of the city with no current submission
	SchoolPairsExpected  int
	SchoolPairsAddressed int
	SchoolCoverage       float64
	SchoolMeasures       int
}

// CoverageByCity returns the 14 cities, each with its own plan and its colleges, in roster order (the
// order of seeds/submitters.csv, which follows the province map).
func (db *DB) CoverageByCity(ctx context.Context) ([]CityCoverage, error) {
	cities, err := querySlice(ctx, db, "coverage_by_city", func(rows *sql.Rows) (CityCoverage, error) {
		var c CityCoverage
		var missing string
		err := rows.Scan(&c.City, &c.CityReturned, &c.CityTasksExpected, &c.CityTasksAddressed, &c.CityMeasures,
			&c.SchoolsExpected, &c.SchoolsReturned, &c.SchoolPairsExpected, &c.SchoolPairsAddressed, &c.SchoolMeasures,
			&missing)
		c.MissingSchools = splitList(missing)
		c.CityCoverage = ratio(c.CityTasksAddressed, c.CityTasksExpected)
		c.SchoolCoverage = ratio(c.SchoolPairsAddressed, c.SchoolPairsExpected)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	order := db.rosterOrder()
	sort.SliceStable(cities, func(i, j int) bool { return order[cities[i].City] < order[cities[j].City] })
	for _, c := range cities {
		sort.SliceStable(c.MissingSchools, func(i, j int) bool { return order[c.MissingSchools[i]] < order[c.MissingSchools[j]] })
	}
	return cities, nil
}

// DepartmentCoverage is one row of coverage_by_department: over the tasks the department leads,
// expected (task, submitter) pairs and addressed ones, with the kinds apart as well.
type DepartmentCoverage struct {
	Department           string
	Tasks                int
	ExpectedPairs        int
	AddressedPairs       int
	Coverage             float64
	CityPairsExpected    int
	CityPairsAddressed   int
	CityCoverage         float64
	SchoolPairsExpected  int
	SchoolPairsAddressed int
	SchoolCoverage       float64
	Measures             int
}

// CoverageByDepartment returns every provincial department, most expected pairs first.
func (db *DB) CoverageByDepartment(ctx context.Context) ([]DepartmentCoverage, error) {
	return querySlice(ctx, db, "coverage_by_department", func(rows *sql.Rows) (DepartmentCoverage, error) {
		var c DepartmentCoverage
		err := rows.Scan(&c.Department, &c.Tasks, &c.ExpectedPairs, &c.AddressedPairs,
			&c.CityPairsExpected, &c.CityPairsAddressed, &c.SchoolPairsExpected, &c.SchoolPairsAddressed, &c.Measures)
		c.Coverage = ratio(c.AddressedPairs, c.ExpectedPairs)
		c.CityCoverage = ratio(c.CityPairsAddressed, c.CityPairsExpected)
		c.SchoolCoverage = ratio(c.SchoolPairsAddressed, c.SchoolPairsExpected)
		return c, err
	})
}

// DepartmentTasks returns the coverage of each task the department (name or alias) leads; ErrNotFound
// for an unknown department.
func (db *DB) DepartmentTasks(ctx context.Context, dept string) ([]TaskCoverage, error) {
	canon, err := db.ResolveDepartment(ctx, dept)
	if err != nil {
		return nil, fmt.Errorf("department_tasks: %w", err)
	}
	return db.CoverageByTask(ctx, Filter{Department: canon})
}
