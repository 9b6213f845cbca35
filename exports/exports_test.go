package exports

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lnvedash/exports/exporttest"
	"lnvedash/ingest"
	"lnvedash/ingest/ingesttest"
	"lnvedash/queries"
)

// testDB is the committed sample-data, ingested once into an in-memory database.
var testDB *queries.DB

var asOf = time.Date(2022, 6, 30, 0, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	ingesttest.Main(m, &testDB, "../sample-data", ingest.Options{Workers: 2})
}

func params() Params { return Params{AsOf: asOf, Now: time.Now()} }

func countSQL(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := testDB.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func buildXLSX(t *testing.T, name string, p Params) (*Table, *excelize.File) {
	t.Helper()
	tb, err := Build(context.Background(), testDB, name, p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, tb); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return tb, f
}

func rawFloat(t *testing.T, f *excelize.File, sheet, ref string) float64 {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q: not a number", sheet, ref, v)
	}
	return x
}

func checkFrozenHeader(t *testing.T, f *excelize.File, sheet string) {
	t.Helper()
	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != HeaderRow || panes.TopLeftCell != fmt.Sprintf("A%d", HeaderRow+1) {
		t.Errorf("%s: panes %+v, want the header row %d frozen", sheet, panes, HeaderRow)
	}
}

// coverage_by_task: headers, one row per task, the coverage of every task as a number with a % format,
// compared with the analyst view coverage_by_task.
func TestCoverageByTaskXLSX(t *testing.T) {
	tb, f := buildXLSX(t, "coverage_by_task", params())
	sheets := f.GetSheetList()
	if len(sheets) != 1 || sheets[0] != "各任务覆盖率" {
		t.Fatalf("sheets %v", sheets)
	}
	sh := sheets[0]
	checkFrozenHeader(t, f, sh)
	rows, err := f.GetRows(sh)
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "各任务覆盖率" || !strings.Contains(rows[1][0], "范围：全省") || !strings.Contains(rows[1][0], "数据截至 2022-06-30") {
		t.Errorf("title/caption rows: %q / %q", rows[0], rows[1])
	}
	wantHeader := []string{"任务序号", "主要任务", "任务内容", "牵头部门", "应落实地市", "已报送地市", "已落实地市", "地市覆盖率"}
	for i, h := range wantHeader {
		if rows[HeaderRow-1][i] != h {
			t.Errorf("header %d = %q, want %q", i, rows[HeaderRow-1][i], h)
		}
	}
	nTasks := countSQL(t, `SELECT count(*) FROM tasks`)
	if got := len(rows) - HeaderRow; got != nTasks || len(tb.Rows) != nTasks {
		t.Fatalf("%d data rows, want %d tasks", got, nTasks)
	}
	// independent path: the analyst view
	dbRows, err := testDB.QueryContext(context.Background(), `SELECT task_no, cities_responded, city_coverage, school_coverage FROM coverage_by_task ORDER BY task_no`)
	if err != nil {
		t.Fatal(err)
	}
	defer dbRows.Close()
	i := 0
	for dbRows.Next() {
		var no, responded int
		var cityN, schoolN sql.NullFloat64
		if err := dbRows.Scan(&no, &responded, &cityN, &schoolN); err != nil {
			t.Fatal(err)
		}
		cityCov, schoolCov := cityN.Float64, schoolN.Float64 // the view has NULL where nobody is expected
		y := HeaderRow + 1 + i
		// Nobody asked (NULL in the view): a blank cell and 不要求 in 说明, never 0.00 % (issue 20).
		note, _ := f.GetCellValue(sh, fmt.Sprintf("P%d", y))
		for _, k := range []struct {
			valid bool
			col   string
			word  string
		}{{cityN.Valid, "H", "不要求地市落实"}, {schoolN.Valid, "L", "不要求院校落实"}} {
			v, _ := f.GetCellValue(sh, fmt.Sprintf("%s%d", k.col, y))
			if !k.valid && (v != "" || !strings.Contains(note, k.word)) {
				t.Errorf("task %d: not required, cell %s = %q, note %q", no, k.col, v, note)
			}
			if k.valid && strings.Contains(note, k.word) {
				t.Errorf("task %d: required, yet noted %q", no, note)
			}
		}
		if !cityN.Valid || !schoolN.Valid {
			i++
			continue
		}
		if got := rawFloat(t, f, sh, fmt.Sprintf("A%d", y)); int(got) != no {
			t.Fatalf("row %d task %v, want %d", y, got, no)
		}
		if got := rawFloat(t, f, sh, fmt.Sprintf("G%d", y)); int(got) != responded {
			t.Errorf("task %d: 已落实地市 %v, want %d", no, got, responded)
		}
		if got := rawFloat(t, f, sh, fmt.Sprintf("H%d", y)); math.Abs(got-cityCov) > 1e-9 {
			t.Errorf("task %d: 地市覆盖率 %v, want %v", no, got, cityCov)
		}
		if got := rawFloat(t, f, sh, fmt.Sprintf("L%d", y)); math.Abs(got-schoolCov) > 1e-9 {
			t.Errorf("task %d: 院校覆盖率 %v, want %v", no, got, schoolCov)
		}
		if nf := exporttest.NumFmt(t, f, sh, fmt.Sprintf("H%d", y)); !strings.Contains(nf, "%") {
			t.Errorf("task %d: 地市覆盖率 format %q, want a percentage", no, nf)
		}
		i++
	}
	if err := dbRows.Err(); err != nil {
		t.Fatal(err)
	}
	if w, err := f.GetColWidth(sh, "C"); err != nil || w < 30 {
		t.Errorf("任务内容 column width %v (%v), want wide", w, err)
	}
}

