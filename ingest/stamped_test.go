package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lnvedash/queries/querytest"
	"lnvedash/seeds"
)

// handPDF is a PDF of n pages written here by hand (not by the library that reads it back).
func handPDF(n int, date string) []byte {
	var kids []string
	for i := 0; i < n; i++ {
		kids = append(kids, fmt.Sprintf("%d 0 R", 4+i))
	}
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n),
		fmt.Sprintf("<< /ModDate (%s) >>", date)}
	for i := 0; i < n; i++ {
		objs = append(objs, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return []byte(b.String())
}

func TestStampedCopies(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	files := []string{
		write("辽宁机电职院-盖章版.pdf", handPDF(3, "D:20210920100000+08'00'")),
		write("盖章扫描件.pdf", handPDF(1, "D:20210920100000+08'00'")),
		write("大连理工大学盖章件.png", []byte("\x89PNG\r\n\x1a\n0000")),
		write("辽宁卫生职业技术学院.pdf", []byte("%PDF-1.4\nbroken")),
	}
	db := querytest.Open(t, "")
	res := run(t, db, t.TempDir(), files...)
	got := map[string]FileResult{}
	for _, f := range res.Files {
		got[f.FileName] = f
	}
	if f := got["辽宁机电职院-盖章版.pdf"]; f.Status != StatusReceived || f.Submitter != "辽宁机电职业技术学院" {
		t.Errorf("named PDF: %+v", f)
	}
	if f := got["盖章扫描件.pdf"]; f.Status != "rejected" || f.ReasonCode != CodeStampedUnnamed || !strings.Contains(f.Message, "上传时请在文件名中写明单位名称") {
		t.Errorf("unnamed PDF: %+v", f)
	}
	if f := got["大连理工大学盖章件.png"]; f.Status != StatusReceived || f.Kind != seeds.KindUniversity {
		t.Errorf("university scan: %+v", f)
	}
	// An unreadable PDF from a named unit (its old name) is still received, with a warning.
	if f := got["辽宁卫生职业技术学院.pdf"]; f.Status != StatusReceived || f.Submitter != "辽宁医药职业学院" || f.Warnings != 1 {
		t.Errorf("broken PDF: %+v", f)
	}
	var pages int
	var modified time.Time
	var kind string
	if err := db.QueryRow(`SELECT pages, modified_at, doc_kind FROM submissions WHERE file_name = '辽宁机电职院-盖章版.pdf'`).Scan(&pages, &modified, &kind); err != nil {
		t.Fatal(err)
	}
	// 3 pages; the ModDate 2021-09-20 10:00 +08:00 is 02:00 UTC.
	if pages != 3 || kind != DocStamped || !modified.Equal(time.Date(2021, 9, 20, 2, 0, 0, 0, time.UTC)) {
		t.Errorf("pages %d, modified %v, doc_kind %s", pages, modified, kind)
	}
	var stamped, complete bool
	if err := db.QueryRow(`SELECT stamped_received, complete FROM stamped_copies WHERE submitter = '辽宁机电职业技术学院'`).Scan(&stamped, &complete); err != nil || !stamped || complete {
		t.Errorf("stamped_copies: stamped %v complete %v (no checklist yet), %v", stamped, complete, err)
	}
	var schools, universities int
	db.QueryRow(`SELECT count(*) FROM submitters WHERE kind = 'school'`).Scan(&schools)
	db.QueryRow(`SELECT count(*) FROM submitters WHERE kind = 'university'`).Scan(&universities)
	if schools != 52 || universities != 0 {
		t.Errorf("roster: %d schools, %d universities in submitters; want 52 and 0", schools, universities)
	}
}

// Every name the issue lists resolves, as a 单位 cell would be written and inside a file name.
func TestIssueNamesResolve(t *testing.T) {
	ix := NewSubmitterIndex(seeds.MustLoad())
	want := map[string]string{
		"辽宁林业职业技术学院": "辽宁生态工程职业学院", "辽宁水利职业学院": "辽宁生态工程职业学院", "辽宁卫生职业技术学院": "辽宁医药职业学院",
		"铁岭师范高等专科学校": "铁岭师范高等专科学校", "辽宁税务高等专科学校": "辽宁税务高等专科学校", "沈阳航空职业技术学院": "沈阳航空职业技术学院",
		"辽宁商贸职业学院": "辽宁商贸职业学院", "辽河石油职业技术学院": "辽河石油职业技术学院", "辽宁师范高等专科学校": "辽宁师范高等专科学校",
		"辽宁理工职业大学": "辽宁理工职业大学", "大连理工大学": "大连理工大学",
	}
	for name, succ := range want {
		for _, text := range []string{"单位：" + name + "（盖章）", fileNameStem("2021" + name + "任务落实举措清单.xlsx")} {
			if s, ok := ix.Resolve(text); !ok || s.Name != succ {
				t.Errorf("Resolve(%q) = %v, want %s", text, s, succ)
			}
		}
	}
}
