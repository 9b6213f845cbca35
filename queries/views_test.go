package queries

import (
	"context"
	"database/sql"
	"math"
	"strconv"
	"testing"
)

// Hand counts from seeds/tasks.csv, used throughout the tests:
//   - 42 tasks expect every city (expects_cities with city_scope 各市 or 相关市政府); task 37 (沈阳市)
//     expects 沈阳市 alone, so 沈阳市 is expected for 43 tasks and every other city for 42.
//   - 38 tasks expect colleges.
//   - the roster has 14 cities and 52 colleges: 19 in 沈阳市, 10 in 大连市, 1 in 鞍山市.
const (
	cityTasks     = 42
	shenyangTasks = 43
	schoolTasks   = 38
)

// viewCase is one SQL probe of a view with the number the fixture must give.
type viewCase struct {
	name string
	sql  string
	want float64
}

func runViewCases(t *testing.T, db *DB, cases []viewCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got sql.NullFloat64
			if err := db.QueryRowContext(context.Background(), c.sql).Scan(&got); err != nil {
				t.Fatalf("%s: %v", c.sql, err)
			}
			if math.IsNaN(c.want) {
				if got.Valid {
					t.Errorf("%s = %v, want NULL", c.sql, got.Float64)
				}
				return
			}
			if !got.Valid || math.Abs(got.Float64-c.want) > 1e-9 {
				t.Errorf("%s = %v (valid %v), want %v", c.sql, got.Float64, got.Valid, c.want)
			}
		})
	}
}

var null = math.NaN()

func TestViewsBase(t *testing.T) {
	db := MustOpenFixture(t)
	runViewCases(t, db, []viewCase{
		// 7 files: 1 superseded (沈阳市 v1), 4 current (2, 3, 4, 6), 2 rejected (5, 7).
		{"submissions current", "SELECT count(*) FROM submissions WHERE status = 'current'", 4},
		{"submissions superseded", "SELECT submission_id FROM submissions WHERE status = 'superseded'", 1},
		{"submissions rejected", "SELECT count(*) FROM submissions WHERE status = 'rejected'", 2},
		// current measures: 沈阳市 v2 5 + 大连市 3 + 沈阳职院 5 + 辽宁轻工 2 = 15; v1's 3 are not among them.
		{"measures current", "SELECT count(*) FROM measures", 15},
		{"all_measures", "SELECT count(*) FROM all_measures", 18},
		{"measures none superseded", "SELECT count(*) FROM measures WHERE submission_id = 1", 0},
		// commitments of current submissions: 9 rows minus the superseded one = 8.
		{"commitments", "SELECT count(*) FROM commitments", 8},
		{"current_submissions", "SELECT count(*) FROM current_submissions", 4},
		// coverage_pairs is 54 tasks × 66 rostered submitters.
		{"coverage_pairs rows", "SELECT count(*) FROM coverage_pairs", 54 * 66},
		{"coverage_pairs expected cities", "SELECT count(*) FROM coverage_pairs WHERE kind = 'city' AND expected", 14*cityTasks + 1},
		{"coverage_pairs expected schools", "SELECT count(*) FROM coverage_pairs WHERE kind = 'school' AND expected", 52 * schoolTasks},
		// task 37 is expected of 沈阳市 only
		{"task 37 expected", "SELECT (string_agg(submitter) = '沈阳市')::INT FROM coverage_pairs WHERE task_no = 37 AND expected", 1},
	})
}

