package queries_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lnvedash/queries"
)

// A snapshot is a complete database of its own (tables and views), replaces the previous one atomically,
// leaves no temporary file, and is readable by another process while the source stays open read-write.
func TestSnapshot(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := queries.Open(ctx, filepath.Join(dir, "lnvedash.duckdb"), queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	snap := queries.SnapshotPath(db.Path)
	if want := filepath.Join(dir, "snapshot", "lnvedash.duckdb"); snap != want {
		t.Fatalf("SnapshotPath = %s, want %s", snap, want)
	}
	count := func(path, q string) int {
		t.Helper()
		r, err := sql.Open("duckdb", path+"?access_mode=READ_ONLY")
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var n int
		if err := r.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	// A temporary copy left by a crash an hour ago is cleaned up by the next snapshot.
	if err := os.MkdirAll(filepath.Dir(snap), 0o755); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(filepath.Dir(snap), ".lnvedash.duckdb.tmp-dead")
	if err := os.WriteFile(stale, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		setup string
		query string
		want  int
	}{
		{"seeds", "", "SELECT count(*) FROM tasks", 54},
		{"views work", "", "SELECT count(*) FROM coverage_by_task", 54},
		{"a later change reaches the next snapshot", `INSERT INTO ingest_runs VALUES (7, now(), now(), 'cli', 0)`,
			"SELECT count(*) FROM ingest_runs", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != "" {
				if _, err := db.ExecContext(ctx, tt.setup); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Snapshot(ctx, snap); err != nil {
				t.Fatal(err)
			}
			if got := count(snap, tt.query); got != tt.want {
				t.Errorf("%s = %d, want %d", tt.query, got, tt.want)
			}
			entries, _ := os.ReadDir(filepath.Dir(snap))
			for _, e := range entries {
				if e.Name() != filepath.Base(snap) {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
	// The source is still attached only once: no snapshot alias survives.
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_databases() WHERE database_name LIKE 'snapshot_%'").Scan(&n); err != nil || n != 0 {
		t.Errorf("snapshot aliases left attached: %d (%v)", n, err)
	}
	mem, err := queries.Open(ctx, "", queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	if err := mem.Snapshot(ctx, filepath.Join(dir, "x.duckdb")); err == nil || !strings.Contains(err.Error(), "in-memory") {
		t.Errorf("in-memory snapshot: %v", err)
	}
}

// Readers of the snapshot see who holds a link and the audit log, never a link's code hash.
func TestSnapshotBlanksLinkHashes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := queries.Open(ctx, filepath.Join(dir, "lnvedash.duckdb"), queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`INSERT INTO access_links VALUES (1, 'unit', '大连市', 'abc123', TIMESTAMP '2021-09-01 00:00:00', TIMESTAMP '2021-12-01 00:00:00', NULL, 'cli')`,
		`INSERT INTO audit_log VALUES (1, TIMESTAMP '2021-09-01 00:00:00', 'cli', NULL, 'link_issued', '大连市', NULL, 1, '链接#1')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	snap := queries.SnapshotPath(db.Path)
	if err := db.Snapshot(ctx, snap); err != nil {
		t.Fatal(err)
	}
	r, err := sql.Open("duckdb", snap+"?access_mode=READ_ONLY")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var subject, hash, action string
	if err := r.QueryRow(`SELECT subject, code_hash, (SELECT action FROM audit_log) FROM access_links`).Scan(&subject, &hash, &action); err != nil {
		t.Fatal(err)
	}
	if subject != "大连市" || hash != "" || action != "link_issued" {
		t.Errorf("snapshot: subject %q hash %q action %q, want 大连市, blank, link_issued", subject, hash, action)
	}
	var live string
	db.QueryRowContext(ctx, `SELECT code_hash FROM access_links`).Scan(&live)
	if live != "abc123" {
		t.Errorf("the live database lost the hash: %q", live)
	}
}
