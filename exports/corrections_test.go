package exports

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lnvedash/ingest"
	"lnvedash/queries"
	"lnvedash/queries/querytest"
)

// ingestTestdata is a fresh database holding ingest's top-level test files (not its corpus/ and fuzz/
// folders, whose files have their own tests).
func ingestTestdata(t *testing.T) *queries.DB {
	t.Helper()
	ctx := context.Background()
	entries, err := os.ReadDir("../ingest/testdata")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			files = append(files, filepath.Join("../ingest/testdata", e.Name()))
		}
	}
	db := querytest.Open(t, "")
	if _, err := ingest.Run(ctx, db, ingest.Options{DataDir: t.TempDir(), Source: "cli"}, files...); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestWriteCorrections writes the correction list of ingest's own test files (ingest/testdata): eleven
// of them are rejected, and 大连市's file has an unreadable date.
func TestWriteCorrections(t *testing.T) {
	db := ingestTestdata(t)
	var buf bytes.Buffer
	if err := WriteCorrections(context.Background(), &buf, db, ""); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	want := []string{"大连市", "沈阳职业技术学院", "辽宁机电职业技术学院", "辽宁职业学院", RejectedSheet}
	for _, w := range want {
		found := false
		for _, s := range sheets {
			found = found || s == w
		}
		if !found {
			t.Errorf("no sheet %s in %v", w, sheets)
		}
	}
	rows, _ := f.GetRows(RejectedSheet)
	if len(rows) != corrHeaderRow+11 {
		t.Errorf("rejected sheet has %d rows, want title, header and 11", len(rows))
	}
	dl, _ := f.GetRows("大连市")
	var text strings.Builder
	for _, r := range dl {
		text.WriteString(strings.Join(r, "|") + "\n")
	}
	if !strings.Contains(text.String(), "due_unreadable") || !strings.Contains(text.String(), "完成时间“尽快”无法识别") {
		t.Errorf("大连市 sheet lacks the unreadable date:\n%s", text.String())
	}
}

// TestCorrectionsLetter: each unit's sheet reads as a letter a clerk forwards as is (issue 20): a title
// naming the unit, what to do by when, Chinese problem types beside the code, the value as written,
// columns wide enough, and print setup (A4 landscape, one page wide, area and repeated header).
func TestCorrectionsLetter(t *testing.T) {
	db := ingestTestdata(t)
	var buf bytes.Buffer
	now := time.Date(2021, 9, 25, 10, 0, 0, 0, time.UTC)
	if err := WriteCorrectionsWith(context.Background(), &buf, db, CorrectionsOptions{Unit: "大连市", Now: now}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	get := func(sheet, ref string) string { v, _ := f.GetCellValue(sheet, ref); return v }
	if got := get("大连市", "A1"); got != "大连市《任务落实举措清单》整改通知" {
		t.Errorf("title %q", got)
	}
	// seven days from 2021-09-25
	if got := get("大连市", "A2"); !strings.Contains(got, "请于 2021年10月2日 前") || !strings.Contains(got, "大连市-任务落实举措清单.xlsx") {
		t.Errorf("request %q", got)
	}
	rows, _ := f.GetRows("大连市")
	header := rows[corrHeaderRow-1]
	if strings.Join(header, "|") != "序号|工作表|行号|严重程度|问题类型|原填写内容|说明及修改要求|代码" {
		t.Errorf("header %v", header)
	}
	found := false
	for _, r := range rows[corrHeaderRow:] {
		if len(r) == 8 && r[7] == "due_unreadable" {
			found = true
			if r[4] != "完成时间无法识别" || r[5] != "尽快" {
				t.Errorf("due_unreadable row: type %q, value %q", r[4], r[5])
			}
		}
		for _, c := range r[:7] {
			if strings.Contains(c, "_") && !strings.HasSuffix(c, ".xlsx") {
				t.Errorf("code shown outside the code column: %q in %v", c, r)
			}
		}
	}
	if !found {
		t.Errorf("no due_unreadable row in %v", rows)
	}
	for col, min := range map[string]float64{"B": 10, "E": 16, "F": 30, "G": 50} {
		if w, _ := f.GetColWidth("大连市", col); w < min {
			t.Errorf("column %s width %v < %v", col, w, min)
		}
	}
	pl, err := f.GetPageLayout("大连市")
	if err != nil {
		t.Fatal(err)
	}
	if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("page layout %+v", pl)
	}
	names := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Scope == "大连市" {
			names[dn.Name] = dn.RefersTo
		}
	}
	if names["_xlnm.Print_Area"] == "" || names["_xlnm.Print_Titles"] != "'大连市'!$5:$5" {
		t.Errorf("defined names %v", names)
	}
	// Rejected files: reasons in Chinese, no "code:" prefix in the explanation.
	rj, _ := f.GetRows(RejectedSheet)
	for _, r := range rj[corrHeaderRow:] {
		if len(r) < 7 || strings.Contains(r[3], "_") || strings.HasPrefix(r[4], r[6]+":") {
			t.Errorf("rejected row %v", r)
		}
	}
}

