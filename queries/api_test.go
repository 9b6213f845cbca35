package queries

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestOverview(t *testing.T) {
	db := MustOpenFixture(t)
	o, err := db.Overview(context.Background(), day(2022, 3, 1))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name      string
		got, want int
	}{
		{"cities expected", o.CitiesExpected, 14},
		{"cities returned", o.CitiesReturned, 2}, // 沈阳市, 大连市
		{"missing cities", len(o.MissingCities), 12},
		{"schools expected", o.SchoolsExpected, 52},
		{"schools returned", o.SchoolsReturned, 2}, // 沈阳职院, 辽宁轻工; 大连职院 was rejected
		{"missing schools", len(o.MissingSchools), 50},
		// 14 × 42 + 1 (task 37 for 沈阳市); addressed: 沈阳市 3 + 大连市 1
		{"city pairs expected", o.CityPairsExpected, 14*cityTasks + 1},
		{"city pairs addressed", o.CityPairsAddressed, 4},
		// 52 × 38; addressed: 沈阳职院 3 + 辽宁轻工 2
		{"school pairs expected", o.SchoolPairsExpected, 52 * schoolTasks},
		{"school pairs addressed", o.SchoolPairsAddressed, 5},
		{"measures", o.Measures, 15},
		{"unmatched", o.UnmatchedMeasures, 1},
		{"commitments", o.Commitments, 8},
		{"attributed", o.AttributedCommitments, 7}, // all but 沈阳市's "新增2个"
		// due before 2022-03-01: 沈阳 2021-12, 大连 2021-12, 沈阳职院 2021-09 and 2021-10, 辽宁轻工 2022-01
		{"overdue", o.OverdueMeasures, 5},
		{"files", o.Files, 7},
		{"rejected", o.RejectedFiles, 2},
		// current submissions only: 沈阳职院's error; 沈阳市 v2's warning (v1's is superseded)
		{"open errors", o.OpenErrors, 1},
		{"open warnings", o.OpenWarnings, 1},
		{"ingests", len(o.LatestIngests), 2},
	}
	for _, w := range want {
		if w.got != w.want {
			t.Errorf("%s = %d, want %d", w.name, w.got, w.want)
		}
	}
	if !near(o.CityCoverage, 4.0/(14*cityTasks+1)) || !near(o.SchoolCoverage, 5.0/(52*schoolTasks)) {
		t.Errorf("coverage %v %v", o.CityCoverage, o.SchoolCoverage)
	}
	if o.MissingCities[0] != "鞍山市" || o.MissingSchools[0] != "辽宁省交通高等专科学校" {
		t.Errorf("missing not in roster order: %s, %s", o.MissingCities[0], o.MissingSchools[0])
	}
	// Newest run first: run 2 added files 2, 6, 7 (7 rejected).
	if r := o.LatestIngests[0]; r.RunID != 2 || r.NewFiles != 3 || r.Rejected != 1 || r.Source != "inbox" {
		t.Errorf("latest ingest %+v", r)
	}
}

