package ingest

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"lnvedash/checklist"
	"lnvedash/seeds"
)

// TestOfficialTemplate fills the blank checklist that `lnvedash template --for 大连市` writes (the real
// generator, not a copy of its layout) and reads it back: identity from the embedded name, tasks by
// their canonical text, dates from date-styled cells.
func TestOfficialTemplate(t *testing.T) {
	set := seeds.MustLoad()
	f, err := checklist.Build(set, checklist.Options{For: "大连市"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sh := checklist.SheetName
	fill := func(row int, measure, goal string, due any) {
		for col, v := range map[string]any{"E": measure, "F": goal, "G": "市教育局", "H": due} {
			if err := f.SetCellValue(sh, col+strconv.Itoa(row), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	fill(checklist.TaskRow(3), "建设思政示范课堂", "建设5个示范课堂", time.Date(2022, 6, 30, 0, 0, 0, 0, time.UTC))
	fill(checklist.TaskRow(3)+1, "开发课程思政案例", "20个课程思政案例", "长期")
	fill(checklist.TaskRow(40), "建设综合性实训基地", "建成1个", "2022年底前")
	path := filepath.Join(t.TempDir(), "清单.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	p, err := NewReader(set).Read(path, "清单.xlsx", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if p.Submitter.Name != "大连市" || p.IdentitySource != IdentityTemplate || p.Sheet != sh {
		t.Fatalf("submitter %s via %s, sheet %s", p.Submitter.Name, p.IdentitySource, p.Sheet)
	}
	type got struct {
		task    int
		method  string
		due     string
		ongoing bool
	}
	want := []got{{3, MethodContent, "2022-06-30", false}, {3, MethodContent, "", true}, {40, MethodContent, "2022-12-31", false}}
	if len(p.Rows) != len(want) {
		t.Fatalf("%d rows: %+v", len(p.Rows), p.Rows)
	}
	for i, r := range p.Rows {
		g := got{r.TaskNo, r.Method, "", r.Ongoing}
		if !r.DueDate.IsZero() {
			g.due = r.DueDate.Format("2006-01-02")
		}
		if g != want[i] {
			t.Errorf("row %d: %+v, want %+v", r.Row, g, want[i])
		}
	}
	for _, fd := range p.Findings {
		if fd.Code != "task_missing" {
			t.Errorf("unexpected finding %+v", fd)
		}
	}
}
