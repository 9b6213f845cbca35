package queries

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"lnvedash/seeds"
)

// MustOpen opens a fresh database for a test: in memory, or in a temp file when dir is true.
func MustOpen(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(context.Background(), "", Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestOpenLoadsSeeds(t *testing.T) {
	db := MustOpen(t)
	counts := []struct {
		sql  string
		want int
	}{
		{"SELECT count(*) FROM tasks", 54},
		{"SELECT count(*) FROM submitters WHERE kind = 'city'", 14},
		{"SELECT count(*) FROM targets", 25},
		{"SELECT count(*) FROM template_rows", 49},
		// 附件2 task 21 names six provincial bodies.
		{"SELECT count(*) FROM task_departments WHERE task_no = 21", 6},
		{"SELECT len(departments) FROM tasks WHERE task_no = 21", 6},
		// task 43 names only 各市: no provincial department, an empty list rather than ['']
		{"SELECT len(departments) FROM tasks WHERE task_no = 43", 0},
		{"SELECT count(*) FROM departments WHERE list_contains(aliases, '省人社厅')", 1},
		{"SELECT count(*) FROM template_rows WHERE task_nos = [7, 8]", 1},
		{"SELECT count(*) FROM submissions", 0},
		{"SELECT count(*) FROM measures", 0},
	}
	for _, c := range counts {
		var got int
		if err := db.QueryRow(c.sql).Scan(&got); err != nil {
			t.Fatalf("%s: %v", c.sql, err)
		}
		if got != c.want {
			t.Errorf("%s = %d, want %d", c.sql, got, c.want)
		}
	}
	var setting string
	if err := db.QueryRow("SELECT current_setting('autoinstall_known_extensions')::VARCHAR").Scan(&setting); err != nil || setting != "false" {
		t.Errorf("autoinstall_known_extensions = %q, %v", setting, err)
	}
}

func TestReopenIsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.duckdb")
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		db, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var tasks, migrations int
		db.QueryRow("SELECT count(*) FROM tasks").Scan(&tasks)
		db.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&migrations)
		if tasks != 54 || migrations != 6 { // schema/0001_base.sql, 0002_derived.sql, 0003_seed_version.sql, 0004_roster_stamped.sql, 0005_rounds.sql, 0006_access_review.sql
			t.Errorf("open %d: tasks %d migrations %d", i, tasks, migrations)
		}
		db.Close()
	}
	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	var n int
	if err := ro.QueryRow("SELECT count(*) FROM tasks").Scan(&n); err != nil || n != 54 {
		t.Errorf("read-only open: %d, %v", n, err)
	}
}

// An unchanged database opens without reloading the seeds (no write); changed seeds are reloaded.
func TestOpenReloadsSeedsOnlyWhenChanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.duckdb")
	ctx := context.Background()
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A mark in a reference table survives a reopen only if the seeds were not reloaded.
	if _, err := db.ExecContext(ctx, `UPDATE tasks SET content = 'mark' WHERE task_no = 1`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	content := func(opt Options) string {
		db, err := Open(ctx, path, opt)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var c string
		if err := db.QueryRow(`SELECT content FROM tasks WHERE task_no = 1`).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if got := content(Options{}); got != "mark" {
		t.Errorf("unchanged seeds: task 1 = %q, want the mark kept (no reload)", got)
	}
	changed := seeds.MustLoad()
	changed.Fingerprint += "-edited"
	if got := content(Options{Seeds: changed}); got == "mark" || !strings.Contains(got, "高层次技术管理人才") {
		t.Errorf("changed seeds: task 1 = %q, want it reloaded from the seeds", got)
	}
	if got := content(Options{}); got == "mark" {
		t.Errorf("back to the embedded seeds: task 1 = %q", got)
	}
}

// A memory limit reaches DuckDB (which reports it in its own unit: 64MB is 61.0 MiB), and a value
// that is not a size is refused before DuckDB sees it.
func TestOpenMemoryLimit(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "m.duckdb"), Options{MemoryLimit: "64MB"})
	if err != nil {
		t.Fatal(err)
	}
	var got string
	if err := db.QueryRowContext(ctx, "SELECT current_setting('memory_limit')::VARCHAR").Scan(&got); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if got != "61.0 MiB" {
		t.Errorf("memory_limit %q, want 61.0 MiB", got)
	}
	for _, bad := range []string{"lots", "64MB'; DROP TABLE files; --", "-1GB", "64 XB"} {
		if _, err := Open(ctx, "", Options{MemoryLimit: bad}); err == nil || !strings.Contains(err.Error(), "memory limit") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