func TestSubmitterDetail(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	d, err := db.Submitter(ctx, "沈阳") // an alias
	if err != nil {
		t.Fatal(err)
	}
	if d.Submitter != "沈阳市" || d.TasksAddressed != 3 || d.TasksExpected != shenyangTasks || d.Current == nil || d.Current.SubmissionID != 2 {
		t.Errorf("沈阳市 %+v", d.SubmitterCoverage)
	}
	// Versions newest first: 2 (current), 1 (superseded).
	if len(d.Versions) != 2 || d.Versions[0].SubmissionID != 2 || d.Versions[1].Status != "superseded" {
		t.Errorf("versions %+v", d.Versions)
	}
	if len(d.Tasks) != 54 || d.Tasks[4].Measures != 2 || !d.Tasks[36].Expected || d.Tasks[1].Expected {
		t.Errorf("tasks: %d, task 5 %+v", len(d.Tasks), d.Tasks[4])
	}
	// Area 1 (tasks 1–3): expected 1 and 3 (2 is not a city task), addressed 1, one measure.
	// Area 8 (tasks 34–37): 34, 35, 36 and 37 expected of 沈阳市, 37 addressed.
	areas := map[int]AreaCoverage{}
	for _, a := range d.Areas {
		areas[a.AreaNo] = a
	}
	if a := areas[1]; a.TasksExpected != 2 || a.TasksAddressed != 1 || a.Measures != 1 || !near(a.Coverage, 0.5) {
		t.Errorf("area 1 %+v", a)
	}
	if a := areas[8]; a.TasksExpected != 4 || a.TasksAddressed != 1 {
		t.Errorf("area 8 %+v", a)
	}
	if len(d.Areas) != 12 {
		t.Errorf("%d areas", len(d.Areas))
	}
	// A city's colleges, ranked in Go from the roster's rows (rankedWithin), are what the SQL answers
	// for its colleges (the city page showed the SQL's list before).
	sql, err := db.CoverageBySubmitter(ctx, KindSchool, Filter{City: "沈阳市"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sql) == 0 || !reflect.DeepEqual(d.Colleges, sql) {
		t.Errorf("沈阳市's colleges\n%+v\nthe SQL's\n%+v", d.Colleges, sql)
	}
	// A college that sent only a rejected file: no current submission, one version.
	dz, err := db.Submitter(ctx, "大连职院")
	if err != nil || dz.Returned || dz.Current != nil || len(dz.Versions) != 1 || dz.Versions[0].ReasonCode != "legacy_xls" {
		t.Errorf("大连职院 %+v %v", dz, err)
	}
	if _, err := db.Submitter(ctx, "火星市"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown submitter: %v", err)
	}
}

func TestTaskDetail(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	d, err := db.Task(ctx, 24)
	if err != nil {
		t.Fatal(err)
	}
	// Task 24: led by 省教育厅, 省发展改革委, 省财政厅; target 产业学院 20; 辽宁轻工 alone addressed it.
	if !reflect.DeepEqual(d.Departments, []string{"省教育厅", "省发展改革委", "省财政厅"}) || !d.ExpectsCities || !d.ExpectsSchools {
		t.Errorf("task 24 %+v", d.TaskCoverage)
	}
	if len(d.Targets) != 1 || d.Targets[0].Metric != "产业学院" || d.Targets[0].CommittedByCities != 3 || d.Targets[0].CommittedBySchools != 2 {
		t.Errorf("targets %+v", d.Targets)
	}
	if len(d.Responders) != 1 || d.Responders[0].Submitter != "辽宁轻工职业学院" || d.Responders[0].Measures != 1 {
		t.Errorf("responders %+v", d.Responders)
	}
	// Missing: 14 cities + 51 colleges; 沈阳市 returned but did not address it.
	if len(d.Missing) != 14+51 || d.Missing[0].Submitter != "沈阳市" || d.Missing[14].Submitter != "辽宁省交通高等专科学校" {
		t.Errorf("missing %d, not in roster order: %s, %s", len(d.Missing), d.Missing[0].Submitter, d.Missing[14].Submitter)
	}
	returnedMissing := 0
	for _, m := range d.Missing {
		if m.Returned {
			returnedMissing++
		}
	}
	if returnedMissing != 3 { // 沈阳市, 大连市, 沈阳职院
		t.Errorf("missing but returned %d", returnedMissing)
	}
	for _, no := range []int{0, 55, -1} {
		if _, err := db.Task(ctx, no); !errors.Is(err, ErrNotFound) {
			t.Errorf("Task(%d): %v", no, err)
		}
	}
}

func TestMeasures(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	tests := []struct {
		name string
		f    MeasureFilter
		want int
	}{
		{"current", MeasureFilter{}, 15},
		{"kind city", MeasureFilter{Filter: Filter{Kind: KindCity}}, 8},
		{"city 大连市 and its colleges", MeasureFilter{Filter: Filter{City: "大连市"}}, 5},
		{"task 1", MeasureFilter{Filter: Filter{TaskNo: 1}}, 5},
		{"area 1", MeasureFilter{Filter: Filter{AreaNo: 1}}, 8},                   // tasks 1 (5), 2 (2), 3 (1)
		{"department 省总工会", MeasureFilter{Filter: Filter{Department: "省总工会"}}, 2}, // task 2
		{"submitter alias", MeasureFilter{Submitter: "辽宁轻工职院"}, 2},
		// "产业" appears in 沈阳市 r5 measure, 大连市 r4 goal, 辽宁轻工 r5 and r6
		{"query", MeasureFilter{Query: "产业"}, 4},
		{"query owner", MeasureFilter{Query: "人事处"}, 2},
		// Latin letters fold case: 辽宁轻工 r6's goal mentions 1+X
		{"query latin", MeasureFilter{Query: "1+x"}, 1},
		{"query latin upper", MeasureFilter{Query: "1+X"}, 1},
		// literal, not a LIKE pattern: "%" finds the goals 100%达标 and 达标率90%, "_" nothing
		{"query percent is literal", MeasureFilter{Query: "%"}, 2},
		{"query underscore is literal", MeasureFilter{Query: "_"}, 0},
		{"superseded version", MeasureFilter{SubmissionID: 1}, 3},
		{"limit", MeasureFilter{Limit: 4}, 4},
		{"offset", MeasureFilter{Limit: 10, Offset: 10}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Measures(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Errorf("%d measures, want %d", len(got), tt.want)
			}
		})
	}
	if _, err := db.Measures(ctx, MeasureFilter{Submitter: "火星市"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown submitter: %v", err)
	}
	m, err := db.MeasureAt(ctx, 3, "清单", 4)
	if err != nil {
		t.Fatal(err)
	}
	want := Measure{SubmissionID: 3, Submitter: "大连市", Kind: "city", City: "大连市", TaskNo: 1, PrintedNo: "1",
		TaskText: "采取专兼职结合方式", Measure: "选派技术管理人才", Goal: "共建3个产业学院，培训1.2万人次",
		Owner: "市教育局（牵头）、省人社厅", Due: "2021.12", DueDate: day(2021, 12, 31), Sheet: "清单", Row: 4,
		FileName: "大连.xlsx", MatchMethod: "content", MatchScore: 1, Status: "current"}
	// the key is the plan row's own in measure_key_rows; no progress round yet, so no status to show
	var key string
	if err := db.QueryRowContext(ctx, `SELECT measure_key FROM measure_key_rows WHERE submission_id = 3 AND "row" = 4`).Scan(&key); err != nil {
		t.Fatal(err)
	}
	want.Key = key
	if m != want || key == "" {
		t.Errorf("MeasureAt\n got %+v\nwant %+v", m, want)
	}
	if m, err := db.MeasureAt(ctx, 1, "Sheet1", 6); err != nil || m.Key != "" || m.Progress != "" {
		t.Errorf("superseded MeasureAt has key %q progress %q, want none", m.Key, m.Progress)
	}
	if m != want {
		t.Errorf("MeasureAt\n got %+v\nwant %+v", m, want)
	}
	if m, err := db.MeasureAt(ctx, 1, "Sheet1", 6); err != nil || m.Status != "superseded" || m.TaskNo != 3 {
		t.Errorf("superseded MeasureAt %+v %v", m, err)
	}
	if _, err := db.MeasureAt(ctx, 3, "清单", 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("MeasureAt missing row: %v", err)
	}
}

func TestSearch(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	r, err := db.Search(ctx, "中德", 10)
	if err != nil {
		t.Fatal(err)
	}
	// Task 37's text; no submitter; 沈阳市 v2 r6 and 大连市 r6 (current only).
	if len(r.Tasks) != 1 || r.Tasks[0].TaskNo != 37 || len(r.Submitters) != 0 || len(r.Measures) != 2 {
		t.Errorf("中德: %d tasks, %d submitters, %d measures", len(r.Tasks), len(r.Submitters), len(r.Measures))
	}
	// "大连": 大连市 and its 8 colleges named 大连… (辽宁轻工 and 辽宁税务高专 are in 大连 but their names are
	// not), city match adds those two: 11 submitters; task 25's text names 大连.
	r, err = db.Search(ctx, "大连", 50)
	if err != nil || len(r.Submitters) != 11 || len(r.Tasks) != 1 || r.Tasks[0].TaskNo != 25 {
		t.Errorf("大连: %d submitters, %+v, %v", len(r.Submitters), r.Tasks, err)
	}
	if r, err := db.Search(ctx, "  ", 10); err != nil || len(r.Tasks)+len(r.Submitters)+len(r.Measures) != 0 {
		t.Errorf("blank search %+v %v", r, err)
	}
}

func TestLocalUnits(t *testing.T) {
	db := MustOpenFixture(t)
	got, err := db.LocalUnits(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	// Pieces of the current 责任单位 cells:
	//   沈阳市 r5 市教育局 · r6 市教育局、市外办 · r7 市教育局 · r8 市教育局/市农业农村局 · r9 (blank)
	//   大连市 r4 市教育局（牵头）、省人社厅 · r5 市总工会 · r6 (blank)
	//   沈阳职院 r5 组织部 · r6 组织部、人事处 · r7 工会 · r8 马克思主义学院 · r9 发展规划处
	//   辽宁轻工 r5 人事处 · r6 教务处
	// → 市教育局 5 measures (2 submitters, written two ways), 人事处 2 (2), 组织部 2 (1), then the 1s:
	//   发展规划处, 工会, 市农业农村局, 市外办, 市总工会, 教务处, 省人力资源社会保障厅, 马克思主义学院.
	if len(got) != 11 {
		t.Fatalf("%d units: %+v", len(got), got)
	}
	first := LocalUnit{Unit: "市教育局", Measures: 5, Submitters: 2, Names: []string{"大连市", "沈阳市"},
		Spellings: []string{"市教育局", "市教育局（牵头）"}}
	if !reflect.DeepEqual(got[0], first) {
		t.Errorf("first %+v", got[0])
	}
	if got[1].Unit != "人事处" || got[1].Submitters != 2 || got[2].Unit != "组织部" || got[2].Submitters != 1 {
		t.Errorf("second, third: %+v %+v", got[1], got[2])
	}
	var rs LocalUnit
	for _, u := range got {
		if u.Department != "" {
			rs = u
		}
	}
	if rs.Unit != "省人力资源社会保障厅" || rs.Department != rs.Unit || rs.NormalisedBy != "alias" || !reflect.DeepEqual(rs.Spellings, []string{"省人社厅"}) {
		t.Errorf("provincial unit %+v", rs)
	}
	schools, err := db.LocalUnits(context.Background(), Filter{Kind: KindSchool, TaskNo: 1})
	// 沈阳职院 r5, r6 and 辽宁轻工 r5: 组织部 2, 人事处 2
	if err != nil || len(schools) != 2 || schools[0].Measures != 2 || schools[1].Measures != 2 {
		t.Errorf("school units of task 1: %+v %v", schools, err)
	}
}

func TestTargetProgress(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	all, err := db.TargetProgress(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 25 || all[len(all)-1].TaskNo != 0 {
		t.Fatalf("%d targets, last %+v", len(all), all[len(all)-1])
	}
	by := map[string]TargetProgress{}
	for _, p := range all {
		by[p.Metric] = p
	}
	if p := by["产业学院"]; p.CommittedByCities != 3 || p.CommittedBySchools != 2 || p.UpperBound != 5 || !near(p.UpperBoundRatio, 0.25) ||
		!near(p.CityRatio, 0.15) || !near(p.SchoolRatio, 0.1) || p.CitiesCommitting != 1 || p.SchoolsCommitting != 1 || p.Commitments != 2 {
		t.Errorf("产业学院 %+v", p)
	}
	if p := by["思想政治课示范课堂"]; p.CommittedBySchools != 5 || p.UnitMismatches != 1 || p.Commitments != 1 {
		t.Errorf("思政 %+v", p)
	}
	if p := by["达到国家设置标准的职业院校比例"]; !p.Mean || p.CommittedBySchools != 95 || !near(p.SchoolRatio, 0.95) {
		t.Errorf("达标 %+v", p)
	}
	// Filtered by city 大连市: only 大连市's own 3 and 辽宁轻工's 2 + 90 % remain.
	dl, err := db.TargetProgress(ctx, Filter{City: "大连市", TaskNo: 24})
	if err != nil || len(dl) != 1 || dl[0].UpperBound != 5 {
		t.Errorf("大连 task 24 %+v %v", dl, err)
	}
	sy, err := db.TargetProgress(ctx, Filter{City: "沈阳市", TaskNo: 24})
	if err != nil || len(sy) != 1 || sy[0].UpperBound != 0 {
		t.Errorf("沈阳 task 24 %+v %v", sy, err)
	}
	// Department filter keeps task targets only: 省总工会 leads task 2, which has no target.
	if none, err := db.TargetProgress(ctx, Filter{Department: "省总工会"}); err != nil || len(none) != 0 {
		t.Errorf("省总工会 %+v %v", none, err)
	}
}

func TestDeadlines(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	tests := []struct {
		name string
		asOf time.Time
		f    Filter
		// total, overdue, dueByTarget, later, ongoing, noDate, withinTargetYear
		want [7]int
	}{
		// Current due dates: 2021-09-30, 2021-10-31, 2021-12-31 ×2, 2022-01-31, 2022-03-31, 2022-06-30,
		// 2022-09-30, 2022-12-31, 2023-06-30; 2 ongoing, 3 without a date.
		{"2022-03-01", day(2022, 3, 1), Filter{}, [7]int{15, 5, 4, 1, 2, 3, 9}},
		// The day itself is not overdue.
		{"2021-12-31", day(2021, 12, 31), Filter{}, [7]int{15, 2, 7, 1, 2, 3, 9}},
		{"2021-01-01", day(2021, 1, 1), Filter{}, [7]int{15, 0, 9, 1, 2, 3, 9}},
		{"2024-01-01", day(2024, 1, 1), Filter{}, [7]int{15, 10, 0, 0, 2, 3, 9}},
		// 沈阳市 (city + 沈阳职院): 沈阳 r5 2021-12, r6 ongoing, r7 2022-06, r8 2023-06, r9 none;
		// 沈阳职院 2021-09, 2021-10, ongoing, 2022-12, 2022-03.
		{"沈阳市 2022-03-01", day(2022, 3, 1), Filter{City: "沈阳市"}, [7]int{10, 3, 3, 1, 2, 1, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := db.Deadlines(ctx, tt.asOf, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			got := [7]int{d.Total, d.Overdue, d.DueByTarget, d.Later, d.Ongoing, d.NoDate, d.WithinTargetYear}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	// Own plans only, from the same hand count: 沈阳市 r5 2021-12, r6 ongoing, r7 2022-06, r8 2023-06, r9
	// none; 沈阳职院 2021-09, 2021-10, ongoing, 2022-12, 2022-03 (together the 沈阳市 row above).
	for _, tt := range []struct {
		submitter string
		want      [7]int
	}{
		{"沈阳市", [7]int{5, 1, 1, 1, 1, 1, 2}},
		{"沈阳职院", [7]int{5, 2, 2, 0, 1, 0, 4}}, // an alias
	} {
		d, err := db.SubmitterDeadlines(ctx, day(2022, 3, 1), tt.submitter)
		if err != nil {
			t.Fatal(err)
		}
		if got := [7]int{d.Total, d.Overdue, d.DueByTarget, d.Later, d.Ongoing, d.NoDate, d.WithinTargetYear}; got != tt.want {
			t.Errorf("%s own plan: got %v, want %v", tt.submitter, got, tt.want)
		}
	}
	if _, err := db.SubmitterDeadlines(ctx, day(2022, 3, 1), "不存在的学院"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown submitter: %v, want ErrNotFound", err)
	}
	d, _ := db.Deadlines(ctx, day(2022, 3, 1), Filter{})
	wantQ := []PeriodCount{{"2021Q3", 1, 1}, {"2021Q4", 3, 3}, {"2022Q1", 2, 1}, {"2022Q2", 1, 0},
		{"2022Q3", 1, 0}, {"2022Q4", 1, 0}, {"2023Q2", 1, 0}}
	if !reflect.DeepEqual(d.ByQuarter, wantQ) {
		t.Errorf("by quarter %+v", d.ByQuarter)
	}
	if len(d.ByMonth) != 9 || d.ByMonth[2] != (PeriodCount{"2021-12", 2, 2}) {
		t.Errorf("by month %+v", d.ByMonth)
	}
}

// AllLate: true only when someone returned and nobody was on time (first files as in TestReturns:
// 09-15, 09-19, 09-20 and 09-22).
func TestReturnsAllLate(t *testing.T) {
	db := MustOpenFixture(t)
	for _, tt := range []struct {
		name string
		opt  ReturnsOptions
		want bool
	}{
		{"two on time", ReturnsOptions{AsOf: day(2021, 10, 1)}, false},
		{"deadline 09-14 by ingest time: all four late", ReturnsOptions{AsOf: day(2021, 10, 1), Deadline: day(2021, 9, 14), Basis: BasisIngested}, true},
		// 沈阳市's first file was modified 09-10: by the earliest evidence it was on time.
		{"deadline 09-14: 沈阳市 on time by its file's time", ReturnsOptions{AsOf: day(2021, 10, 1), Deadline: day(2021, 9, 14)}, false},
		{"as of 09-14: nobody returned yet", ReturnsOptions{AsOf: day(2021, 9, 14), Deadline: day(2021, 9, 14)}, false},
	} {
		r, err := db.Returns(context.Background(), tt.opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.AllLate(); got != tt.want {
			t.Errorf("%s: AllLate %v, want %v (%+v)", tt.name, got, tt.want, r.Kinds)
		}
	}
}

func TestReturns(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	// First accepted files: 沈阳市 id 1 ingested 09-15 10:00; 大连市 id 3, 09-19 12:00; 沈阳职院 id 4,
	// 09-20 18:00; 辽宁轻工 id 6, 09-22 08:00 (modified 09-15). 大连职院 sent only a rejected file.
	// Deadline: the end of 2021-09-20.
	type kind struct{ expected, returned, onTime, late, missing int }
	tests := []struct {
		name         string
		opt          ReturnsOptions
		city, school kind
		late         []string
	}{
		// The default basis is the earliest evidence: 辽宁轻工 was ingested 09-22 but its file was
		// modified 09-15, so it was on time (by ingest time alone it was 32h01s late).
		{"default: earliest evidence", ReturnsOptions{AsOf: day(2021, 10, 1)}, kind{14, 2, 2, 0, 12}, kind{52, 2, 2, 0, 50}, nil},
		{"by ingest time", ReturnsOptions{AsOf: day(2021, 10, 1), Basis: BasisIngested}, kind{14, 2, 2, 0, 12}, kind{52, 2, 1, 1, 50}, []string{"辽宁轻工职业学院"}},
		// 辽宁轻工 is 32h01s late by ingest time; 32h of grace is not quite enough, 33h is.
		{"grace 32h", ReturnsOptions{AsOf: day(2021, 10, 1), Grace: 32 * time.Hour, Basis: BasisIngested}, kind{14, 2, 2, 0, 12}, kind{52, 2, 1, 1, 50}, []string{"辽宁轻工职业学院"}},
		{"grace 33h", ReturnsOptions{AsOf: day(2021, 10, 1), Grace: 33 * time.Hour, Basis: BasisIngested}, kind{14, 2, 2, 0, 12}, kind{52, 2, 2, 0, 50}, nil},
		// By modified time 辽宁轻工 (09-15) was on time.
		{"by modified", ReturnsOptions{AsOf: day(2021, 10, 1), Basis: BasisModified}, kind{14, 2, 2, 0, 12}, kind{52, 2, 2, 0, 50}, nil},
		// On 09-16 only 沈阳市's first file had arrived.
		{"as of 09-16", ReturnsOptions{AsOf: day(2021, 9, 16)}, kind{14, 1, 1, 0, 13}, kind{52, 0, 0, 0, 52}, nil},
		// An earlier deadline makes 大连市 and 沈阳职院 late too (listed in roster order).
		{"deadline 09-18 by ingest time", ReturnsOptions{AsOf: day(2021, 10, 1), Deadline: day(2021, 9, 18), Basis: BasisIngested}, kind{14, 2, 1, 1, 12}, kind{52, 2, 0, 2, 50},
			[]string{"大连市", "沈阳职业技术学院", "辽宁轻工职业学院"}},
		// By the earliest evidence 大连市 (modified 09-18 09:00) and 沈阳职院 (09-19) are still late, 辽宁轻工 (09-15) not.
		{"deadline 09-18", ReturnsOptions{AsOf: day(2021, 10, 1), Deadline: day(2021, 9, 18)}, kind{14, 2, 1, 1, 12}, kind{52, 2, 1, 1, 50},
			[]string{"大连市", "沈阳职业技术学院"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := db.Returns(ctx, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range []kind{tt.city, tt.school} {
				k := r.Kinds[i]
				g := kind{k.Expected, k.Returned, k.OnTime, k.Late, k.Missing}
				if g != w {
					t.Errorf("%s: got %+v, want %+v", k.Kind, g, w)
				}
				if !near(k.Rate, frac(w.returned, w.expected)) || !near(k.OnTimeRate, frac(w.onTime, w.expected)) || k.Rate > 1 {
					t.Errorf("%s: rates %v %v", k.Kind, k.Rate, k.OnTimeRate)
				}
			}
			var late []string
			missing := 0
			for _, c := range r.Chase {
				switch c.Status {
				case "late":
					late = append(late, c.Submitter)
				case "missing":
					missing++
				}
			}
			if !reflect.DeepEqual(late, tt.late) || missing != tt.city.missing+tt.school.missing {
				t.Errorf("chase: late %v, missing %d", late, missing)
			}
		})
	}
	r, err := db.Returns(ctx, ReturnsOptions{AsOf: day(2021, 10, 1), Basis: BasisIngested})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, c := range r.Chase {
		if c.Submitter == "大连职业技术学院" && (c.Status != "missing" || c.RejectedFiles != 1 || c.City != "大连市") {
			t.Errorf("大连职院 %+v", c)
		}
		if c.Submitter == "辽宁轻工职业学院" && (c.SubmissionID != 6 || c.Late != 32*time.Hour+time.Second) {
			t.Errorf("辽宁轻工 %+v", c)
		}
		found[c.Submitter] = true
	}
	if !found["大连职业技术学院"] || !found["辽宁轻工职业学院"] {
		t.Errorf("the chase list lacks 大连职院 (%v) or 辽宁轻工 (%v)", found["大连职业技术学院"], found["辽宁轻工职业学院"])
	}
	// Missing before late, each in roster order: 鞍山市 is the first city missing.
	if r.Chase[0].Submitter != "鞍山市" || r.Chase[len(r.Chase)-1].Status != "late" {
		t.Errorf("chase order: first %+v, last %+v", r.Chase[0], r.Chase[len(r.Chase)-1])
	}
}

func TestSubmissionsAndFindings(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	subs := []struct {
		name string
		f    SubmissionFilter
		ids  []int
	}{
		// newest ingest first
		{"all", SubmissionFilter{}, []int{2, 6, 7, 4, 5, 3, 1}},
		{"rejected", SubmissionFilter{Status: "rejected"}, []int{7, 5}},
		{"reason", SubmissionFilter{ReasonCode: "legacy_xls"}, []int{5}},
		{"submitter alias", SubmissionFilter{Submitter: "沈阳市教育局"}, []int{2, 1}},
		{"city 大连市", SubmissionFilter{City: "大连市"}, []int{6, 5, 3}},
		{"kind school", SubmissionFilter{Kind: KindSchool}, []int{6, 4, 5}},
	}
	for _, tt := range subs {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Submissions(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int
			for _, s := range got {
				ids = append(ids, s.SubmissionID)
			}
			if !reflect.DeepEqual(ids, tt.ids) {
				t.Errorf("ids %v, want %v", ids, tt.ids)
			}
		})
	}
	// Paging keeps the order of "all" above (2, 6, 7, 4, 5, 3, 1) and tells the total of the filter.
	pages := []struct {
		name  string
		f     SubmissionFilter
		ids   []int
		total int
	}{
		{"first page", SubmissionFilter{Limit: 3}, []int{2, 6, 7}, 7},
		{"middle page", SubmissionFilter{Limit: 3, Offset: 3}, []int{4, 5, 3}, 7},
		{"last page", SubmissionFilter{Limit: 3, Offset: 6}, []int{1}, 7},
		{"past the end", SubmissionFilter{Limit: 3, Offset: 9}, nil, 7},
		{"filtered", SubmissionFilter{City: "大连市", Limit: 2, Offset: 1}, []int{5, 3}, 3},
		{"filtered past the end", SubmissionFilter{Status: "rejected", Limit: 2, Offset: 2}, nil, 2},
		{"nothing kept", SubmissionFilter{ReasonCode: "encrypted", Limit: 2}, nil, 0},
	}
	for _, tt := range pages {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.SubmissionsPage(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int
			for _, s := range got.Files {
				ids = append(ids, s.SubmissionID)
			}
			if !reflect.DeepEqual(ids, tt.ids) || got.Total != tt.total {
				t.Errorf("ids %v total %d, want %v total %d", ids, got.Total, tt.ids, tt.total)
			}
		})
	}
	got, _ := db.Submissions(ctx, SubmissionFilter{SubmissionID: 2})
	if s := got[0]; s.Status != "current" || s.Measures != 5 || s.Findings != 2 || s.Warnings != 1 || s.Errors != 0 || s.RunID != 2 {
		t.Errorf("submission 2 %+v", s)
	}
	got, _ = db.Submissions(ctx, SubmissionFilter{SubmissionID: 7})
	if s := got[0]; s.Submitter != "" || s.ReasonCode != "unknown_submitter" || s.Errors != 1 {
		t.Errorf("submission 7 %+v", s)
	}

	finds := []struct {
		name string
		f    FindingFilter
		want int
	}{
		{"all", FindingFilter{}, 6},
		{"current only", FindingFilter{CurrentOnly: true}, 3}, // 2 of 沈阳市 v2, 1 of 沈阳职院
		{"errors", FindingFilter{Severity: "error"}, 3},
		{"one file", FindingFilter{SubmissionID: 2}, 2},
		{"submitter", FindingFilter{Submitter: "沈阳市"}, 3},
		{"code", FindingFilter{Code: "legacy_xls"}, 1},
		{"limit", FindingFilter{Limit: 2}, 2},
	}
	for _, tt := range finds {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Findings(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Errorf("%d findings, want %d", len(got), tt.want)
			}
		})
	}
	f, _ := db.Findings(ctx, FindingFilter{SubmissionID: 5})
	if f[0].Sheet != "" || f[0].Row != 0 || f[0].FileName != "大连职院.xls" || f[0].Status != "rejected" {
		t.Errorf("whole-file finding %+v", f[0])
	}
}

func TestVersionDiff(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	d, err := db.VersionDiff(ctx, "沈阳市", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	// v1 → v2: task 1 "配备产业导师" → "配备产业导师。" is the same measure (punctuation ignored) whose goal
	// changed 配备2名 → 配备3名; task 37 unchanged; task 3 removed; task 5 ×2 and the unmatched row added.
	if len(d.Added) != 3 || len(d.Removed) != 1 || len(d.Changed) != 1 || d.Unchanged != 1 {
		t.Fatalf("added %d removed %d changed %d unchanged %d", len(d.Added), len(d.Removed), len(d.Changed), d.Unchanged)
	}
	if d.Removed[0].TaskNo != 3 || d.Removed[0].Status != "superseded" {
		t.Errorf("removed %+v", d.Removed[0])
	}
	if c := d.Changed[0]; c.Before.Goal != "配备2名" || c.After.Goal != "配备3名" || c.Before.SubmissionID != 1 || c.After.SubmissionID != 2 {
		t.Errorf("changed %+v", c)
	}
	if d.From.SubmissionID != 1 || d.To.Status != "current" {
		t.Errorf("versions %+v → %+v", d.From, d.To)
	}
	// Backwards: what was added is removed.
	b, err := db.VersionDiff(ctx, "沈阳", 2, 1)
	if err != nil || len(b.Added) != 1 || len(b.Removed) != 3 || len(b.Changed) != 1 {
		t.Errorf("reverse diff %+v %v", b, err)
	}
	for _, tt := range []struct {
		name     string
		who      string
		from, to int
	}{
		{"unknown submitter", "火星市", 1, 2},
		{"someone else's file", "沈阳市", 1, 3},
		{"no such file", "沈阳市", 1, 99},
	} {
		if _, err := db.VersionDiff(ctx, tt.who, tt.from, tt.to); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

// TestResubmission loads a corrected version of 大连市's checklist and checks that every figure moves to it.
func TestResubmission(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	// 大连市 v2 (id 8, modified after v1): task 1 and task 5 only. Its v1 (id 3) becomes superseded: the
	// measures for tasks 2 and 37 and the 产业学院/培训 commitments disappear.
	_, err := db.ExecContext(ctx, `
		INSERT INTO files (submission_id, run_id, file_name, sha256, size_bytes, submitter, kind, modified_at, ingested_at, rejected)
		VALUES (8, 2, '大连(修改).xlsx', 'sha8', 900, '大连市', 'city', TIMESTAMP '2021-09-24 09:00:00', TIMESTAMP '2021-09-26 09:00:00', false);
		INSERT INTO measure_rows (submission_id, sheet, "row", printed_no, area_text, task_text, task_no, match_method, match_score, measure, goal, owner, due, due_date, ongoing) VALUES
		    (8, '清单', 4, '1', NULL, NULL, 1, 'content', 1.0, '选派技术管理人才', NULL, '市教育局', '2021.12', DATE '2021-12-31', false),
		    (8, '清单', 5, '5', NULL, NULL, 5, 'content', 1.0, '调整专业', NULL, '市教育局', '2022.6', DATE '2022-06-30', false);`)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	var status string
	if err := db.QueryRow(`SELECT status FROM submissions WHERE submission_id = 3`).Scan(&status); err != nil || status != "superseded" {
		t.Errorf("大连 v1 is %q (%v)", status, err)
	}
	cities, err := db.CoverageBySubmitter(ctx, KindCity, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range cities {
		// addressed: 1 and 5 (both expected); 2 measures; versions 2
		if c.Submitter == "大连市" {
			found = true
			if c.TasksAddressed != 2 || c.Measures != 2 || c.Versions != 2 || c.SubmissionID != 8 {
				t.Errorf("大连市 after resubmission %+v", c)
			}
		}
	}
	if !found {
		t.Error("大连市 is not in the coverage after resubmission")
	}
	tasks, err := db.CoverageByTask(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	// task 5: 沈阳市 and now 大连市; task 2: only 沈阳职院's measure is left; task 37: only 沈阳市's.
	if tasks[4].CitiesResponded != 2 || tasks[1].Measures != 1 || tasks[36].Measures != 1 {
		t.Errorf("after resubmission: task 5 %d cities, task 2 %d measures, task 37 %d measures",
			tasks[4].CitiesResponded, tasks[1].Measures, tasks[36].Measures)
	}
	tp, err := db.TargetProgress(ctx, Filter{TaskNo: 24})
	if err != nil || len(tp) == 0 {
		t.Fatalf("target progress of task 24: %d rows, %v", len(tp), err)
	}
	if tp[0].CommittedByCities != 0 || tp[0].CommittedBySchools != 2 {
		t.Errorf("产业学院 after resubmission %+v", tp[0])
	}
	o, err := db.Overview(ctx, day(2022, 3, 1))
	if err != nil {
		t.Fatal(err)
	}
	// 15 − 3 (大连 v1) + 2 (大连 v2); returned counts unchanged
	if o.Measures != 14 || o.CitiesReturned != 2 || o.Files != 8 {
		t.Errorf("overview after resubmission: %d measures, %d cities, %d files", o.Measures, o.CitiesReturned, o.Files)
	}
	// The returns clock keeps the first accepted file (id 3, on time).
	r, err := db.Returns(ctx, ReturnsOptions{AsOf: day(2021, 10, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Kinds[0].OnTime != 2 {
		t.Errorf("on time cities %d", r.Kinds[0].OnTime)
	}
}