// measures filtered by city and kind: the rows are that city's colleges' measures, dates are real dates.
func TestMeasuresXLSXFilteredDates(t *testing.T) {
	p := params()
	p.Filter = queries.Filter{City: "大连市", Kind: queries.KindSchool}
	tb, f := buildXLSX(t, "measures", p)
	want := countSQL(t, `SELECT count(*) FROM measures WHERE city = '大连市' AND kind = 'school'`)
	if want == 0 || len(tb.Rows) != want {
		t.Fatalf("%d rows, want %d measures of 大连市's colleges", len(tb.Rows), want)
	}
	sh := f.GetSheetList()[0]
	checkFrozenHeader(t, f, sh)
	rows, _ := f.GetRows(sh)
	if !strings.Contains(rows[1][0], "地市 大连市") || !strings.Contains(rows[1][0], "类型 院校") {
		t.Errorf("caption %q does not state the filters", rows[1][0])
	}
	col := -1
	for i, h := range rows[HeaderRow-1] {
		if h == "完成日期" {
			col = i + 1
		}
	}
	if col < 0 {
		t.Fatal("no 完成日期 column")
	}
	dated := 0
	for r := range tb.Rows {
		ref := cell(col, HeaderRow+1+r)
		d, _ := tb.Rows[r][col-1].(time.Time)
		if d.IsZero() {
			continue
		}
		dated++
		serial := rawFloat(t, f, sh, ref)
		got, err := excelize.ExcelDateToTime(serial, false)
		if err != nil || !got.Equal(d) {
			t.Errorf("%s: serial %v = %v, want %v", ref, serial, got, d)
		}
		if nf := exporttest.NumFmt(t, f, sh, ref); nf != fmtDate {
			t.Errorf("%s: format %q, want %q", ref, nf, fmtDate)
		}
	}
	wantDated := countSQL(t, `SELECT count(*) FROM measures WHERE city = '大连市' AND kind = 'school' AND due_date IS NOT NULL`)
	if dated != wantDated || dated == 0 {
		t.Errorf("%d dated cells, want %d", dated, wantDated)
	}
}

// CSV: UTF-8 with BOM, Chinese header, one record per row, percentages readable by Excel.
func TestCSV(t *testing.T) {
	p := params()
	p.Filter.Kind = queries.KindCity
	tb, err := Build(context.Background(), testDB, "coverage_by_submitter", p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tb); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("no UTF-8 BOM: % x", b[:3])
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][1] != "单位" || recs[0][7] != "覆盖率" {
		t.Errorf("header %q", recs[0])
	}
	if n := countSQL(t, `SELECT count(*) FROM submitters WHERE kind = 'city'`); len(recs)-1 != n {
		t.Errorf("%d records, want %d cities", len(recs)-1, n)
	}
	pctRe := regexp.MustCompile(`^\d+\.\d\d%$`)
	for _, r := range recs[1:] {
		if !pctRe.MatchString(r[7]) {
			t.Errorf("%s: coverage %q", r[1], r[7])
		}
		var cov float64
		if err := testDB.QueryRowContext(context.Background(), `SELECT coverage FROM coverage_by_submitter WHERE submitter = ?`, r[1]).Scan(&cov); err != nil {
			t.Fatal(err)
		}
		if want := strconv.FormatFloat(cov*100, 'f', 2, 64) + "%"; r[7] != want {
			t.Errorf("%s: coverage %s, want %s", r[1], r[7], want)
		}
	}
}