func TestViewCoverageByTask(t *testing.T) {
	db := MustOpenFixture(t)
	q := func(col string, task int) string {
		return "SELECT " + col + " FROM coverage_by_task WHERE task_no = " + strconv.Itoa(task)
	}
	runViewCases(t, db, []viewCase{
		{"rows", "SELECT count(*) FROM coverage_by_task", 54},
		// task 1: every city and college expected; 沈阳市 and 大连市 address it, 沈阳职院 and 辽宁轻工 too.
		{"t1 cities_expected", q("cities_expected", 1), 14},
		{"t1 cities_responded", q("cities_responded", 1), 2},
		{"t1 city_coverage", q("city_coverage", 1), 2.0 / 14},
		{"t1 schools_expected", q("schools_expected", 1), 52},
		{"t1 schools_responded", q("schools_responded", 1), 2},
		{"t1 school_coverage", q("school_coverage", 1), 2.0 / 52},
		// 沈阳市 1 + 大连市 1 + 沈阳职院 2 + 辽宁轻工 1
		{"t1 measures", q("measures", 1), 5},
		// task 2 expects no city: city coverage is NULL, not 0; 大连市 wrote one anyway (unexpected).
		{"t2 cities_expected", q("cities_expected", 2), 0},
		{"t2 city_coverage", q("city_coverage", 2), null},
		{"t2 schools_responded", q("schools_responded", 2), 1},
		{"t2 measures", q("measures", 2), 2},
		{"t2 unexpected", q("unexpected_responders", 2), 1},
		// task 3: 沈阳市 addressed it only in the superseded v1, so no city responds; 沈阳职院 does.
		{"t3 cities_responded", q("cities_responded", 3), 0},
		{"t3 schools_responded", q("schools_responded", 3), 1},
		{"t3 measures", q("measures", 3), 1},
		// task 37: 沈阳市 alone expected and responding; 大连市's measure is counted but unexpected.
		{"t37 cities_expected", q("cities_expected", 37), 1},
		{"t37 city_coverage", q("city_coverage", 37), 1},
		{"t37 schools_expected", q("schools_expected", 37), 0},
		{"t37 measures", q("measures", 37), 2},
		{"t37 unexpected", q("unexpected_responders", 37), 1},
		// task 5: 沈阳市 v2 wrote two measures.
		{"t5 cities_responded", q("cities_responded", 5), 1},
		{"t5 city_measures", q("city_measures", 5), 2},
		// task 43 expects no college; 沈阳职院 wrote one.
		{"t43 school_coverage", q("school_coverage", 43), null},
		{"t43 measures", q("measures", 43), 1},
		// returned among expected: task 1 — 沈阳市, 大连市
		{"t1 cities_returned", q("cities_returned", 1), 2},
		// the unmatched measure of 沈阳市 v2 is in no task: Σ measures = 15 − 1
		{"sum measures", "SELECT sum(measures) FROM coverage_by_task", 14},
	})
}

func TestViewCoverageBySubmitter(t *testing.T) {
	db := MustOpenFixture(t)
	q := func(col, who string) string {
		return "SELECT " + col + " FROM coverage_by_submitter WHERE submitter = '" + who + "'"
	}
	runViewCases(t, db, []viewCase{
		{"rows", "SELECT count(*) FROM coverage_by_submitter", 66},
		// 沈阳市 v2 addresses 1, 37, 5 of its 43; 5 measures, 1 of them unmatched; 2 versions.
		{"沈阳 expected", q("tasks_expected", "沈阳市"), shenyangTasks},
		{"沈阳 addressed", q("tasks_addressed", "沈阳市"), 3},
		{"沈阳 coverage", q("coverage", "沈阳市"), 3.0 / shenyangTasks},
		{"沈阳 measures", q("measures", "沈阳市"), 5},
		{"沈阳 unmatched", q("unmatched_measures", "沈阳市"), 1},
		{"沈阳 versions", q("versions", "沈阳市"), 2},
		{"沈阳 current", q("submission_id", "沈阳市"), 2},
		{"沈阳 rank", q("rank", "沈阳市"), 1},
		// 大连市: task 1 only among the expected; 2 and 37 are unexpected.
		{"大连 addressed", q("tasks_addressed", "大连市"), 1},
		{"大连 unexpected", q("tasks_unexpected", "大连市"), 2},
		{"大连 rank", q("rank", "大连市"), 2},
		// 鞍山市 sent nothing: present, returned false, coverage 0.
		{"鞍山 returned", q("returned::INT", "鞍山市"), 0},
		{"鞍山 expected", q("tasks_expected", "鞍山市"), cityTasks},
		{"鞍山 coverage", q("coverage", "鞍山市"), 0},
		// 大连职院 sent only a rejected file: not returned.
		{"大连职院 returned", q("returned::INT", "大连职业技术学院"), 0},
		{"大连职院 rejected", q("rejected_files", "大连职业技术学院"), 1},
		// 沈阳职院 addresses 1, 2, 3 of 38 (43 is not expected of colleges).
		{"沈阳职院 addressed", q("tasks_addressed", "沈阳职业技术学院"), 3},
		{"沈阳职院 coverage", q("coverage", "沈阳职业技术学院"), 3.0 / schoolTasks},
		{"沈阳职院 rank", q("rank", "沈阳职业技术学院"), 1},
		{"辽宁轻工 addressed", q("tasks_addressed", "辽宁轻工职业学院"), 2},
		{"辽宁轻工 rank", q("rank", "辽宁轻工职业学院"), 2},
		{"returned", "SELECT count(*) FROM coverage_by_submitter WHERE returned", 4},
	})
}

