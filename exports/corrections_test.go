package exports

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lnvedash/ingest"
	"lnvedash/queries"
)

// ingestTestdata is a fresh database holding ingest's test files.
func ingestTestdata(t *testing.T) *queries.DB {
	t.Helper()
	ctx := context.Background()
	db, err := queries.Open(ctx, "", queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := ingest.Run(ctx, db, ingest.Options{DataDir: t.TempDir(), Source: "cli"}, "../ingest/testdata"); err != nil {
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
	if len(rows) != 1+11 {
		t.Errorf("rejected sheet has %d rows, want header + 11", len(rows))
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
	for _, r := range rej[1:] {
		if len(r) < 2 || r[1] != "大连市" {
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
