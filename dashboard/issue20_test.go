package dashboard

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"lnvedash/queries"
)

// The dashboard fixture with 沈阳职业技术学院's file modified 09-15, before the deadline, though
// ingested 09-25, after it: on time by the earliest evidence, late by ingest time.
func newBasisServer(t *testing.T, basis queries.Basis) *Server {
	t.Helper()
	s, db := newFixtureServer(t)
	if _, err := db.ExecContext(context.Background(), `UPDATE files SET modified_at = TIMESTAMP '2021-09-15 08:00:00' WHERE submission_id = 3`); err != nil {
		t.Fatal(err)
	}
	if err := db.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.cfg.Basis = basis
	return s
}

// lateRows counts the 逾期报送 rows of the 催报名单 export.
func lateRows(t *testing.T, s *Server, target string) int {
	t.Helper()
	f := exportOpenXLSX(t, exportGetOK(t, s, target, mimeXLSX))
	rows, _ := f.GetRows(f.GetSheetName(0))
	n := 0
	for _, r := range rows {
		if len(r) > 3 && r[3] == "逾期报送" {
			n++
		}
	}
	return n
}

// TestOnTimeBasisOnePlace: the basis is set once (Config.Basis, default the earliest evidence) and the
// returns page, the exports and the report agree and say which basis they used.
func TestOnTimeBasisOnePlace(t *testing.T) {
	def := newBasisServer(t, "")
	ingested := newBasisServer(t, queries.BasisIngested)
	earliest := queries.BasisEarliest.Label()
	for _, tc := range []struct {
		name string
		s    *Server
		path string
		late int
	}{
		{"default: earliest evidence", def, "/export/table/returns.xlsx", 0},
		{"server set to ingest time", ingested, "/export/table/returns.xlsx", 1},
		{"a page's ?by= wins", def, "/export/table/returns.xlsx?by=ingested", 1},
	} {
		if got := lateRows(t, tc.s, tc.path); got != tc.late {
			t.Errorf("%s: %d late rows, want %d", tc.name, got, tc.late)
		}
	}
	_, body, _ := get(t, def, "/returns")
	if !strings.Contains(body, earliest) || strings.Contains(body, "逾期报送（") {
		t.Errorf("/returns does not state the basis or lists someone late")
	}
	_, body, _ = get(t, ingested, "/returns")
	if !strings.Contains(body, queries.BasisIngested.Label()) {
		t.Errorf("/returns on a server judging by ingest time does not say so")
	}
	for _, path := range []string{"/", "/tasks", "/cities/" + url.PathEscape("大连市")} {
		if _, body, _ := get(t, def, path); !strings.Contains(body, `<span id="basis">`+earliest) {
			t.Errorf("%s does not state the on-time basis", path)
		}
	}
	// The report: 沈阳职院 on time; the roster holds 52 colleges since issue 14 (51 专科 and 辽宁理工职业大学),
	// so 院校 52 expected, 1 on time, 0 late, 51 missing.
	_, report, _ := get(t, def, "/report")
	if !strings.Contains(report, earliest) || !strings.Contains(report, `<td>院校</td><td class="n">52</td><td class="n">1</td><td class="n">0</td><td class="n">51</td>`) {
		t.Errorf("report disagrees with the returns page or does not state the basis")
	}
}

// TestMeetingMaterialsOnEveryFilteredPage: "导出本页会议材料" (pack and report) on the overview and every
// filtered page, carrying its filters, as-of date and basis.
func TestMeetingMaterialsOnEveryFilteredPage(t *testing.T) {
	s, _ := newFixtureServer(t)
	city := url.QueryEscape("大连市")
	for _, tc := range []struct{ path, want string }{
		{"/", "as_of=2021-10-08"},
		{"/tasks?kind=city&area=1", "area=1&amp;as_of=2021-10-08&amp;by=earliest&amp;kind=city"},
		{"/tasks/3", "task=3"},
		{"/cities/" + url.PathEscape("大连市"), "city=" + city},
		{"/colleges?city=" + city, "city=" + city},
		{"/departments/" + url.PathEscape("省教育厅"), "dept=" + url.QueryEscape("省教育厅")},
		{"/search?q=x&city=" + city, "city=" + city},
	} {
		_, body, _ := get(t, s, tc.path)
		i := strings.Index(body, `id="meeting"`)
		if i < 0 {
			t.Errorf("%s: no 导出本页会议材料", tc.path)
			continue
		}
		seg := body[i:min(len(body), i+700)]
		if !strings.Contains(seg, `/export/pack.xlsx?`) || !strings.Contains(seg, `/report?`) || !strings.Contains(seg, tc.want) {
			t.Errorf("%s: meeting links lack %q: %s", tc.path, tc.want, seg)
		}
	}
	if _, body, _ := get(t, s, "/returns"); strings.Contains(body, `id="meeting"`) {
		t.Errorf("/returns is no filtered page of the coverage: no meeting links expected")
	}
}