func TestViewCoverageByCity(t *testing.T) {
	db := MustOpenFixture(t)
	q := func(col, city string) string {
		return "SELECT " + col + " FROM coverage_by_city WHERE city = '" + city + "'"
	}
	runViewCases(t, db, []viewCase{
		{"rows", "SELECT count(*) FROM coverage_by_city", 14},
		{"沈阳 city_coverage", q("city_coverage", "沈阳市"), 3.0 / shenyangTasks},
		// 19 colleges in 沈阳市; only 沈阳职院 returned, addressing 3 of its 38 tasks; pooled over all 19.
		{"沈阳 schools_expected", q("schools_expected", "沈阳市"), 19},
		{"沈阳 schools_returned", q("schools_returned", "沈阳市"), 1},
		{"沈阳 pairs expected", q("school_pairs_expected", "沈阳市"), 19 * schoolTasks},
		{"沈阳 pairs addressed", q("school_pairs_addressed", "沈阳市"), 3},
		{"沈阳 school_coverage", q("school_coverage", "沈阳市"), 3.0 / (19 * schoolTasks)},
		{"沈阳 school_coverage_returned", q("school_coverage_returned", "沈阳市"), 3.0 / schoolTasks},
		{"沈阳 school_measures", q("school_measures", "沈阳市"), 5},
		// 大连市: 10 colleges (辽宁税务高专 among them), 辽宁轻工 returned (2 tasks), 大连职院's file was rejected.
		{"大连 schools_expected", q("schools_expected", "大连市"), 10},
		{"大连 schools_returned", q("schools_returned", "大连市"), 1},
		{"大连 school_coverage", q("school_coverage", "大连市"), 2.0 / (10 * schoolTasks)},
		// 鞍山市: nothing from the city nor its one college.
		{"鞍山 city_returned", q("city_returned::INT", "鞍山市"), 0},
		{"鞍山 city_coverage", q("city_coverage", "鞍山市"), 0},
		{"鞍山 schools_expected", q("schools_expected", "鞍山市"), 1},
		{"鞍山 school_coverage", q("school_coverage", "鞍山市"), 0},
		{"鞍山 school_coverage_returned", q("school_coverage_returned", "鞍山市"), null},
	})
}

func TestViewCoverageByDepartment(t *testing.T) {
	db := MustOpenFixture(t)
	q := func(col, dept string) string {
		return "SELECT " + col + " FROM coverage_by_department WHERE department = '" + dept + "'"
	}
	runViewCases(t, db, []viewCase{
		{"rows", "SELECT count(*) FROM coverage_by_department", 14},
		// 省总工会 leads task 2 alone: 52 colleges expected, 沈阳职院 addressed it.
		{"总工会 tasks", q("tasks", "省总工会"), 1},
		{"总工会 expected", q("expected_pairs", "省总工会"), 52},
		{"总工会 addressed", q("addressed_pairs", "省总工会"), 1},
		{"总工会 coverage", q("coverage", "省总工会"), 1.0 / 52},
		{"总工会 city_coverage", q("city_coverage", "省总工会"), null},
		// 省委教育工委 leads tasks 1 and 3, both expecting 14 cities and 52 colleges: 2 × 66 = 132 pairs;
		// task 1: 2 cities + 2 colleges, task 3: 1 college → 5.
		{"工委 expected", q("expected_pairs", "省委教育工委"), 132},
		{"工委 addressed", q("addressed_pairs", "省委教育工委"), 5},
		{"工委 city", q("city_pairs_addressed", "省委教育工委"), 2},
		{"工委 school", q("school_pairs_addressed", "省委教育工委"), 3},
		// 省政府外事办 leads 34, 35, 36 (14 + 52 each) and 37 (沈阳市 only): 3 × 66 + 1 = 199; 沈阳市 on 37.
		{"外事办 expected", q("expected_pairs", "省政府外事办"), 199},
		{"外事办 addressed", q("addressed_pairs", "省政府外事办"), 1},
		// 教育部 leads task 42, which expects nobody.
		{"教育部 expected", q("expected_pairs", "教育部"), 0},
		{"教育部 coverage", q("coverage", "教育部"), null},
	})
}

