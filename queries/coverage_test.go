package queries

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// frac is the expected share a/b written out here rather than taken from the package's ratio(), so a
// change there shows: nothing expected counts as 0, not as 100% or NaN.
func frac(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func TestCoverageByTask(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	type row struct{ cityExp, cityResp, schoolExp, schoolResp, measures int }
	tests := []struct {
		name  string
		f     Filter
		tasks int         // rows returned
		want  map[int]row // by task
	}{
		{"all", Filter{}, 54, map[int]row{
			1:  {14, 2, 52, 2, 5},
			2:  {0, 0, 52, 1, 2},
			3:  {14, 0, 52, 1, 1}, // 沈阳市 dropped task 3 in v2
			37: {1, 1, 0, 0, 2},
		}},
		// City 沈阳市: the city itself and its 19 colleges; 大连's measures on tasks 1, 2, 37 disappear.
		{"city 沈阳市", Filter{City: "沈阳市"}, 54, map[int]row{
			1:  {1, 1, 19, 1, 3},
			2:  {0, 0, 19, 1, 1},
			37: {1, 1, 0, 0, 1},
		}},
		// Kind school: city columns are zero.
		{"kind school", Filter{Kind: KindSchool}, 54, map[int]row{
			1: {0, 0, 52, 2, 3},
		}},
		// Area 1 is tasks 1–3.
		{"area 1", Filter{AreaNo: 1}, 3, map[int]row{2: {0, 0, 52, 1, 2}}},
		// 省总工会 (by its alias 辽宁省总工会) leads task 2 only.
		{"department alias", Filter{Department: "辽宁省总工会"}, 1, map[int]row{2: {0, 0, 52, 1, 2}}},
		{"task 37", Filter{TaskNo: 37}, 1, map[int]row{37: {1, 1, 0, 0, 2}}},
		// a city by its alias
		{"city alias 沈阳", Filter{City: "沈阳"}, 54, map[int]row{1: {1, 1, 19, 1, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.CoverageByTask(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.tasks {
				t.Fatalf("%d rows, want %d", len(got), tt.tasks)
			}
			seen := 0
			defer func() {
				if seen != len(tt.want) {
					t.Errorf("%d of the %d tasks checked were in the answer", seen, len(tt.want))
				}
			}()
			for _, c := range got {
				w, ok := tt.want[c.TaskNo]
				if !ok {
					continue
				}
				seen++
				g := row{c.CitiesExpected, c.CitiesResponded, c.SchoolsExpected, c.SchoolsResponded, c.Measures}
				if g != w {
					t.Errorf("task %d: got %+v, want %+v", c.TaskNo, g, w)
				}
				if !near(c.CityCoverage, frac(w.cityResp, w.cityExp)) || !near(c.SchoolCoverage, frac(w.schoolResp, w.schoolExp)) {
					t.Errorf("task %d: coverage %v/%v", c.TaskNo, c.CityCoverage, c.SchoolCoverage)
				}
			}
		})
	}
	// A typo is an error, never an empty (or unfiltered) answer.
	for _, f := range []Filter{{Department: "省外星办"}, {City: "火星市"}, {City: "沈阳职业技术学院"}, {TaskNo: 55}, {AreaNo: 13}} {
		if _, err := db.CoverageByTask(ctx, f); !errors.Is(err, ErrNotFound) {
			t.Errorf("CoverageByTask(%+v): %v, want ErrNotFound", f, err)
		}
	}
	if _, err := db.CoverageByTask(ctx, Filter{Kind: "province"}); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("bad kind: %v", err)
	}
	// The unfiltered API agrees with the view, row by row.
	all, _ := db.CoverageByTask(ctx, Filter{})
	for _, c := range all {
		var ce, cr, se, sr, m int
		if err := db.QueryRow(`SELECT cities_expected, cities_responded, schools_expected, schools_responded, measures
			FROM coverage_by_task WHERE task_no = ?`, c.TaskNo).Scan(&ce, &cr, &se, &sr, &m); err != nil {
			t.Fatal(err)
		}
		if ce != c.CitiesExpected || cr != c.CitiesResponded || se != c.SchoolsExpected || sr != c.SchoolsResponded || m != c.Measures {
			t.Errorf("task %d: view and API disagree", c.TaskNo)
		}
	}
	if got := all[0].Departments; !reflect.DeepEqual(got, []string{"省委教育工委", "省教育厅"}) {
		t.Errorf("task 1 departments %q", got)
	}
	// Task 43 names no provincial department; the seed's empty entry is not shown as one.
	if got := all[42].Departments; len(got) != 0 {
		t.Errorf("task 43 departments %q", got)
	}
}

func TestMatrix(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	m, err := db.Matrix(ctx, KindCity, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Tasks) != 54 || len(m.Submitters) != 14 {
		t.Fatalf("%d × %d", len(m.Tasks), len(m.Submitters))
	}
	// Roster order: 沈阳市, 大连市, 鞍山市, …; 鞍山市 has not returned.
	if m.Submitters[0].Submitter != "沈阳市" || m.Submitters[2].Submitter != "鞍山市" || m.Submitters[2].Returned || !m.Submitters[0].Returned {
		t.Errorf("columns %+v", m.Submitters[:3])
	}
	// 沈阳市 (column 0): task 5 (row 4) two measures; task 37 (row 36) one, expected.
	// 大连市 (column 1): task 37 one measure, not expected; task 2 (row 1) one, not expected.
	cells := []struct {
		name     string
		row, col int
		measures int
		expected bool
	}{
		{"沈阳 task 5", 4, 0, 2, true},
		{"沈阳 task 37", 36, 0, 1, true},
		{"沈阳 task 3 superseded", 2, 0, 0, true},
		{"大连 task 37", 36, 1, 1, false},
		{"大连 task 2", 1, 1, 1, false},
		{"鞍山 task 1", 0, 2, 0, true},
	}
	for _, c := range cells {
		if m.Measures[c.row][c.col] != c.measures || m.Expected[c.row][c.col] != c.expected {
			t.Errorf("%s: %d %v, want %d %v", c.name, m.Measures[c.row][c.col], m.Expected[c.row][c.col], c.measures, c.expected)
		}
	}
	// Colleges of 大连市 in area 6 (tasks 21–27): 10 columns, 7 rows; 辽宁轻工 is the ninth 大连 college in
	// the roster and wrote one measure for task 24 (row 3).
	s, err := db.Matrix(ctx, KindSchool, Filter{City: "大连市", AreaNo: 6})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tasks) != 7 || len(s.Submitters) != 10 {
		t.Fatalf("%d × %d", len(s.Tasks), len(s.Submitters))
	}
	if s.Submitters[8].Submitter != "辽宁轻工职业学院" || s.Measures[3][8] != 1 || s.Tasks[3].TaskNo != 24 {
		t.Errorf("辽宁轻工 column: %+v %v", s.Submitters[8], s.Measures[3])
	}
	if _, err := db.Matrix(ctx, "province", Filter{}); err == nil {
		t.Error("bad kind accepted")
	}
}

func TestCoverageBySubmitter(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	type row struct {
		returned                     bool
		expected, addressed, measure int
		rank                         int
	}
	tests := []struct {
		name string
		kind string
		f    Filter
		rows int
		want map[string]row
	}{
		// measures counts matched measures: 沈阳市 4 (its fifth matched no task).
		{"cities", KindCity, Filter{}, 14, map[string]row{
			"沈阳市": {true, shenyangTasks, 3, 4, 1},
			"大连市": {true, cityTasks, 1, 3, 2},
			"鞍山市": {false, cityTasks, 0, 0, 3},
		}},
		{"schools of 大连", KindSchool, Filter{City: "大连市"}, 10, map[string]row{
			"辽宁轻工职业学院": {true, schoolTasks, 2, 2, 1},
			"大连职业技术学院": {false, schoolTasks, 0, 0, 2},
		}},
		// Area 1 (tasks 1–3): 沈阳市 expected for 1 and 3, addresses 1; 大连市 likewise, plus task 2
		// unexpected: same coverage, 大连市 has more measures (2 vs 1) and ranks first.
		{"area 1 cities", KindCity, Filter{AreaNo: 1}, 14, map[string]row{
			"沈阳市": {true, 2, 1, 1, 2},
			"大连市": {true, 2, 1, 2, 1},
		}},
		{"both kinds", "", Filter{}, 66, map[string]row{
			"沈阳职业技术学院": {true, schoolTasks, 3, 5, 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.CoverageBySubmitter(ctx, tt.kind, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.rows {
				t.Fatalf("%d rows, want %d", len(got), tt.rows)
			}
			seen := 0
			defer func() {
				if seen != len(tt.want) {
					t.Errorf("%d of the %d units checked were in the answer", seen, len(tt.want))
				}
			}()
			for _, c := range got {
				w, ok := tt.want[c.Submitter]
				if !ok {
					continue
				}
				seen++
				g := row{c.Returned, c.TasksExpected, c.TasksAddressed, c.Measures, c.Rank}
				if g != w {
					t.Errorf("%s: got %+v, want %+v", c.Submitter, g, w)
				}
				if !near(c.Coverage, frac(w.addressed, w.expected)) {
					t.Errorf("%s: coverage %v", c.Submitter, c.Coverage)
				}
			}
		})
	}
}

func TestCoverageByCity(t *testing.T) {
	db := MustOpenFixture(t)
	got, err := db.CoverageByCity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 14 || got[0].City != "沈阳市" || got[1].City != "大连市" || got[2].City != "鞍山市" {
		t.Fatalf("cities out of roster order: %d rows, first %s", len(got), got[0].City)
	}
	sy, dl, as := got[0], got[1], got[2]
	// 沈阳市: the city 3/43; its 19 colleges pooled: 3 addressed pairs of 19 × 38.
	if !sy.CityReturned || sy.CityTasksAddressed != 3 || sy.SchoolsExpected != 19 || sy.SchoolsReturned != 1 ||
		sy.SchoolPairsExpected != 19*schoolTasks || sy.SchoolPairsAddressed != 3 || !near(sy.SchoolCoverage, 3.0/(19*schoolTasks)) {
		t.Errorf("沈阳市 %+v", sy)
	}
	if len(sy.MissingSchools) != 18 || sy.MissingSchools[0] != "辽宁省交通高等专科学校" {
		t.Errorf("沈阳市 missing %d, first %q", len(sy.MissingSchools), sy.MissingSchools)
	}
	// 大连市: 大连职院 (rejected file) is missing; 9 of 10 missing in all.
	if dl.SchoolsReturned != 1 || len(dl.MissingSchools) != 9 || dl.MissingSchools[0] != "大连职业技术学院" {
		t.Errorf("大连市 %+v", dl)
	}
	if as.CityReturned || as.CityCoverage != 0 || as.SchoolsExpected != 1 || as.SchoolCoverage != 0 {
		t.Errorf("鞍山市 %+v", as)
	}
}

func TestCoverageByDepartment(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	got, err := db.CoverageByDepartment(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]DepartmentCoverage{}
	for _, d := range got {
		byName[d.Department] = d
	}
	// See TestViewCoverageByDepartment for the counts.
	if d := byName["省委教育工委"]; d.Tasks != 2 || d.ExpectedPairs != 132 || d.AddressedPairs != 5 || !near(d.Coverage, 5.0/132) ||
		d.CityPairsExpected != 28 || d.CityPairsAddressed != 2 || d.SchoolPairsExpected != 104 || d.SchoolPairsAddressed != 3 {
		t.Errorf("省委教育工委 %+v", d)
	}
	if d := byName["教育部"]; d.ExpectedPairs != 0 || d.Coverage != 0 {
		t.Errorf("教育部 %+v", d)
	}
	tasks, err := db.DepartmentTasks(ctx, "省教育工委") // an alias
	if err != nil || len(tasks) != 2 || tasks[0].TaskNo != 1 || tasks[1].TaskNo != 3 {
		t.Errorf("DepartmentTasks(省教育工委) = %d tasks, %v", len(tasks), err)
	}
	if _, err := db.DepartmentTasks(ctx, "省外星办"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown department: %v", err)
	}
}
