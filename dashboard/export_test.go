package dashboard

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lnvedash/charts"
	"lnvedash/exports"
	"lnvedash/exports/exporttest"
	"lnvedash/queries"
)

// newExportServer serves the sample-data database (ingested in TestMain) with the real clock: the
// returns count every file received so far; the as-of date comes from the URL.
func newExportServer(t *testing.T) *Server {
	t.Helper()
	s, err := New(Config{DB: sampleDB, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func exportGet(t *testing.T, s *Server, target string) (*http.Response, []byte) {
	t.Helper()
	resp, err := s.App().Test(httptest.NewRequest("GET", target, nil), 120_000)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func exportGetOK(t *testing.T, s *Server, target, wantType string) []byte {
	t.Helper()
	resp, b := exportGet(t, s, target)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %.300s", target, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, wantType) {
		t.Fatalf("GET %s: Content-Type %q, want %s", target, ct, wantType)
	}
	return b
}

func exportOpenXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func qe(v string) string { return url.QueryEscape(v) }

// /export/table: colleges of one city with the page's filters, checked against the analyst view.
func TestExportTableXLSXFiltered(t *testing.T) {
	s := newExportServer(t)
	resp, b := exportGet(t, s, "/export/table/coverage_by_submitter.xlsx?kind=school&city="+qe("大连市")+"&as_of=2022-06-30")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != mimeXLSX {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "filename*=UTF-8''") || !strings.Contains(cd, url.PathEscape("大连市")) {
		t.Errorf("Content-Disposition %q", cd)
	}
	f := exportOpenXLSX(t, b)
	sh := f.GetSheetList()[0]
	rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rows[1][0], "地市 大连市") || !strings.Contains(rows[1][0], "类型 院校") || !strings.Contains(rows[1][0], "数据截至 2022-06-30") {
		t.Errorf("caption %q", rows[1][0])
	}
	header := rows[exports.HeaderRow-1]
	if header[1] != "单位" || header[7] != "覆盖率" {
		t.Fatalf("header %q", header)
	}
	want := count(t, sampleDB, `SELECT count(*) FROM submitters WHERE kind = 'school' AND city = '大连市'`)
	data := rows[exports.HeaderRow:]
	if want == 0 || len(data) != want {
		t.Fatalf("%d rows, want %d colleges in 大连市", len(data), want)
	}
	for i, r := range data {
		var cov float64
		var addressed int
		if err := sampleDB.QueryRowContext(context.Background(),
			`SELECT coalesce(coverage, 0), tasks_addressed FROM coverage_by_submitter WHERE submitter = ?`, r[1]).Scan(&cov, &addressed); err != nil {
			t.Fatal(err)
		}
		got, err := strconv.ParseFloat(r[7], 64)
		if err != nil || math.Abs(got-cov) > 1e-9 {
			t.Errorf("%s: 覆盖率 %q, want %v", r[1], r[7], cov)
		}
		if r[6] != strconv.Itoa(addressed) {
			t.Errorf("%s: 已落实任务 %s, want %d", r[1], r[6], addressed)
		}
		ref := "H" + strconv.Itoa(exports.HeaderRow+1+i)
		if nf := exporttest.NumFmt(t, f, sh, ref); !strings.Contains(nf, "%") {
			t.Errorf("%s: format %q, want a percentage", ref, nf)
		}
	}
	panes, err := f.GetPanes(sh)
	if err != nil || !panes.Freeze || panes.YSplit != exports.HeaderRow {
		t.Errorf("header not frozen: %+v %v", panes, err)
	}
}

// /export/table/…csv: BOM, Chinese header, the same rows as the queries API.
func TestExportTableCSV(t *testing.T) {
	s := newExportServer(t)
	b := exportGetOK(t, s, "/export/table/measures.csv?city="+qe("大连市")+"&q="+qe("实训"), "text/csv")
	if !bytes.HasPrefix(b, []byte("\uFEFF单位,")) {
		t.Fatalf("no BOM / header: %q", b[:min(40, len(b))])
	}
	ms, err := sampleDB.Measures(context.Background(), queries.MeasureFilter{Filter: queries.Filter{City: "大连市"}, Query: "实训"})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(b), "\r\n")
	if len(ms) == 0 {
		t.Fatal("sample-data has no 实训 measure in 大连市: pick another word")
	}
	if lines < len(ms)+1 { // a cell may hold line breaks, so at least one line per measure
		t.Errorf("%d lines for %d measures", lines, len(ms))
	}
	// Without a filter word: every current measure of 大连市 and its colleges, as many as the generator
	// wrote (MANIFEST.csv, cities from the seeds file's lines).
	b = exportGetOK(t, s, "/export/table/measures.csv?city="+qe("大连市"), "text/csv")
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cityOf := seedCities(t)
	want := 0
	for _, e := range sampleManifest(t) {
		if e.status == "current" && cityOf[e.submitter] == "大连市" {
			want += e.measures
		}
	}
	if len(recs)-1 != want || want == 0 {
		t.Errorf("measures.csv for 大连市 has %d records, the generator wrote %d", len(recs)-1, want)
	}
	// Ingested just now, long after the deadline: judged by ingest time, every rostered unit is either
	// missing or late.
	b = exportGetOK(t, s, "/export/table/returns.csv?by=ingested", "text/csv")
	if got := strings.Count(string(b), "\r\n") - 1; got != len(cityOf) {
		t.Errorf("returns.csv has %d records, want the roster's %d", got, len(cityOf))
	}
	// The /returns file list pages, its download does not: every file of the unit filtered on. The
	// sample has two versions of 大连市's checklist (一市一策 and its 修改稿) and its stamped copy.
	b = exportGetOK(t, s, "/export/table/submissions.csv?page=2&submitter="+qe("大连"), "text/csv")
	if got := strings.Count(string(b), "\r\n") - 1; got != 3 || !strings.Contains(string(b), "修改稿") || !strings.Contains(string(b), "大连市-盖章版.pdf") {
		t.Errorf("submissions.csv for 大连 has %d records, want 3:\n%s", got, b)
	}
}

// Every supported table answers xlsx and csv; unknown names, formats and bad filters are clean errors.
func TestExportTableEveryNameAndErrors(t *testing.T) {
	s := newExportServer(t)
	for _, name := range exports.Names() {
		exportGetOK(t, s, "/export/table/"+name+".xlsx?city="+qe("大连市"), mimeXLSX)
		exportGetOK(t, s, "/export/table/"+name+".csv", "text/csv")
	}
	for target, code := range map[string]int{
		"/export/table/nope.xlsx":                               404,
		"/export/table/measures.pdf":                            404,
		"/export/table/measures.xlsx?kind=x":                    400,
		"/export/table/measures.xlsx?as_of=yesterday":           400,
		"/export/table/measures.xlsx?submitter=" + qe("不存在的学校"): 404,
		"/export/chart/nope.svg":                                404,
		"/export/chart/target_progress.svg?w=5":                 400,
	} {
		if resp, b := exportGet(t, s, target); resp.StatusCode != code {
			t.Errorf("GET %s: %d, want %d (%.200s)", target, resp.StatusCode, code, b)
		}
	}
}

// A chart's data and the chart itself as SVG drawn on the server.
func TestExportChart(t *testing.T) {
	s := newExportServer(t)
	b := exportGetOK(t, s, "/export/chart/target_progress.xlsx?as_of=2022-06-30", mimeXLSX)
	f := exportOpenXLSX(t, b)
	rows, _ := f.GetRows(f.GetSheetList()[0])
	tp, err := sampleDB.TargetProgress(context.Background(), queries.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-exports.HeaderRow != len(tp) {
		t.Errorf("target_progress.xlsx has %d rows, want %d targets", len(rows)-exports.HeaderRow, len(tp))
	}
	wantTargets := count(t, sampleDB, `SELECT count(*) FROM targets`)
	if len(tp) != wantTargets {
		t.Errorf("TargetProgress %d rows, targets table %d", len(tp), wantTargets)
	}
	// the college ranking's data is the colleges, as the chart is, unless the page asks for another kind
	b = exportGetOK(t, s, "/export/chart/coverage_by_submitter.xlsx", mimeXLSX)
	f = exportOpenXLSX(t, b)
	rows, _ = f.GetRows(f.GetSheetList()[0])
	if want := count(t, sampleDB, `SELECT count(*) FROM submitters WHERE kind = 'school'`); len(rows)-exports.HeaderRow != want {
		t.Errorf("coverage_by_submitter chart data: %d rows, want %d colleges", len(rows)-exports.HeaderRow, want)
	}
	svg := string(exportGetOK(t, s, "/export/chart/coverage_by_task.svg?as_of=2022-06-30&city="+qe("大连市"), mimeSVG))
	for _, want := range []string{"<svg", "<path", "各任务覆盖率", "数据截至 2022-06-30", "地市 大连市", "来源"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if !strings.Contains(svg, `width="`+strconv.Itoa(charts.Width)+`"`) {
		t.Errorf("SVG width: %.200s", svg)
	}
}

// The meeting pack through its route: a city's pack states the city and as-of date on every sheet and
// carries four native charts.
func TestExportPackRoute(t *testing.T) {
	s := newExportServer(t)
	b := exportGetOK(t, s, "/export/pack.xlsx?city="+qe("大连市")+"&as_of=2022-06-30", mimeXLSX)
	f := exportOpenXLSX(t, b)
	if got, want := strings.Join(f.GetSheetList(), ","), strings.Join(exports.PackSheetTitles(), ","); got != want {
		t.Fatalf("sheets %s, want %s", got, want)
	}
	for _, sh := range f.GetSheetList() {
		if note, _ := f.GetCellValue(sh, "A2"); !strings.Contains(note, "大连市") || !strings.Contains(note, "2022-06-30") {
			t.Errorf("%s: %q", sh, note)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d charts, want 4", n)
	}
}

var svgImg = regexp.MustCompile(`<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"`)

// The printable report: one self-contained file with no script and no external reference, A4 landscape
// print rules, every chart an inlined SVG that has drawn something.
func TestReportRoute(t *testing.T) {
	s := newExportServer(t)
	start := time.Now()
	html := string(exportGetOK(t, s, "/report?as_of=2022-06-30", "text/html"))
	t.Logf("report: %d KB in %v", len(html)/1024, time.Since(start))
	for _, bad := range []string{"http://", "https://", `src="//`, `href="//`, "/static/", "<script", "<link", "@import", "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("report contains %q", bad)
		}
	}
	for _, want := range []string{"@page", "A4 landscape", "break-before: page", "数据截至 2022年6月30日", "范围：全省", "尚未报送", "各任务覆盖率"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	imgs := svgImg.FindAllStringSubmatch(strings.ReplaceAll(html, "&#43;", "+"), -1)
	if len(imgs) != 6 {
		t.Fatalf("%d chart images, want 6", len(imgs))
	}
	for i, m := range imgs {
		svg, err := base64.StdEncoding.DecodeString(m[1])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(svg, []byte("<svg")) || bytes.Count(svg, []byte("<path")) < 3 || !bytes.Contains(svg, []byte("数据截至 2022-06-30")) {
			t.Errorf("chart %d: %.200s", i, svg)
		}
	}
	city := string(exportGetOK(t, s, "/report?city="+qe("大连市")+"&as_of=2022-06-30", "text/html"))
	if !strings.Contains(city, "辽宁省职业教育部省共建任务落实情况（大连市）") || !strings.Contains(city, "筛选：地市 大连市") {
		t.Error("city report does not state its city")
	}
}

// The pages load export.js, which is served.
func TestExportScriptServed(t *testing.T) {
	s := newExportServer(t)
	page := string(exportGetOK(t, s, "/", "text/html"))
	if !strings.Contains(page, `<script src="/static/export.js" defer></script>`) {
		t.Error("layout does not load export.js")
	}
	js := string(exportGetOK(t, s, "/static/export.js", "text/javascript"))
	if !strings.Contains(js, "lnveExport") {
		t.Error("export.js is not the export script")
	}
}

// The correction list the CLI points to: every unit, or one unit's sheet and its own rejected files.
func TestExportCorrectionsRoute(t *testing.T) {
	s := newExportServer(t)
	all := exportOpenXLSX(t, exportGetOK(t, s, "/export/corrections.xlsx", mimeXLSX))
	sheets := all.GetSheetList()
	if len(sheets) < 3 || sheets[len(sheets)-1] != exports.RejectedSheet || !strings.Contains(strings.Join(sheets, ","), "大连市") {
		t.Fatalf("every unit: sheets %v", sheets)
	}
	resp, b := exportGet(t, s, "/export/corrections.xlsx?unit="+qe("大连市"))
	if resp.StatusCode != 200 {
		t.Fatalf("one unit: %d %.300s", resp.StatusCode, b)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, url.PathEscape("整改清单_大连市_")) {
		t.Errorf("Content-Disposition %q", cd)
	}
	one := exportOpenXLSX(t, b)
	if got := strings.Join(one.GetSheetList(), ","); got != "大连市,"+exports.RejectedSheet {
		t.Errorf("one unit: sheets %s", got)
	}
	resp, b = exportGet(t, s, "/export/corrections.xlsx?unit="+qe("不存在的学院"))
	if resp.StatusCode != 404 || !strings.Contains(string(b), "不存在的学院") {
		t.Errorf("unknown unit: %d %.300s", resp.StatusCode, b)
	}
}

// The route serves the tables themselves: on the hand-made fixture (fixture_test.go, as of 2022-06-30,
// the server's clock 2021-10-08), each table the issue named is read back from the CSV the route sends
// and its header and hand-worked cells compared.
func TestExportTableCellsOnFixture(t *testing.T) {
	s, _ := newFixtureServer(t)
	read := func(t *testing.T, name string) (map[string]int, [][]string) {
		t.Helper()
		// by ingest time, so 沈阳职院's lateness below is counted from its receipt
		b := exportGetOK(t, s, "/export/table/"+name+".csv?as_of=2022-06-30&by=ingested", "text/csv")
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, h := range recs[0] {
			col[h] = i
		}
		return col, recs[1:]
	}
	// cell finds the row whose first columns are key and returns its column h ("" and an error if absent).
	cell := func(t *testing.T, col map[string]int, rows [][]string, h string, key ...string) string {
		t.Helper()
		i, ok := col[h]
		if !ok {
			t.Fatalf("no column %q", h)
		}
		for _, r := range rows {
			if strings.Join(r[:len(key)], "\x1f") == strings.Join(key, "\x1f") {
				return r[i]
			}
		}
		t.Fatalf("no row %q", key)
		return ""
	}
	tests := []struct {
		table string
		key   []string
		col   string
		want  string
	}{
		// 大连市 v2: tasks 3 and 20 and one unmatched row; 沈阳职院: tasks 9 and 3.
		{"coverage_by_city", []string{"大连市"}, "已落实任务", "2"},
		{"coverage_by_city", []string{"大连市"}, "一市一策举措条数", "3"},
		{"coverage_by_city", []string{"沈阳市"}, "是否报送一市一策", "否"},
		{"coverage_by_city", []string{"沈阳市"}, "院校已落实（校×任务）", "2"},
		{"coverage_by_city", []string{"鞍山市"}, "是否报送一市一策", "否"},
		// 省委教育工委 leads tasks 1 and 3: 大连市 and 沈阳职院 each have 3.
		{"coverage_by_department", []string{"省委教育工委"}, "地市已落实", "1"},
		{"coverage_by_department", []string{"省委教育工委"}, "院校已落实", "1"},
		{"coverage_by_department", []string{"省委教育工委"}, "举措条数", "2"},
		// v1's 10 示范课堂 is superseded by v2's 20 (of 200).
		{"target_progress", []string{"3", "思想政治课示范课堂"}, "地市承诺", "20"},
		{"target_progress", []string{"3", "思想政治课示范课堂"}, "地市承诺占目标", "10.00%"},
		{"target_progress", []string{"20", "职业技能培训"}, "地市承诺占目标", "0.60%"},
		{"target_progress", []string{"9", "高水平特色专业（群）"}, "院校承诺", "2"},
		// Current measures: due 2021-12-31 (two, overdue), 2022-06-30 (not yet), 2022-09-30, one ongoing.
		{"deadlines", []string{"2021年第4季度"}, "已逾期", "2"},
		{"deadlines", []string{"2022年第2季度"}, "未到期", "1"},
		{"deadlines", []string{"2022年第3季度"}, "举措条数", "1"},
		{"deadlines", []string{"长期/持续"}, "举措条数", "1"},
		{"deadlines", []string{"未写明时间"}, "举措条数", "0"},
		// 沈阳职院 received 2021-09-25 10:00, 4 d 10 h after the 09-20 deadline; 鞍山市's file was encrypted.
		{"returns", []string{"沈阳职业技术学院"}, "状态", "逾期报送"},
		{"returns", []string{"沈阳职业技术学院"}, "逾期天数", "4.4"},
		{"returns", []string{"鞍山市"}, "状态", "未报送"},
		{"returns", []string{"鞍山市"}, "未能读取的文件", "1"},
		{"submissions", []string{"1"}, "状态", "已被新版本替代"},
		{"submissions", []string{"2"}, "举措条数", "3"},
		{"submissions", []string{"2"}, "警告", "1"},
		{"submissions", []string{"5"}, "未能读取的原因", "文件已加密：文件已加密"},
		{"submissions", []string{"5"}, "原因代码", "encrypted"},
		{"findings", []string{"大连市"}, "代码", "task_unmatched"},
		{"findings", []string{"沈阳职业技术学院"}, "级别", "提示"},
	}
	rowsWant := map[string]int{"deadlines": 5, "submissions": 5, "findings": 2}
	for _, tt := range tests {
		col, rows := read(t, tt.table)
		if got := cell(t, col, rows, tt.col, tt.key...); got != tt.want {
			t.Errorf("%s %v %s = %q, want %q", tt.table, tt.key, tt.col, got, tt.want)
		}
		if n, ok := rowsWant[tt.table]; ok && len(rows) != n {
			t.Errorf("%s: %d rows, want %d", tt.table, len(rows), n)
		}
	}
	// Returns list the roster less those on time (大连市) and never the on-time one.
	if _, rows := read(t, "returns"); slices.ContainsFunc(rows, func(r []string) bool { return r[0] == "大连市" }) {
		t.Error("returns lists 大连市, which returned on time")
	}
}
