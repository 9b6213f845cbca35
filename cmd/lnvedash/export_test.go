package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lnvedash/exports"
)

// exportTestDB is a database file in the test's temporary folder with sample-data/ ingested by the
// ingest command.
func exportTestDB(t *testing.T) string {
	t.Helper()
	dbPath := filepath.Join(t.TempDir(), "lnvedash.duckdb")
	var out, errb bytes.Buffer
	// some sample files are meant to be rejected: the summary says so, and it is no error
	if err := Run(context.Background(), []string{"ingest", "--db", dbPath, "--workers", "2", "../../sample-data"}, nil, &out, &errb); err != nil {
		t.Fatalf("ingest sample-data: %v\n%s", err, errb.String())
	}
	return dbPath
}

func exportRun(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := Run(context.Background(), append([]string{"export"}, args...), nil, &out, &errb)
	return out.String() + errb.String(), err
}

// A city's meeting pack, the report and one table, written by the command and read back.
func TestExportCommand(t *testing.T) {
	db := exportTestDB(t)
	dir := t.TempDir()
	pack := filepath.Join(dir, "大连市会议材料.xlsx")
	out, err := exportRun(t, "--db", db, "--pack", pack, "--city", "大连", "--as-of", "2022-06-30")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "会议材料包已写入") || !strings.Contains(out, "地市 大连市") {
		t.Errorf("output %q", out)
	}
	f, err := excelize.OpenFile(pack)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), ","), strings.Join(exports.PackSheetTitles(), ","); got != want {
		t.Errorf("sheets %s, want %s", got, want)
	}
	for _, sh := range f.GetSheetList() {
		if note, _ := f.GetCellValue(sh, "A2"); !strings.Contains(note, "地市 大连市") || !strings.Contains(note, "数据截至 2022-06-30") {
			t.Errorf("%s: %q", sh, note)
		}
	}

	report := filepath.Join(dir, "report.html")
	if out, err := exportRun(t, "--db", db, "--report", report, "--as-of", "2022-06-30"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, bad := range []string{"http://", "https://", "/static/", "<script"} {
		if strings.Contains(html, bad) {
			t.Errorf("report contains %q", bad)
		}
	}
	if n := strings.Count(html, `<img src="data:image/svg`); n != 6 {
		t.Errorf("report has %d inlined charts, want 6", n)
	}

	csvPath := filepath.Join(dir, "cities.csv")
	if out, err := exportRun(t, "--db", db, "--table", "coverage_by_city", "--out", csvPath); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	c, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(c, []byte("\uFEFF地市,")) || strings.Count(string(c), "\r\n") != 15 {
		t.Errorf("coverage_by_city.csv: %d lines, head %q", strings.Count(string(c), "\r\n"), c[:min(len(c), 30)])
	}

	// the correction list of one unit (named by an alias): its sheet and its rejected files
	corr := filepath.Join(dir, "整改清单.xlsx")
	if out, err := exportRun(t, "--db", db, "--corrections", corr, "--unit", "大连"); err != nil || !strings.Contains(out, "整改清单已写入") {
		t.Fatalf("%v\n%s", err, out)
	}
	cf, err := excelize.OpenFile(corr)
	if err != nil {
		t.Fatal(err)
	}
	defer cf.Close()
	if got := strings.Join(cf.GetSheetList(), ","); got != "大连市,"+exports.RejectedSheet {
		t.Errorf("correction list of 大连市: sheets %s", got)
	}
}

func TestExportCommandErrors(t *testing.T) {
	db := exportTestDB(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--db", db}, "--pack"},
		{[]string{"--db", db, "--pack", filepath.Join(dir, "x.xlsx"), "--city", "沈阳职业技术学院"}, "不是名册中的地市"},
		{[]string{"--db", db, "--pack", filepath.Join(dir, "x.xlsx"), "--as-of", "6/30"}, "as_of"},
		{[]string{"--db", db, "--table", "coverage_by_city", "--out", filepath.Join(dir, "x.txt")}, ".csv"},
		{[]string{"--db", filepath.Join(dir, "none.duckdb"), "--pack", filepath.Join(dir, "x.xlsx")}, "不存在"},
	} {
		out, err := exportRun(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err %v, want %q (%s)", tc.args, err, tc.want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.xlsx")); err == nil {
		t.Error("a failed export left a file behind")
	}
}

// While the server holds the database, the command says to export from the server instead.
func TestExportLockedDatabase(t *testing.T) {
	dbPath := holdDatabase(t)
	_, err := exportRun(t, "--db", dbPath, "--pack", filepath.Join(t.TempDir(), "p.xlsx"), "--city", "大连市")
	if err == nil {
		t.Fatal("export from a held database succeeded")
	}
	for _, want := range []string{"看板服务占用", "/export/pack.xlsx?city=", "/report?city="} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
}
