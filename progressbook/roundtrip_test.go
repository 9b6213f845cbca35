package progressbook_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lnvedash/checklist"
	"lnvedash/ingest"
	"lnvedash/progressbook"
	"lnvedash/queries"
	"lnvedash/queries/querytest"
)

// planMeasures are what 大连市 commits in its plan fixture: task, measure, goal, due.
var planMeasures = []struct {
	task               int
	measure, goal, due string
}{
	{24, "推动重点产业园区与职业院校共建产业学院", "建设产业学院2个", "2022年6月"},
	{24, "组织校企联合申报省级产业学院", "完成申报", "2022年12月"},
	{9, "建设市级高水平特色专业群", "建成特色专业群5个", "2021年12月"},
	{3, "开展课程思政示范课堂评选", "评选示范课堂10个", "2023年6月"},
}

// writePlan fills the blank checklist for 大连市 with excelize, as a clerk would, and saves it.
func writePlan(t *testing.T, dir string) string {
	t.Helper()
	f, err := checklist.Build(mustSeeds(t), checklist.Options{For: "大连市"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	used := map[int]int{}
	for _, m := range planMeasures {
		row := checklist.TaskRow(m.task) + used[m.task]
		used[m.task]++
		for col, v := range map[string]string{"E": m.measure, "F": m.goal, "G": "市教育局", "H": m.due} {
			if err := f.SetCellStr(checklist.SheetName, col+itoa(row), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(dir, "大连市_方案.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRoundTrip: generate the workbook → fill it with excelize as a unit would → ingest → every key
// links, the statuses and quantities land where they were typed, and the views count them.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := querytest.Open(t, "")
	dir := t.TempDir()
	data := t.TempDir()
	if _, err := ingest.Run(ctx, db, ingest.Options{DataDir: data}, writePlan(t, dir)); err != nil {
		t.Fatal(err)
	}
	round, err := db.AddRound(ctx, queries.Round{Name: "2022年上半年进展", AsOf: date(2022, 6, 30), Deadline: date(2022, 7, 15)})
	if err != nil {
		t.Fatal(err)
	}
	if round.ID != 2 {
		t.Fatalf("round %d, want 2 (round 1 is the plan)", round.ID)
	}
	who, ms, err := db.PlanMeasures(ctx, "大连")
	if err != nil {
		t.Fatal(err)
	}
	if who != "大连市" || len(ms) != len(planMeasures) {
		t.Fatalf("PlanMeasures = %s, %d measures; want 大连市, %d", who, len(ms), len(planMeasures))
	}
	f, err := progressbook.Build(round, who, ms)
	if err != nil {
		t.Fatal(err)
	}
	// The unit's answers, by measure text (the workbook lists them in plan order).
	answers := map[string][3]string{ // status, achieved, note
		"推动重点产业园区与职业院校共建产业学院": {"已完成", "2", "已建成两个产业学院"},
		"组织校企联合申报省级产业学院":      {"按期推进", "", "已完成申报材料"},
		"建设市级高水平特色专业群":        {"滞后", "3", "受疫情影响"},
		// 开展课程思政示范课堂评选: left blank — not reported
	}
	sh := progressbook.SheetName
	row := progressbook.FirstRow
	for ; ; row++ {
		measure, _ := f.GetCellValue(sh, "D"+itoa(row))
		if measure == "" {
			break
		}
		a, ok := answers[measure]
		if !ok {
			continue
		}
		set(t, f, sh, progressbook.ColStatus, row, a[0])
		set(t, f, sh, progressbook.ColAchieved, row, a[1])
		set(t, f, sh, progressbook.ColNote, row, a[2])
	}
	// A new measure in the first blank row.
	set(t, f, sh, 2, row, "24")
	set(t, f, sh, 4, row, "新建市级公共实训基地一个")
	set(t, f, sh, progressbook.ColStatus, row, "按期推进")
	path := filepath.Join(dir, "大连市_进展.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res, err := ingest.Run(ctx, db, ingest.Options{DataDir: data}, path)
	if err != nil {
		t.Fatal(err)
	}
	if fr := res.Files[0]; fr.Status != "current" || fr.Submitter != "大连市" {
		t.Fatalf("progress file: %+v", fr)
	}
	// every key links; the added row is new
	var keyed, fresh, rounds int
	if err := db.QueryRow(`SELECT count(*) FILTER (WHERE link_method = 'key'), count(*) FILTER (WHERE link_method = 'new'),
		count(DISTINCT round_id) FROM progress WHERE round_id = 2`).Scan(&keyed, &fresh, &rounds); err != nil {
		t.Fatal(err)
	}
	if keyed != 4 || fresh != 1 || rounds != 1 {
		t.Errorf("linked by key %d, new %d, rounds %d; want 4, 1, 1", keyed, fresh, rounds)
	}
	got := map[string]string{}
	rows, err := db.Query(`SELECT measure, status FROM measure_status WHERE submitter = '大连市'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var m, s string
		if err := rows.Scan(&m, &s); err != nil {
			t.Fatal(err)
		}
		got[m] = s
	}
	rows.Close()
	want := map[string]string{
		"推动重点产业园区与职业院校共建产业学院": "已完成",
		"组织校企联合申报省级产业学院":      "按期推进",
		"建设市级高水平特色专业群":        "滞后",
		"开展课程思政示范课堂评选":        "未报告",
	}
	for m, s := range want {
		if got[m] != s {
			t.Errorf("measure_status %s = %q, want %q", m, got[m], s)
		}
	}
	// Overdue at the round's as-of date 2022-06-30: due 2021-12 (滞后) is red; due 2022-06-30 is not
	// past it; 2022-12 and 2023-06 are later. So 1 overdue, 1 red.
	var measures, done, onTrack, late, notReported, overdue, red int
	if err := db.QueryRow(`SELECT measures, done, on_track, late, not_reported, overdue, red
		FROM completion_by_submitter WHERE submitter = '大连市'`).Scan(&measures, &done, &onTrack, &late, &notReported, &overdue, &red); err != nil {
		t.Fatal(err)
	}
	if [7]int{measures, done, onTrack, late, notReported, overdue, red} != [7]int{4, 1, 1, 1, 1, 1, 1} {
		t.Errorf("completion_by_submitter 大连市 = %v, want [4 1 1 1 1 1 1]", [7]int{measures, done, onTrack, late, notReported, overdue, red})
	}
	// task 24 for cities: 2 measures, 1 done, 1 on track
	if err := db.QueryRow(`SELECT measures, done, on_track FROM completion_by_task WHERE task_no = 24 AND kind = 'city'`).Scan(&measures, &done, &onTrack); err != nil {
		t.Fatal(err)
	}
	if measures != 2 || done != 1 || onTrack != 1 {
		t.Errorf("completion_by_task 24 = %d %d %d, want 2 1 1", measures, done, onTrack)
	}
	// 产业学院: committed 2 (建设产业学院2个), achieved 2 (a bare 2 in the unit of the commitment)
	var committed, achieved float64
	if err := db.QueryRow(`SELECT committed_by_cities, achieved_by_cities FROM target_achievement WHERE metric = '产业学院'`).Scan(&committed, &achieved); err != nil {
		t.Fatal(err)
	}
	if committed != 2 || achieved != 2 {
		t.Errorf("产业学院 committed %v achieved %v, want 2 2", committed, achieved)
	}
	// the unreported measure is on the correction list
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM findings WHERE code = 'measure_not_reported' AND message LIKE '%课程思政示范课堂%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d measure_not_reported findings for the blank row, want 1", n)
	}
	// the plan is untouched: still one current plan file, 4 measures
	if err := db.QueryRow(`SELECT count(*) FROM current_submissions`).Scan(&n); err != nil || n != 1 {
		t.Errorf("current_submissions = %d (%v), want 1: a progress return must not supersede the plan", n, err)
	}
	var returned bool
	if err := db.QueryRow(`SELECT returned FROM coverage_by_submitter WHERE submitter = '大连市'`).Scan(&returned); err != nil || !returned {
		t.Errorf("大连市 plan returned = %v (%v)", returned, err)
	}
}

func set(t *testing.T, f *excelize.File, sh string, col, row int, v string) {
	t.Helper()
	if v == "" {
		return
	}
	name, _ := excelize.CoordinatesToCellName(col, row)
	if err := f.SetCellStr(sh, name, v); err != nil {
		t.Fatal(err)
	}
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