func TestSheetName(t *testing.T) {
	used := map[string]bool{}
	long := strings.Repeat("很长的单位名称", 6)
	tests := []struct{ name, in, want string }{
		{"plain", "大连市", "大连市"},
		{"forbidden characters", "a/b:c", "a_b_c"},
		{"long", long, string([]rune(long)[:31])},
		{"long again is unique", long, string([]rune(long)[:28]) + "(2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sheetName(tt.in, used); got != tt.want {
				t.Errorf("sheetName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// One unit's correction list is that unit's sheet of the full list, and only its own rejected files.
func TestWriteCorrectionsOneUnit(t *testing.T) {
	db := ingestTestdata(t)
	ctx := context.Background()
	read := func(unit string) *excelize.File {
		var buf bytes.Buffer
		if err := WriteCorrections(ctx, &buf, db, unit); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	all, one := read(""), read("大连") // an alias names the unit too
	if got := strings.Join(one.GetSheetList(), ","); got != "大连市,"+RejectedSheet {
		t.Fatalf("sheets = %s, want 大连市 and %s", got, RejectedSheet)
	}
	want, _ := all.GetRows("大连市")
	got, _ := one.GetRows("大连市")
	if strings.Join(flat(got), "|") != strings.Join(flat(want), "|") || len(got) < 2 {
		t.Errorf("大连市 sheet alone:\n%v\nwant as in the full list:\n%v", got, want)
	}
	rej, _ := one.GetRows(RejectedSheet)
	for _, r := range rej[corrHeaderRow:] {
		if len(r) < 3 || r[2] != "大连市" {
			t.Errorf("rejected row of another unit: %v", r)
		}
	}
	var buf bytes.Buffer
	if err := WriteCorrections(ctx, &buf, db, "不存在的学院"); !errors.Is(err, queries.ErrNotFound) {
		t.Errorf("unknown unit: err = %v, want ErrNotFound", err)
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, "\t"))
	}
	return out
}

// stampedFixture is queries' hand-made fixture with its stamped copies (../queries/testdata/fixture.sql
// and stamped.sql; the expected facts are in their headers).
func stampedFixture(t *testing.T) *queries.DB {
	t.Helper()
	ctx := context.Background()
	db, err := queries.Open(ctx, "", queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, p := range []string{"../queries/testdata/fixture.sql", "../queries/testdata/stamped.sql"} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, string(b)); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if err := db.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// The letter tells a unit whose stamped copy is missing (沈阳职业技术学院 beside its other finding; 辽宁轻工职业学院
// with nothing else to fix, so the letter asks for the scan only) or stale (沈阳市: its scan, modified
// 2021-09-12, is older than its current checklist of 2021-09-25), and says nothing of 大连市's, which is fine.
func TestCorrectionsStampedCopy(t *testing.T) {
	db := stampedFixture(t)
	var buf bytes.Buffer
	now := time.Date(2021, 9, 27, 9, 0, 0, 0, time.UTC)
	if err := WriteCorrectionsWith(context.Background(), &buf, db, CorrectionsOptions{Now: now}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	first := func(sheet string) []string { // the first row of the table
		rows, err := f.GetRows(sheet)
		if err != nil || len(rows) <= corrHeaderRow {
			t.Fatalf("sheet %s: %d rows, %v", sheet, len(rows), err)
		}
		return rows[corrHeaderRow]
	}
	ask := func(sheet string) string {
		v, _ := f.GetCellValue(sheet, "A2")
		return v
	}
	for _, c := range []struct {
		sheet, label, value, code, ask string
	}{
		{"沈阳市", "盖章扫描件早于现行清单", "沈阳市-盖章版.pdf", "stamped_stale", "盖章扫描件的问题请按说明"},
		{"沈阳职业技术学院", "缺少盖章扫描件", "", "stamped_missing", "盖章扫描件的问题请按说明"},
		{"辽宁轻工职业学院", "缺少盖章扫描件", "", "stamped_missing", "内容无需修改，但盖章扫描件有下列问题"},
	} {
		r := first(c.sheet)
		for len(r) < len(corrColumns) {
			r = append(r, "")
		}
		if r[1] != "盖章扫描件" || r[3] != "错误" || r[4] != c.label || r[5] != c.value || r[7] != c.code {
			t.Errorf("%s: first row %q, want 盖章扫描件 / 错误 / %s / %q / %s", c.sheet, r, c.label, c.value, c.code)
		}
		if !strings.Contains(ask(c.sheet), c.ask) {
			t.Errorf("%s: letter %q lacks %q", c.sheet, ask(c.sheet), c.ask)
		}
	}
	if r := first("沈阳市"); len(r) < 7 || !strings.Contains(r[6], "2021-09-12") || !strings.Contains(r[6], "2021-09-25") {
		t.Errorf("沈阳市: stale row %q should give both dates", r)
	}
	dl, _ := f.GetRows("大连市")
	for _, r := range dl {
		if strings.Contains(strings.Join(r, "|"), "stamped_") {
			t.Errorf("大连市 has a stamped finding: %q", r)
		}
	}
	if !strings.Contains(ask("大连市"), "未发现需要修改的问题") {
		t.Errorf("大连市: letter %q, want nothing to fix", ask("大连市"))
	}
}
