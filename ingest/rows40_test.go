package ingest

import (
	"testing"
	"time"

	"lnvedash/seeds"
)

// The seeds' copy of the notice lacks the page with template rows 40–45 (row 46 begins mid-title,
// "引领力度。"); a return typed from a complete copy carries them. missingpage/rows40.xlsx (openpyxl,
// make_rows40.py) is such a return: rows printed 40–45 with 附件2's tasks 40–45 in its own words. Each
// must land on its task by content — the text, not only the printed number.
func TestRowsPrinted40To45MatchByContent(t *testing.T) {
	set := seeds.MustLoad()
	p, err := NewReader(set).Read("missingpage/rows40.xlsx", "rows40.xlsx", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if p.Submitter.Name != "辽宁农业职业技术学院" {
		t.Errorf("submitter %q", p.Submitter.Name)
	}
	if len(p.Rows) != 6 {
		t.Fatalf("%d rows, want the 6 printed 40–45: %+v", len(p.Rows), p.Rows)
	}
	for i, r := range p.Rows {
		want := 40 + i
		if r.TaskNo != want || r.Method != MethodContent {
			t.Errorf("row %d (printed %s): task %d by %s, want task %d by content", r.Row, r.PrintedNo, r.TaskNo, r.Method, want)
		}
	}
	for _, fd := range p.Findings {
		if fd.Code == "number_mismatch" || fd.Code == "unknown_task" || fd.Code == "weak_match" || fd.Code == "ambiguous_task" {
			t.Errorf("finding %+v on a row of the missing page", fd)
		}
	}
}
