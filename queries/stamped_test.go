package queries

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

// openStampedFixture is fixture.sql plus testdata/stamped.sql (stamped copies and a university).
func openStampedFixture(t *testing.T) *DB {
	t.Helper()
	db := MustOpenFixture(t)
	b, err := os.ReadFile("testdata/stamped.sql")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, string(b)); err != nil {
		t.Fatalf("stamped fixture: %v", err)
	}
	if err := db.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// The complete-return rate counts a unit complete only with a checklist and a stamped copy, over the
// roster of its kind (figures worked out in testdata/stamped.sql's header) — read from the view
// completion_rate (Completions) and folded in Go from the units' rows (CompletionsOf, what /returns
// uses): the two ways must give the same hand-worked figures.
func TestCompletions(t *testing.T) {
	db := openStampedFixture(t)
	ctx := context.Background()
	want := []Completion{
		{Kind: KindCity, Roster: 14, Checklists: 2, Stamped: 3, Complete: 2, Stale: 1, Rate: 2.0 / 14},
		{Kind: KindSchool, Roster: 52, Checklists: 2, Stamped: 0, Complete: 0, Stale: 0, Rate: 0},
	}
	for _, tt := range []struct {
		name string
		get  func() ([]Completion, error)
	}{
		{"view", func() ([]Completion, error) { return db.Completions(ctx) }},
		{"folded", func() ([]Completion, error) {
			units, err := db.UnitReturns(ctx, "")
			return CompletionsOf(units), err
		}},
	} {
		got, err := tt.get()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: completions = %+v, want %+v", tt.name, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: completion %d = %+v, want %+v", tt.name, i, got[i], want[i])
			}
		}
	}
}

// Per unit: which checklist counts, which stamped copy, complete, stale; universities are not units of
// the roster.
func TestUnitReturns(t *testing.T) {
	db := openStampedFixture(t)
	all, err := db.UnitReturns(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 14+52 {
		t.Errorf("%d units, want the roster's 66", len(all))
	}
	by := map[string]UnitReturn{}
	for _, u := range all {
		by[u.Submitter] = u
	}
	if _, ok := by["大连理工大学"]; ok {
		t.Error("a university is listed among the roster's units")
	}
	for _, c := range []struct {
		unit               string
		checklist, stamped int
		pages              int
		complete, stale    bool
	}{
		{"沈阳市", 2, 8, 3, true, true},
		{"大连市", 3, 9, 2, true, false},
		{"鞍山市", 0, 10, 1, false, false},
		{"沈阳职业技术学院", 4, 0, 0, false, false},
		{"大连职业技术学院", 0, 0, 0, false, false}, // its only file was rejected
	} {
		u := by[c.unit]
		if u.ChecklistID != c.checklist || u.StampedID != c.stamped || u.StampedPages != c.pages || u.Complete != c.complete || u.Stale != c.stale {
			t.Errorf("%s = %+v, want checklist %d stamped %d pages %d complete %v stale %v",
				c.unit, u, c.checklist, c.stamped, c.pages, c.complete, c.stale)
		}
	}
	one, err := db.UnitReturns(context.Background(), "沈阳市")
	if err != nil || len(one) != 1 || one[0].StampedFile != "沈阳市-盖章版.pdf" {
		t.Errorf("UnitReturns(沈阳市) = %+v, %v", one, err)
	}
}

// A university's return is listed apart, with its checklist and stamped copy.
func TestUniversityReturns(t *testing.T) {
	db := openStampedFixture(t)
	got, err := db.UniversityReturns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := UniversityReturn{University: "大连理工大学", City: "大连市", ChecklistID: 11,
		ChecklistFile: "大连理工大学任务落实举措清单.xlsx", StampedID: 12, StampedFile: "大连理工大学-盖章版.pdf"}
	if len(got) != 1 || got[0] != want {
		t.Errorf("university returns = %+v, want [%+v]", got, want)
	}
}

// A university's commitments count towards no target: 产业学院 (task 24) stays cities 3 (大连市) +
// colleges 2 (辽宁轻工职业学院) = 5, not 105 with 大连理工大学's 100 — in the view and in the query the
// dashboard runs.
func TestUpperBoundLeavesOutUniversities(t *testing.T) {
	db := openStampedFixture(t)
	var cities, schools, upper float64
	var n int
	err := db.QueryRowContext(context.Background(), `SELECT committed_by_cities, committed_by_schools, upper_bound,
		city_commitments + school_commitments FROM target_progress WHERE metric = '产业学院'`).Scan(&cities, &schools, &upper, &n)
	if err != nil {
		t.Fatal(err)
	}
	if cities != 3 || schools != 2 || upper != 5 || n != 2 {
		t.Errorf("view target_progress 产业学院: cities %v schools %v upper_bound %v commitments %d, want 3, 2, 5, 2", cities, schools, upper, n)
	}
	rows, err := db.TargetProgress(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if r.Metric == "产业学院" {
			found = true
			if r.UpperBound != 5 || r.Commitments != 2 {
				t.Errorf("TargetProgress 产业学院: upper bound %v, %d commitments; want 5, 2", r.UpperBound, r.Commitments)
			}
		}
	}
	if !found {
		t.Error("no 产业学院 target")
	}
}

// Only a stamped copy received is served: not a checklist, not a rejected (unnamed) copy.
func TestStampedFile(t *testing.T) {
	db := openStampedFixture(t)
	ctx := context.Background()
	f, err := db.Stamped(ctx, 8)
	if err != nil || f.FileName != "沈阳市-盖章版.pdf" || f.ArchivePath != "archive/s8/sha8.pdf" || f.Submitter != "沈阳市" {
		t.Errorf("Stamped(8) = %+v, %v", f, err)
	}
	for _, id := range []int{2, 13, 999} {
		if _, err := db.Stamped(ctx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Stamped(%d): err %v, want not found", id, err)
		}
	}
}

// The correction list's queries tell a unit whose stamped copy is missing or stale, and only those.
func TestCorrectionsStamped(t *testing.T) {
	db := openStampedFixture(t)
	c, err := db.Corrections(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range c.Findings {
		if strings.HasPrefix(f.Code, "stamped_") {
			if got[f.Submitter] != "" {
				t.Errorf("%s has two stamped findings", f.Submitter)
			}
			got[f.Submitter] = f.Code
			if f.Sheet != "盖章扫描件" || f.Severity != "error" || f.Row != 0 {
				t.Errorf("stamped finding %+v: want sheet 盖章扫描件, error, row 0", f)
			}
			if f.Code == "stamped_stale" && (f.Value != "沈阳市-盖章版.pdf" || !strings.Contains(f.Message, "2021-09-12") || !strings.Contains(f.Message, "2021-09-25")) {
				t.Errorf("stale finding %+v: want the stamped file and both dates", f)
			}
		}
	}
	want := map[string]string{"沈阳市": "stamped_stale", "沈阳职业技术学院": "stamped_missing", "辽宁轻工职业学院": "stamped_missing"}
	if len(got) != len(want) {
		t.Errorf("stamped findings %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	for _, code := range []string{"stamped_stale", "stamped_missing", "stamped_unnamed"} {
		if !HasFindingLabel(code) {
			t.Errorf("no Chinese label for %s", code)
		}
	}
}