func TestViewTargetProgress(t *testing.T) {
	db := MustOpenFixture(t)
	q := func(col, metric string) string {
		return "SELECT " + col + " FROM target_progress WHERE metric = '" + metric + "'"
	}
	runViewCases(t, db, []viewCase{
		{"rows", "SELECT count(*) FROM target_progress", 25},
		// 思政示范课堂, target 200: 沈阳职院 5 个; its 3 门 is a unit mismatch; 沈阳市 v1's 10 is superseded.
		{"思政 schools", q("committed_by_schools", "思想政治课示范课堂"), 5},
		{"思政 cities", q("committed_by_cities", "思想政治课示范课堂"), 0},
		{"思政 school_ratio", q("school_ratio", "思想政治课示范课堂"), 5.0 / 200},
		{"思政 mismatches", q("unit_mismatches", "思想政治课示范课堂"), 1},
		// 产业学院, target 20: 大连市 3 (city) and 辽宁轻工 2 (school), upper bound 5.
		{"产业学院 cities", q("committed_by_cities", "产业学院"), 3},
		{"产业学院 schools", q("committed_by_schools", "产业学院"), 2},
		{"产业学院 city_ratio", q("city_ratio", "产业学院"), 3.0 / 20},
		{"产业学院 school_ratio", q("school_ratio", "产业学院"), 2.0 / 20},
		{"产业学院 upper_bound", q("upper_bound", "产业学院"), 5},
		{"产业学院 upper_bound_ratio", q("upper_bound_ratio", "产业学院"), 5.0 / 20},
		{"产业学院 cities_committing", q("cities_committing", "产业学院"), 1},
		// 职业技能培训 2,000,000 人次: 大连市 12,000.
		{"培训 city_ratio", q("city_ratio", "职业技能培训"), 12000.0 / 2000000},
		// 达标比例 (%): the mean of 100 and 90, not the sum.
		{"达标 aggregate", q("(aggregate = 'mean')::INT", "达到国家设置标准的职业院校比例"), 1},
		{"达标 schools", q("committed_by_schools", "达到国家设置标准的职业院校比例"), 95},
		{"达标 school_ratio", q("school_ratio", "达到国家设置标准的职业院校比例"), 0.95},
		{"no commitments", q("upper_bound", "课程思政教育案例"), 0},
	})
}

func TestViewDeadlinesAndLocalUnits(t *testing.T) {
	db := MustOpenFixture(t)
	runViewCases(t, db, []viewCase{
		{"rows", "SELECT count(*) FROM deadlines", 15},
		// ongoing: 沈阳市 r6 (长期), 沈阳职院 r7 (持续推进); no date: 沈阳市 r9, 大连市 r5, 辽宁轻工 r6.
		{"ongoing", "SELECT count(*) FROM deadlines WHERE status = 'ongoing'", 2},
		{"no_date", "SELECT count(*) FROM deadlines WHERE status = 'no_date'", 3},
		// dates all in 2021–2023; today (≥ 2026) makes every dated one overdue: 15 − 2 − 3.
		{"overdue today", "SELECT count(*) FROM deadlines WHERE status = 'overdue'", 10},
		{"within target year", "SELECT count(*) FROM deadlines WHERE within_target_year", 9},
		{"quarter", "SELECT count(*) FROM deadlines WHERE due_quarter = '2021Q4'", 3},
		{"month", "SELECT count(*) FROM deadlines WHERE due_month = '2022-06'", 1},
		// local units: 17 pieces (see TestLocalUnits for the list).
		{"local_units rows", "SELECT count(*) FROM local_units", 17},
		{"省人社厅 normalised", "SELECT count(*) FROM local_units WHERE unit_raw = '省人社厅' AND unit = '省人力资源社会保障厅' AND normalised_by = 'alias'", 1},
		{"bracket dropped", "SELECT count(*) FROM local_units WHERE unit_raw = '市教育局（牵头）' AND unit = '市教育局' AND department IS NULL", 1},
		{"alias map", "SELECT count(*) FROM unit_aliases WHERE alias = '省外办' AND department = '省政府外事办'", 1},
	})
}
