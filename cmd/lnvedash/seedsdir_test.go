package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lnvedash/queries"
)

// TestSeedsFlag: ingest --seeds builds the roster from the folder and credits a file to a unit of it;
// access --seeds issues a link to a unit of it;
// a command opening the same database without the folder rebuilds the built-in roster (which is why
// every command must be given the same folder); a bad folder is refused before the database opens.
func TestSeedsFlag(t *testing.T) {
	dir := t.TempDir()
	roster := filepath.Join(dir, "roster")
	if err := os.MkdirAll(roster, 0o755); err != nil {
		t.Fatal(err)
	}
	// A two-unit roster typed here: the city of ingest/testdata's 大连市 file and one college.
	csv := "submitter,kind,city,level,ownership,aliases,source\n大连市,city,大连市,,,大连|大连市教育局,test\n安平职业技术学院,school,大连市,专科,公办,安平职院,test\n"
	if err := os.WriteFile(filepath.Join(roster, "submitters.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dir, "data", "lnvedash.duckdb")
	run := func(args ...string) error {
		var out, errb bytes.Buffer
		err := Run(context.Background(), args, nil, &out, &errb)
		if err != nil {
			t.Logf("%v\n%s%s", err, out.String(), errb.String())
		}
		return err
	}
	if err := run("ingest", "--db", dbPath, "--seeds", roster, filepath.Join(ingestTestdata, "大连市-任务落实举措清单.xlsx")); err != nil {
		t.Fatal(err)
	}
	count := func() (units int, credited string) {
		db, err := queries.Open(context.Background(), dbPath, queries.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.QueryRow(`SELECT count(*) FROM submitters`).Scan(&units); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT submitter FROM submissions WHERE status = 'current'`).Scan(&credited); err != nil {
			t.Fatal(err)
		}
		return units, credited
	}
	if n, who := count(); n != 2 || who != "大连市" {
		t.Errorf("after ingest --seeds: %d rostered units, file credited to %q; want 2 and 大连市", n, who)
	}
	// access issues a unit's link on the same roster when given the folder: the unit resolves by its
	// alias there, and the roster is not rebuilt.
	if err := run("access", "issue", "--db", dbPath, "--seeds", roster, "--unit", "安平职院"); err != nil {
		t.Fatal(err)
	}
	if n, _ := count(); n != 2 {
		t.Errorf("after access issue --seeds: %d rostered units, want 2", n)
	}
	if err := run("access", "list", "--db", dbPath, "--seeds", roster); err != nil {
		t.Fatal(err)
	}
	if err := run("round", "list", "--db", dbPath); err != nil { // opens read-write without the folder
		t.Fatal(err)
	}
	if n, _ := count(); n != 66 {
		t.Errorf("after a command without --seeds: %d rostered units, want the built-in 66", n)
	}
	if err := run("ingest", "--db", dbPath, "--seeds", filepath.Join(dir, "nowhere"), ingestTestdata); err == nil || !strings.Contains(err.Error(), "--seeds") {
		t.Errorf("a missing seeds folder: err = %v, want one naming --seeds", err)
	}
}
