package queries

import (
	"context"
	"os"
	"testing"
)

// mustOpenProgressFixture is the query fixture with testdata/progress.sql's two progress rounds on top.
// The progress rows take the plan rows' keys from measure_key_rows, so the plan is refreshed first.
func mustOpenProgressFixture(tb testing.TB) *DB {
	tb.Helper()
	db := MustOpenFixture(tb)
	b, err := os.ReadFile("testdata/progress.sql")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.ExecContext(context.Background(), string(b)); err != nil {
		tb.Fatalf("progress fixture: %v", err)
	}
	if err := db.Refresh(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return db
}

// statusCols are the counting columns of every completion_* view, in this order.
const statusCols = "measures, done, on_track, late, not_started, adjusted, cancelled, not_reported"

// completionCase is one row of a completion_* view: the 8 status counts, then overdue and red.
type completionCase struct {
	name, where string
	want        [10]int
}

func runCompletionCases(t *testing.T, db *DB, view string, cases []completionCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got [10]int
			q := "SELECT " + statusCols + ", overdue, red FROM " + view + " WHERE " + c.where
			if view == "completion_by_round" {
				q = "SELECT " + statusCols + ", 0, 0 FROM " + view + " WHERE " + c.where
			}
			dest := make([]any, len(got))
			for i := range got {
				dest[i] = &got[i]
			}
			if err := db.QueryRowContext(context.Background(), q).Scan(dest...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if got != c.want {
				t.Errorf("%s\n got  %v\n want %v", q, got, c.want)
			}
		})
	}
}

// Latest statuses, by hand from progress.sql (plan rows of fixture.sql; overdue = due before 2022-12-31):
//
//	沈阳市 (city, 沈阳):   r5 t1 2021-12 已完成 (round 3, overdue); r6 t37 长期 按期推进; r7 t5 2022-06-30
//	                      滞后 (overdue, red); r8 t5 2023-06 未报告; r9 no task 未报告
//	大连市 (city, 大连):   r4 t1 2021-12 已完成 (round 2, overdue); r5 t2 滞后; r6 t37 2022-09-30 未报告 (red)
//	沈阳职院 (school, 沈阳): r5 t1 2021-09 已完成; r6 t1 2021-10 已调整 (both overdue); r7 t2 未报告 (the
//	                      superseded return's 已完成 does not count); r8 t3 2022-12-31 已取消 (not
//	                      overdue: due on the as-of day); r9 t43 2022-03 未启动 (red)
//	辽宁轻工 (school, 大连): r5 t1 2022-01 未报告 (red); r6 t24 未报告
func TestViewCompletionByCity(t *testing.T) {
	db := mustOpenProgressFixture(t)
	runCompletionCases(t, db, "completion_by_city", []completionCase{
		{"沈阳市 city", "city = '沈阳市' AND kind = 'city'", [10]int{5, 1, 1, 1, 0, 0, 0, 2, 2, 1}},
		{"沈阳市 school", "city = '沈阳市' AND kind = 'school'", [10]int{5, 1, 0, 0, 1, 1, 1, 1, 3, 1}},
		{"大连市 city", "city = '大连市' AND kind = 'city'", [10]int{3, 1, 0, 1, 0, 0, 0, 1, 2, 1}},
		{"大连市 school", "city = '大连市' AND kind = 'school'", [10]int{2, 0, 0, 0, 0, 0, 0, 2, 1, 1}},
		{"鞍山市 city: nothing sent, zeros", "city = '鞍山市' AND kind = 'city'", [10]int{}},
	})
	runViewCases(t, db, []viewCase{
		{"rows: 14 cities × 2 kinds", "SELECT count(*) FROM completion_by_city", 28},
		{"沈阳市 city done_rate 1/5", "SELECT done_rate FROM completion_by_city WHERE city = '沈阳市' AND kind = 'city'", 0.2},
		{"沈阳市 city reported_rate 3/5", "SELECT reported_rate FROM completion_by_city WHERE city = '沈阳市' AND kind = 'city'", 0.6},
		{"沈阳市 school reported_rate 4/5", "SELECT reported_rate FROM completion_by_city WHERE city = '沈阳市' AND kind = 'school'", 0.8},
		{"大连市 school reported_rate 0", "SELECT reported_rate FROM completion_by_city WHERE city = '大连市' AND kind = 'school'", 0},
		{"鞍山市 done_rate NULL without measures", "SELECT done_rate FROM completion_by_city WHERE city = '鞍山市' AND kind = 'city'", null},
	})
}