// TestOverdueLeadsSomewhere: the as-of control, the overdue figure opening its list by unit and lead
// department, its downloads, the search filter and the clickable deadlines chart. Fixture at
// 2022-01-01: 大连市's unmatched row (2021-12-31) and 沈阳职院's row 4 (2021-12-31) are overdue.
func TestOverdueLeadsSomewhere(t *testing.T) {
	s, _ := newFixtureServer(t)
	_, body, _ := get(t, s, "/?as_of=2022-01-01")
	for _, w := range []string{`name="as_of" value="2022-01-01"`, `id="overdue-kpi" href="/overdue?as_of=2022-01-01"`,
		`"lnveLink":"/overdue?as_of=2022-01-01\u0026quarter={name}"`} {
		if !strings.Contains(body, w) {
			t.Errorf("overview lacks %s", w)
		}
	}
	_, body, _ = get(t, s, "/overdue?as_of=2022-01-01")
	for _, w := range []string{`<b class="bad">2</b> 条举措已过完成时间`, `data-export="overdue_by_unit"`, `data-export="overdue_by_department"`,
		`data-export="overdue"`, "其他工作安排", "建设高水平特色专业群", "省教育厅"} {
		if !strings.Contains(body, w) {
			t.Errorf("/overdue lacks %q", w)
		}
	}
	if strings.Contains(body, "推进课程思政") {
		t.Errorf("/overdue lists a measure due 2022-09-30")
	}
	// the bar of 2021 Q4, as the chart's click sends it
	if _, body, _ = get(t, s, "/overdue?as_of=2022-01-01&quarter="+url.QueryEscape("2021年第4季度")); !strings.Contains(body, `<b class="bad">2</b>`) {
		t.Errorf("/overdue by quarter label")
	}
	f := exportOpenXLSX(t, exportGetOK(t, s, "/export/table/overdue.xlsx?as_of=2022-01-01", mimeXLSX))
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) != 3+2 {
		t.Errorf("overdue export: %d rows, want title, note, header and 2", len(rows))
	}
	f = exportOpenXLSX(t, exportGetOK(t, s, "/export/table/overdue_by_unit.xlsx?as_of=2022-01-01", mimeXLSX))
	if rows, _ = f.GetRows(f.GetSheetName(0)); len(rows) != 3+2 {
		t.Errorf("overdue_by_unit export: %d rows", len(rows))
	}
	_, body, _ = get(t, s, "/search?overdue=1&as_of=2022-01-01")
	if !strings.Contains(body, `name="overdue" value="1" checked`) || !strings.Contains(body, "其他工作安排") || strings.Contains(body, "推进课程思政") {
		t.Errorf("search's overdue filter: %v %v %v", strings.Contains(body, `name="overdue" value="1" checked`), strings.Contains(body, "其他工作安排"), strings.Contains(body, "推进课程思政"))
	}
}

// TestMeasureTablesDownloadable: search results and the measure tables of task, city and college
// pages carry the download buttons, with the page's own scope.
func TestMeasureTablesDownloadable(t *testing.T) {
	s, _ := newFixtureServer(t)
	for _, tc := range []struct{ path, want string }{
		{"/search?q=" + url.QueryEscape("思政"), `data-export="measures">`},
		{"/tasks/3", `data-export="measures" data-export-query="task=3"`},
		{"/cities/" + url.PathEscape("大连市"), `data-export="measures" data-export-query="submitter=` + url.QueryEscape("大连市")},
		{"/colleges/" + url.PathEscape("沈阳职业技术学院"), `data-export="measures" data-export-query="submitter=`},
	} {
		if _, body, _ := get(t, s, tc.path); !strings.Contains(body, tc.want) {
			t.Errorf("%s lacks %s", tc.path, tc.want)
		}
	}
	f := exportOpenXLSX(t, exportGetOK(t, s, "/export/table/measures.xlsx?task=3", mimeXLSX))
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) != 3+2 { // 大连市 r5 and 沈阳职院 r5
		t.Errorf("task 3 measures: %d rows", len(rows))
	}
}

// TestCodesHaveChineseLabels: no raw code on a page a person reads.
func TestCodesHaveChineseLabels(t *testing.T) {
	s, _ := newFixtureServer(t)
	for _, tc := range []struct {
		path      string
		want, bad []string
	}{
		{"/submissions/2", []string{"未能对应任务", "识别依据：“单位”栏"}, []string{">task_unmatched<", "依据：unit"}},
		{"/source?sid=2&sheet=" + url.QueryEscape("清单") + "&row=5", []string{"匹配方式：按任务内容"}, []string{"匹配方式：content"}},
		{"/submissions/5", []string{"文件已加密"}, []string{"encrypted:"}},
	} {
		_, body, _ := get(t, s, tc.path)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tc.path, w)
			}
		}
		for _, b := range tc.bad {
			if strings.Contains(body, b) {
				t.Errorf("%s shows %q", tc.path, b)
			}
		}
	}
}
