package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"lnvedash/queries"
	"lnvedash/queries/querytest"
)

// topTestdata are the files directly in testdata/ (the corpus of testdata/corpus/ has tests of its own).
func topTestdata(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			out = append(out, filepath.Join("testdata", e.Name()))
		}
	}
	return out
}

func run(t testing.TB, db *queries.DB, dataDir string, paths ...string) *Result {
	t.Helper()
	res, err := Run(context.Background(), db, Options{DataDir: dataDir, Source: "cli"}, paths...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func byName(res *Result) map[string]FileResult {
	m := map[string]FileResult{}
	for _, f := range res.Files {
		m[f.FileName] = f
	}
	return m
}

func TestTestdataVerdicts(t *testing.T) {
	db := querytest.Open(t, "")
	data := t.TempDir()
	res := run(t, db, data, topTestdata(t)...)
	got := byName(res)
	if len(res.Files) != len(testdataFiles) {
		t.Errorf("%d files, want %d", len(res.Files), len(testdataFiles))
	}
	for _, w := range testdataFiles {
		t.Run(w.name, func(t *testing.T) {
			f, ok := got[w.name]
			if !ok {
				t.Fatalf("no result")
			}
			if f.Status != w.status || f.ReasonCode != w.code || f.Submitter != w.submitter || f.Measures != w.measures {
				t.Errorf("got status %s code %s submitter %s measures %d (%s), want %s %s %s %d",
					f.Status, f.ReasonCode, f.Submitter, f.Measures, f.Message, w.status, w.code, w.submitter, w.measures)
			}
			var reason *string
			var archivePath string
			if err := db.QueryRow(`SELECT reason, archive_path FROM files WHERE submission_id = ?`, f.SubmissionID).Scan(&reason, &archivePath); err != nil {
				t.Fatal(err)
			}
			if w.code == CodeUnknownSubmitter && (!strings.Contains(f.Message, "某某培训中心") || !strings.Contains(f.Message, "unknown_submitter")) {
				t.Errorf("the message should quote the names seen: %s", f.Message)
			}
			if w.code != "" && (reason == nil || !strings.HasPrefix(*reason, w.code+": ")) {
				t.Errorf("reason %v, want it to start with %q", reason, w.code+": ")
			}
			// Nothing lost: the archived copy has the received bytes under its hash.
			orig, _ := os.ReadFile(filepath.Join("testdata", w.name))
			arch, err := os.ReadFile(filepath.Join(data, archivePath))
			if err != nil || !bytes.Equal(orig, arch) {
				t.Errorf("archive %s: %v, equal=%v", archivePath, err, bytes.Equal(orig, arch))
			}
			sum := sha256.Sum256(orig)
			if hex.EncodeToString(sum[:]) != f.SHA256 || !strings.Contains(archivePath, f.SHA256) {
				t.Errorf("sha256 %s, archive %s", f.SHA256, archivePath)
			}
		})
	}
}

// TestDalianChecklist checks every row of the quirkiest fixture against values worked out by hand
// from the spec in testdata_test.go.
func TestDalianChecklist(t *testing.T) {
	db := querytest.Open(t, "")
	res := run(t, db, t.TempDir(), "testdata/大连市-任务落实举措清单.xlsx")
	f := res.Files[0]
	// Warnings by hand: row 15's number_mismatch and row 16's due_unreadable (the ambiguous_task
	// notes on rows 9 and 10 and the task_missing notes are info).
	if f.Status != "current" || f.Submitter != "大连市" || f.Kind != "city" || f.Warnings != 2 || f.Errors != 0 {
		t.Fatalf("%+v", f)
	}
	type mrow struct {
		row     int
		printed string
		task    int
		method  string
		due     string
		ongoing bool
	}
	want := []mrow{
		{6, "1", 1, MethodTemplate, "2022-06-30", false},
		{7, "1", 1, MethodTemplate, "2022-12-31", false},
		{8, "3", 3, MethodContent, "2022-09-30", false},
		{9, "7", 8, MethodMeasure, "2021-12-31", false},
		{10, "7", 7, MethodMeasure, "2022-09-30", false},
		{12, "8", 9, MethodContent, "2022-06-30", false},
		{13, "12", 12, MethodTemplate, "2023-06-30", false},
		{14, "20", 20, MethodContent, "2022-12-31", false},
		{15, "42", 24, MethodContent, "", true},
		{16, "41", 41, MethodContent, "", false},
	}
	rows, err := db.Query(`SELECT "row", printed_no, task_no, match_method, coalesce(strftime(due_date, '%Y-%m-%d'), ''), ongoing, sheet
		FROM measure_rows WHERE submission_id = ? ORDER BY "row"`, f.SubmissionID)
	if err != nil {
		t.Fatal(err)
	}
	var got []mrow
	for rows.Next() {
		var r mrow
		var sheet string
		if err := rows.Scan(&r.row, &r.printed, &r.task, &r.method, &r.due, &r.ongoing, &sheet); err != nil {
			t.Fatal(err)
		}
		if sheet != "任务落实举措清单" {
			t.Errorf("row %d from sheet %s", r.row, sheet)
		}
		got = append(got, r)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("measure rows\n got %v\nwant %v", got, want)
	}

	type crow struct {
		row, seq int
		metric   string
		value    float64
		unit     string
	}
	wantC := []crow{
		{6, 1, "", 2, "名"}, {7, 1, "", 30, "人"},
		{8, 1, "思想政治课示范课堂", 10, "个"}, {8, 2, "课程思政教育案例", 20, "个"},
		{9, 1, "", 2, "个"}, {12, 1, "高水平特色专业（群）", 10, "个"}, {13, 1, "省级优质中职学校", 3, "所"},
		{14, 1, "职业技能培训", 12000, "人次"}, {15, 1, "产业学院", 2, "个"}, {16, 1, "", 100, "%"},
	}
	crows, err := db.Query(`SELECT "row", seq, coalesce(metric, ''), value, unit FROM commitment_rows WHERE submission_id = ? ORDER BY "row", seq`, f.SubmissionID)
	if err != nil {
		t.Fatal(err)
	}
	var gotC []crow
	for crows.Next() {
		var c crow
		if err := crows.Scan(&c.row, &c.seq, &c.metric, &c.value, &c.unit); err != nil {
			t.Fatal(err)
		}
		gotC = append(gotC, c)
	}
	if fmt.Sprint(gotC) != fmt.Sprint(wantC) {
		t.Errorf("commitments\n got %v\nwant %v", gotC, wantC)
	}

	// Findings tied to rows, by code (task_missing is checked by count below).
	frows, err := db.Query(`SELECT coalesce("row", 0), severity, code FROM finding_rows WHERE submission_id = ? AND code <> 'task_missing' ORDER BY 1, 3`, f.SubmissionID)
	if err != nil {
		t.Fatal(err)
	}
	var findings []string
	for frows.Next() {
		var row int
		var sev, code string
		if err := frows.Scan(&row, &sev, &code); err != nil {
			t.Fatal(err)
		}
		findings = append(findings, fmt.Sprintf("%d:%s:%s", row, sev, code))
	}
	// sheets_read: the workbook's 填报说明 sheet is named as not counted.
	wantF := []string{"0:info:sheets_read", "9:info:ambiguous_task", "10:info:ambiguous_task", "15:warning:number_mismatch", "16:warning:due_unreadable"}
	if fmt.Sprint(findings) != fmt.Sprint(wantF) {
		t.Errorf("findings %v, want %v", findings, wantF)
	}
	// Tasks a city is expected to address: those with a city scope (各市/相关市政府, or 沈阳市 only). The
	// file addresses 1, 3, 7, 8, 9, 12, 20, 24, 41.
	var expected, missing int
	if err := db.QueryRow(`SELECT count(*) FROM tasks WHERE expects_cities AND city_scope IN ('各市', '相关市政府')`).Scan(&expected); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM finding_rows WHERE submission_id = ? AND code = 'task_missing'`, f.SubmissionID).Scan(&missing); err != nil {
		t.Fatal(err)
	}
	var addressedExpected int
	if err := db.QueryRow(`SELECT count(*) FROM tasks WHERE expects_cities AND city_scope IN ('各市', '相关市政府') AND task_no IN (1,3,7,8,9,12,20,24,41)`).Scan(&addressedExpected); err != nil {
		t.Fatal(err)
	}
	if missing != expected-addressedExpected {
		t.Errorf("task_missing findings %d, want %d", missing, expected-addressedExpected)
	}

	// Script and SQL text are data, stored as written.
	var measure, goal string
	if err := db.QueryRow(`SELECT measure, goal FROM measure_rows WHERE submission_id = ? AND "row" = 15`, f.SubmissionID).Scan(&measure, &goal); err != nil {
		t.Fatal(err)
	}
	if measure != xssMeasure || goal != sqlGoal {
		t.Errorf("stored %q / %q", measure, goal)
	}
	var unit string
	if err := db.QueryRow(`SELECT unit_cell FROM files WHERE submission_id = ?`, f.SubmissionID).Scan(&unit); err != nil || unit != "单位：大连市教育局（公章）" {
		t.Errorf("unit_cell %q %v", unit, err)
	}
}

// dumpTables renders the ingest tables (all but ingest_runs), every column, in a fixed order.
func dumpTables(t testing.TB, db *queries.DB) string {
	t.Helper()
	var b strings.Builder
	err := querytest.Dump(context.Background(), &b, db, "SELECT * FROM files ORDER BY ALL",
		"SELECT * FROM measure_rows ORDER BY ALL", "SELECT * FROM commitment_rows ORDER BY ALL",
		"SELECT * FROM finding_rows ORDER BY ALL")
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestReingestIdentical(t *testing.T) {
	dir := t.TempDir()
	db := querytest.Open(t, filepath.Join(dir, "lnvedash.duckdb"))
	first := run(t, db, "", topTestdata(t)...)
	before := dumpTables(t, db)
	second := run(t, db, "", topTestdata(t)...)
	if after := dumpTables(t, db); after != before {
		t.Errorf("tables changed on re-ingest:\n%s\n---\n%s", before, after)
	}
	for i, f := range second.Files {
		if f.Status != StatusDuplicate || f.SubmissionID != first.Files[i].SubmissionID {
			t.Errorf("%s: second run %s #%d, want duplicate of #%d", f.FileName, f.Status, f.SubmissionID, first.Files[i].SubmissionID)
		}
	}
	if second.RunID != first.RunID+1 {
		t.Errorf("run ids %d, %d", first.RunID, second.RunID)
	}
	// The data folder is the db's folder when DataDir is empty.
	if _, err := os.Stat(filepath.Join(dir, "archive", first.Files[0].SHA256[:2])); err != nil {
		t.Errorf("archive not under the db folder: %v", err)
	}
}

func TestSupersession(t *testing.T) {
	dir := t.TempDir()
	v1, v2 := dalianSpec(), dalianSpec()
	v2.modified = v1.modified.Add(72 * time.Hour)
	v2.sheets[2].cells = append(v2.sheets[2].cells, cell{ref: "E17", value: "新增举措"}, cell{ref: "C17", value: task20})
	writeBook(t, filepath.Join(dir, "v2", "大连市（修改稿）.xlsx"), v2)
	writeBook(t, filepath.Join(dir, "v1", "大连市.xlsx"), v1)
	db := querytest.Open(t, "")
	data := t.TempDir()
	// The corrected version arrives first; the older one later must not take its place.
	r2 := run(t, db, data, filepath.Join(dir, "v2"))
	r1 := run(t, db, data, filepath.Join(dir, "v1"))
	if r2.Files[0].Status != "current" || r1.Files[0].Status != "superseded" {
		t.Fatalf("v2 %s, v1 %s", r2.Files[0].Status, r1.Files[0].Status)
	}
	var n, id int
	if err := db.QueryRow(`SELECT count(*), min(submission_id) FROM measures WHERE submitter = '大连市'`).Scan(&n, &id); err != nil {
		t.Fatal(err)
	}
	if n != 11 || id != r2.Files[0].SubmissionID {
		t.Errorf("current measures %d from #%d, want 11 from #%d", n, id, r2.Files[0].SubmissionID)
	}
	// Without docProps the file's mtime decides: a newer copy of v1 with another mtime is a new file
	// only if its bytes differ, so touch-only changes stay duplicates.
	r := run(t, db, data, filepath.Join(dir, "v1"))
	if r.Files[0].Status != StatusDuplicate {
		t.Errorf("same bytes again: %s", r.Files[0].Status)
	}
}

func TestZipUpload(t *testing.T) {
	dir := t.TempDir()
	dalian, _ := os.ReadFile("testdata/大连市-任务落实举措清单.xlsx")
	hidden, _ := os.ReadFile("testdata/hidden_identity.xlsx")
	gbkName, err := simplifiedchinese.GBK.NewEncoder().String("报送/大连市清单.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []struct {
		name string
		body []byte
	}{{gbkName, dalian}, {"../../../escape.xlsx", hidden}, {"readme.txt", []byte("x")}} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, NonUTF8: true})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(e.body)
	}
	_ = zw.Close()
	zipPath := filepath.Join(dir, "upload", "batch.zip")
	_ = os.MkdirAll(filepath.Dir(zipPath), 0o755)
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	db := querytest.Open(t, "")
	res := run(t, db, t.TempDir(), zipPath)
	got := byName(res)
	if len(res.Files) != 2 || got["大连市清单.xlsx"].Submitter != "大连市" || got["escape.xlsx"].Submitter != "辽宁职业学院" {
		t.Fatalf("%+v", res.Files)
	}
	if _, err := os.Stat(filepath.Join(dir, "escape.xlsx")); err == nil {
		t.Errorf("zip entry escaped its folder")
	}
}

// TestSampleData ingests the sample-data folder written by the sample generator and compares every
// file's verdict and measure count with its MANIFEST.csv (file,submitter,status,reason_code,note,measures).
func TestSampleData(t *testing.T) {
	manifest := filepath.Join("..", "sample-data", "MANIFEST.csv")
	fh, err := os.Open(manifest)
	if err != nil {
		t.Skipf("no %s yet", manifest)
	}
	defer fh.Close()
	cr := csv.NewReader(fh)
	cr.Comment = '#'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	db := querytest.Open(t, "")
	res := run(t, db, t.TempDir(), filepath.Join("..", "sample-data"))
	got := map[string]FileResult{}
	for _, f := range res.Files {
		rel, _ := filepath.Rel(filepath.Join("..", "sample-data"), f.Path)
		got[filepath.ToSlash(rel)] = f
	}
	if strings.Join(recs[0], ",") != "file,submitter,status,reason_code,note,measures" {
		t.Fatalf("manifest header %q", recs[0])
	}
	checked := 0
	for _, r := range recs[1:] {
		file, submitter, status, code := r[0], r[1], r[2], r[3]
		f, ok := got[file]
		if !ok {
			t.Errorf("%s: not ingested", file)
			continue
		}
		if f.Status != status || f.ReasonCode != code || (submitter != "" && f.Submitter != submitter) {
			t.Errorf("%s: got %s %s %s (%s), manifest says %s %s %s", file, f.Status, f.ReasonCode, f.Submitter, f.Message, status, code, submitter)
		}
		// The measure rows the generator wrote into the file, extracted exactly: counted in the
		// database, not taken from the run's own summary.
		want, err := strconv.Atoi(r[5])
		if err != nil {
			t.Fatalf("%s: manifest measures %q", file, r[5])
		}
		var stored int
		if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM measure_rows WHERE submission_id = ?`, f.SubmissionID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != want || f.Measures != want {
			t.Errorf("%s: %d measure rows stored (%d reported), the generator wrote %d", file, stored, f.Measures, want)
		}
		checked++
	}
	if checked != len(recs)-1 || checked < 60 {
		t.Errorf("checked %d files of the manifest's %d", checked, len(recs)-1)
	}
}

// TestMergedRightColumns: a 完成时间 and a 责任单位 merged over three measures belong to each of them;
// a blank 完成目标 that is not merged stays blank.
func TestMergedRightColumns(t *testing.T) {
	db := querytest.Open(t, "")
	res := run(t, db, t.TempDir(), "testdata/merged_right.xlsx")
	rows, err := db.Query(`SELECT "row", task_no, coalesce(goal, ''), coalesce(owner, ''), coalesce(due, ''), strftime(due_date, '%Y-%m-%d')
		FROM measure_rows WHERE submission_id = ? ORDER BY "row"`, res.Files[0].SubmissionID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var row, task int
		var goal, owner, due, date string
		if err := rows.Scan(&row, &task, &goal, &owner, &due, &date); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d|%d|%s|%s|%s|%s", row, task, goal, owner, due, date))
	}
	want := []string{
		"3|20|培训5000人次|市人社局|2022年底前|2022-12-31",
		"4|20|培训3000人次|市人社局|2022年底前|2022-12-31",
		"5|20||市人社局|2022年底前|2022-12-31",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
}

// TestResendRejected: a rejected file sent again is answered "仍被拒收：<reason>", not as a mere
// duplicate "already received".
func TestResendRejected(t *testing.T) {
	dir := t.TempDir()
	db := querytest.Open(t, filepath.Join(dir, "lnvedash.duckdb"))
	first := run(t, db, "", filepath.Join("testdata", "legacy.xls"))
	if len(first.Files) != 1 || first.Files[0].Status != "rejected" {
		t.Fatalf("first: %+v", first.Files)
	}
	second := run(t, db, "", filepath.Join("testdata", "legacy.xls"))
	f := second.Files[0]
	if f.Status != StatusDuplicate || f.ReasonCode != CodeLegacyXLS || !strings.HasPrefix(f.Message, "仍被拒收：文件是旧版 Excel 97-2003 格式") {
		t.Errorf("re-sent rejected file: %s %s %q", f.Status, f.ReasonCode, f.Message)
	}
}