// Lead departments by seeds/tasks.csv: task 1 省委教育工委、省教育厅; 2 省人力资源社会保障厅、省总工会、
// 省教育厅; 3 省委教育工委、省教育厅; 5 省教育厅; 24 省教育厅、省发展改革委、省财政厅; 37 省教育厅、
// 省政府外事办; 43 none. A measure counts for each lead department of its task; no task, no department.
func TestViewCompletionByDepartment(t *testing.T) {
	db := mustOpenProgressFixture(t)
	runCompletionCases(t, db, "completion_by_department", []completionCase{
		// 大连市 r5 (task 2, 滞后, no due date)
		{"省总工会 city", "department = '省总工会' AND kind = 'city'", [10]int{1, 0, 0, 1, 0, 0, 0, 0, 0, 0}},
		// 沈阳职院 r7 (task 2, 未报告, ongoing)
		{"省总工会 school", "department = '省总工会' AND kind = 'school'", [10]int{1, 0, 0, 0, 0, 0, 0, 1, 0, 0}},
		// 沈阳市 r6 按期推进 (长期) and 大连市 r6 未报告 (due 2022-09-30: overdue, red)
		{"省政府外事办 city", "department = '省政府外事办' AND kind = 'city'", [10]int{2, 0, 1, 0, 0, 0, 0, 1, 1, 1}},
		{"省政府外事办 school", "department = '省政府外事办' AND kind = 'school'", [10]int{}},
		// 沈阳市 r5 r6 r7 r8 + 大连市 r4 r5 r6 (r9 has no task): done 沈r5 大r4, on track 沈r6, late 沈r7 大r5,
		// not reported 沈r8 大r6; overdue 沈r5 沈r7 大r4 大r6; red 沈r7 大r6
		{"省教育厅 city", "department = '省教育厅' AND kind = 'city'", [10]int{7, 2, 1, 2, 0, 0, 0, 2, 4, 2}},
		// 沈阳职院 r5 r6 r7 r8 (r9 is task 43, no department) + 辽宁轻工 r5 r6: overdue 职r5 职r6 轻r5; red 轻r5
		{"省教育厅 school", "department = '省教育厅' AND kind = 'school'", [10]int{6, 1, 0, 0, 0, 1, 1, 3, 3, 1}},
		// task 1 (沈r5, 大r4) and 3 (none for cities)
		{"省委教育工委 city", "department = '省委教育工委' AND kind = 'city'", [10]int{2, 2, 0, 0, 0, 0, 0, 0, 2, 0}},
	})
}

// completion_by_round counts each round's own reports over the 15 current plan measures (8 of cities,
// 7 of colleges), 未报告 where that round's current return says nothing. The new measure of file 9 has
// no key and counts nowhere; the plan round is not a row.
func TestViewCompletionByRound(t *testing.T) {
	db := mustOpenProgressFixture(t)
	runCompletionCases(t, db, "completion_by_round", []completionCase{
		// 沈阳市 r5 按期推进, r7 未启动; 大连市 r4 已完成, r5 滞后
		{"round 2 city", "round_id = 2 AND kind = 'city'", [10]int{8, 1, 1, 1, 1, 0, 0, 4}},
		{"round 2 school", "round_id = 2 AND kind = 'school'", [10]int{7, 0, 0, 0, 0, 0, 0, 7}},
		// 沈阳市 r5 已完成, r6 按期推进, r7 滞后; 大连市 sent nothing in round 3
		{"round 3 city", "round_id = 3 AND kind = 'city'", [10]int{8, 1, 1, 1, 0, 0, 0, 5}},
		// 沈阳职院's current return (11): 已完成, 已调整, 已取消, 未启动; its superseded 12 does not count
		{"round 3 school", "round_id = 3 AND kind = 'school'", [10]int{7, 1, 0, 0, 1, 1, 1, 3}},
	})
	runViewCases(t, db, []viewCase{
		{"rows: 2 progress rounds × 2 kinds", "SELECT count(*) FROM completion_by_round", 4},
		// 12 rows of current returns: 2 + 4 + 2 + 4; file 12 is superseded
		{"progress rows current", "SELECT count(*) FROM progress", 12},
		{"progress none superseded", "SELECT count(*) FROM progress WHERE submission_id = 12", 0},
		{"measure_status red", "SELECT count(*) FROM measure_status WHERE red", 4},
		{"measure_status round of 大连市 r4", "SELECT round_id FROM measure_status WHERE submitter = '大连市' AND \"row\" = 4", 2},
	})
}

// Measures carry each current measure's latest status and key once a progress round exists: the
// pages show the status and link to /measures/KEY.
func TestMeasuresProgressStatus(t *testing.T) {
	db := mustOpenProgressFixture(t)
	ms, err := db.Measures(context.Background(), MeasureFilter{Submitter: "沈阳职业技术学院", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for _, m := range ms {
		if m.Key == "" {
			t.Errorf("row %d has no key", m.Row)
		}
		got[m.Row] = m.Progress
	}
	want := map[int]string{5: "已完成", 6: "已调整", 7: "未报告", 8: "已取消", 9: "未启动"}
	for row, s := range want {
		if got[row] != s {
			t.Errorf("沈阳职院 row %d progress %q, want %q", row, got[row], s)
		}
	}
}