// Every table builds and encodes, with the filters of a city.
func TestEveryTable(t *testing.T) {
	for _, name := range Names() {
		for _, p := range []Params{params(), {AsOf: asOf, Now: time.Now(), Filter: queries.Filter{City: "大连市"}}} {
			tb, err := Build(context.Background(), testDB, name, p)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(tb.Columns) == 0 || tb.Title == "" {
				t.Errorf("%s: no columns or title", name)
			}
			var x, c bytes.Buffer
			if err := WriteXLSX(&x, tb); err != nil {
				t.Errorf("%s xlsx: %v", name, err)
			}
			if err := WriteCSV(&c, tb); err != nil {
				t.Errorf("%s csv: %v", name, err)
			}
		}
	}
	if _, err := Build(context.Background(), testDB, "nope", params()); err == nil {
		t.Error("unknown table built")
	}
}

func openPack(t *testing.T, p Params) ([]byte, *excelize.File) {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePack(context.Background(), &buf, testDB, p); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return buf.Bytes(), f
}

// The pack: every sheet, the as-of date and filters on each, the key numbers against queries.Overview
// and queries.Returns, and four native charts (bar, column, stacked column, stacked bar) in the zip.
func TestPack(t *testing.T) {
	b, f := openPack(t, params())
	sheets := f.GetSheetList()
	want := PackSheetTitles()
	if strings.Join(sheets, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets %v, want %v", sheets, want)
	}
	for _, sh := range sheets {
		note, _ := f.GetCellValue(sh, "A2")
		scope := "范围：全省"
		if sh == "各院校覆盖率" {
			scope = "筛选：类型 院校"
		}
		if !strings.Contains(note, "数据截至 2022-06-30") || !strings.Contains(note, scope) || !strings.Contains(note, "来源") {
			t.Errorf("%s: caption %q", sh, note)
		}
		checkFrozenHeader(t, f, sh)
	}
	o, err := testDB.Overview(context.Background(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("概览", excelize.Options{RawCellValue: true})
	got := map[string][2]string{}
	for _, r := range rows[HeaderRow:] {
		for len(r) < 3 {
			r = append(r, "")
		}
		got[r[0]] = [2]string{r[1], r[2]}
	}
	checks := []struct {
		label    string
		val, den int
	}{
		{"已报送“一市一策”的地市", o.CitiesReturned, o.CitiesExpected},
		{"已报送“一校一案”的院校", o.SchoolsReturned, o.SchoolsExpected},
		{"地市任务覆盖：已有举措的（地市×任务）", o.CityPairsAddressed, o.CityPairsExpected},
		{"院校任务覆盖：已有举措的（院校×任务）", o.SchoolPairsAddressed, o.SchoolPairsExpected},
		{"已过完成时间的举措", o.OverdueMeasures, -1},
		{"具体举措（现行版本）", o.Measures, -1},
		{"尚未报送（催报）", len(o.MissingCities) + len(o.MissingSchools), o.CitiesExpected + o.SchoolsExpected},
	}
	for _, c := range checks {
		g, ok := got[c.label]
		if !ok {
			t.Errorf("概览 has no %s", c.label)
			continue
		}
		if g[0] != strconv.Itoa(c.val) || (c.den >= 0 && g[1] != strconv.Itoa(c.den)) {
			t.Errorf("概览 %s = %s / %s, want %d / %d", c.label, g[0], g[1], c.val, c.den)
		}
	}
	// 报送情况 against queries.Returns
	r, err := testDB.Returns(context.Background(), queries.ReturnsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := f.GetRows("报送情况", excelize.Options{RawCellValue: true})
	for i, k := range r.Kinds {
		row := rs[HeaderRow+i]
		if row[1] != strconv.Itoa(k.Expected) || row[2] != strconv.Itoa(k.OnTime) || row[3] != strconv.Itoa(k.Late) || row[4] != strconv.Itoa(k.Missing) {
			t.Errorf("报送情况 %v, want %+v", row, k)
		}
	}
	chase, _ := f.GetRows("催报名单")
	if len(chase)-HeaderRow != len(r.Chase) {
		t.Errorf("催报名单 has %d rows, want %d", len(chase)-HeaderRow, len(r.Chase))
	}
	// native charts: four chart parts, each referenced from a drawing, with the expected chart types
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var charts, rels []string
	for _, zf := range zr.File {
		switch {
		case strings.HasPrefix(zf.Name, "xl/charts/chart") && strings.HasSuffix(zf.Name, ".xml"):
			charts = append(charts, html.UnescapeString(readZip(t, zf)))
		case strings.HasPrefix(zf.Name, "xl/drawings/_rels/"):
			rels = append(rels, readZip(t, zf))
		}
	}
	if len(charts) != 4 {
		t.Fatalf("%d charts in the pack, want 4", len(charts))
	}
	if n := strings.Count(strings.Join(rels, ""), "../charts/chart"); n != 4 {
		t.Errorf("drawings reference %d charts, want 4", n)
	}
	all := strings.Join(charts, "")
	for _, want := range []string{`<barDir val="col">`, `<barDir val="bar">`, `<grouping val="stacked">`, `'各任务覆盖率'!$H$4:$H$57`, "量化目标进度（范围：全省，数据截至 2022-06-30）"} {
		if !strings.Contains(all, want) {
			t.Errorf("charts lack %s", want)
		}
	}
}

func readZip(t *testing.T, zf *zip.File) string {
	t.Helper()
	rc, err := zf.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(rc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// A city's pack: the filter is stated on every sheet and carried into the tables.
func TestPackCity(t *testing.T) {
	p := params()
	p.Filter.City = "大连市"
	_, f := openPack(t, p)
	for _, sh := range f.GetSheetList() {
		note, _ := f.GetCellValue(sh, "A2")
		if !strings.Contains(note, "地市 大连市") || !strings.Contains(note, "数据截至 2022-06-30") {
			t.Errorf("%s: caption %q", sh, note)
		}
	}
	rows, _ := f.GetRows("各院校覆盖率")
	want := countSQL(t, `SELECT count(*) FROM submitters WHERE kind = 'school' AND city = '大连市'`)
	if len(rows)-HeaderRow != want {
		t.Errorf("各院校覆盖率 has %d rows, want %d colleges of 大连市", len(rows)-HeaderRow, want)
	}
	for _, r := range rows[HeaderRow:] {
		if r[3] != "大连市" {
			t.Errorf("college of %s in 大连市's pack", r[3])
		}
	}
	cities, _ := f.GetRows("各市覆盖率")
	if len(cities)-HeaderRow != 1 || cities[HeaderRow][0] != "大连市" {
		t.Errorf("各市覆盖率: %v", cities[HeaderRow:])
	}
}

func TestParseParams(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	q := map[string][]string{"kind": {"school"}, "city": {"大连市"}, "task": {"3"}, "dept": {"省教育厅"}, "as_of": {"2022-06-30"}, "q": {"实训"}}
	p, err := ParseParams(q, now)
	if err != nil {
		t.Fatal(err)
	}
	if p.Filter.Kind != "school" || p.Filter.City != "大连市" || p.Filter.TaskNo != 3 || p.Filter.Department != "省教育厅" || !p.AsOf.Equal(asOf) || p.Query != "实训" {
		t.Errorf("%+v", p)
	}
	for _, bad := range []map[string][]string{{"kind": {"x"}}, {"task": {"x"}}, {"as_of": {"2022/6/30"}}, {"grace": {"-1"}}} {
		if _, err := ParseParams(bad, now); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// Hostile cell text stays text: a typed string in xlsx (never a formula), defused in CSV.
func TestHostileText(t *testing.T) {
	tb := &Table{Name: "t", Title: "t", Columns: []Column{{"文本", Text, 0}, {"数", Int, 0}},
		Rows: [][]any{{"=HYPERLINK(\"http://x\",\"点我\")", -3}, {"</script><img src=x onerror=alert(1)>", 1}, {"@SUM(A1)", 2}}}
	var x, c bytes.Buffer
	if err := WriteXLSX(&x, tb); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&c, tb); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sh := f.GetSheetList()[0]
	for i, r := range tb.Rows {
		ref := fmt.Sprintf("A%d", HeaderRow+1+i)
		if fm, _ := f.GetCellFormula(sh, ref); fm != "" {
			t.Errorf("%s became a formula %q", ref, fm)
		}
		if v, _ := f.GetCellValue(sh, ref); v != r[0] {
			t.Errorf("%s = %q, want %q", ref, v, r[0])
		}
	}
	recs, err := csv.NewReader(bytes.NewReader(c.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range [][]string{{"'=HYPERLINK(\"http://x\",\"点我\")", "-3"}, {"</script><img src=x onerror=alert(1)>", "1"}, {"'@SUM(A1)", "2"}} {
		found := false
		for _, r := range recs {
			if r[0] == want[0] && r[1] == want[1] {
				found = true
			}
		}
		if !found {
			t.Errorf("CSV lacks %q: %q", want, recs)
		}
	}
}
