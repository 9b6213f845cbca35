package sqlconsole

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duckdb/duckdb-go/v2"
)

// What a statement can leave in its DuckDB connection — a temp table, a temp macro, a variable, a
// prepared statement — is there for the rest of that connection (checked first, so the test knows the
// state was made) and gone on the fresh connection the next statement gets on the same instance. The
// statements run here without the guard (which refuses them all) to show the connection alone is enough.
func TestFreshConnectionForgets(t *testing.T) {
	ctx := context.Background()
	sb, err := openSandbox(ctx, newFixtureDB(t), "256MB", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	tests := []struct {
		name, make, use string
	}{
		{"temp table", "CREATE TEMP TABLE left_behind AS SELECT 42 AS x", "SELECT x FROM left_behind"},
		{"temp view", "CREATE TEMP VIEW measures AS SELECT 42 AS x", "SELECT x FROM measures"},
		{"temp macro", "CREATE TEMP MACRO left_behind() AS 42", "SELECT left_behind()"},
		{"variable", "SET VARIABLE left_behind = 42", "SELECT coalesce(getvariable('left_behind')::INT, error('no variable'))"},
		{"prepared statement", "PREPARE left_behind AS SELECT 42", "EXECUTE left_behind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := sb.fresh(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := sb.conn.ExecContext(ctx, tt.make); err != nil {
				t.Fatalf("%s: %v", tt.make, err)
			}
			var x any
			if err := sb.conn.QueryRowContext(ctx, tt.use).Scan(&x); err != nil {
				t.Fatalf("same connection, %s: %v (the state was not made)", tt.use, err)
			}
			if err := sb.fresh(ctx); err != nil {
				t.Fatalf("next connection refused: %v", err)
			}
			err := sb.conn.QueryRowContext(ctx, tt.use).Scan(&x)
			if tt.name == "temp view" {
				// The name is the analyst table again, not the temp view's one column.
				if err == nil {
					t.Fatalf("next connection: %s answered %v: the temp view survived", tt.use, x)
				}
				return
			}
			if err == nil {
				t.Fatalf("next connection: %s answered %v: the state survived", tt.use, x)
			}
		})
	}
}

// What would change every connection of the instance is refused by the locked configuration or, if
// made, makes the next connection's check fail, so the worker drops the instance.
func TestInstanceStateDropsInstance(t *testing.T) {
	ctx := context.Background()
	sb, err := openSandbox(ctx, newFixtureDB(t), "256MB", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	for _, q := range []string{"SET GLOBAL threads = 2", "SET threads = 2", "RESET lock_configuration", "SET GLOBAL enable_external_access = true"} {
		if _, err := sb.conn.ExecContext(ctx, q); err == nil {
			t.Errorf("%s: accepted on a locked instance", q)
		}
	}
	if _, err := sb.conn.ExecContext(ctx, "ATTACH ':memory:' AS left_behind"); err == nil {
		t.Fatal("ATTACH ':memory:' accepted on a read-only instance")
	}
	if err := sb.fresh(ctx); err != nil {
		t.Fatalf("fresh after refused changes: %v", err)
	}
	// No SELECT-only instance has been found to change its attached databases or functions; the check
	// is exercised by making the recorded state differ from the instance's.
	sb.instance += ";tampered"
	if err := sb.fresh(ctx); err == nil || !strings.Contains(err.Error(), "instance state changed") {
		t.Fatalf("fresh with a different instance state: %v, want instance state changed", err)
	}
}

// The per-statement check reads only the lock and external access (every other setting is read back
// at open and cannot change while the lock holds): an instance whose configuration is not locked, or
// whose external access is on, is refused on its next connection — here one opened without the
// sandbox's settings, its recorded instance state otherwise right.
func TestFreshRefusesUnlockedConfiguration(t *testing.T) {
	ctx := context.Background()
	path := newFixtureDB(t)
	for _, tt := range []struct{ name, set string }{
		{"unlocked", "SET enable_external_access = false"},
		{"external access on", "SET lock_configuration = true"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			connector, err := duckdb.NewConnector(path+"?access_mode=READ_ONLY", nil)
			if err != nil {
				t.Fatal(err)
			}
			sb := &sandbox{connector: connector, db: sql.OpenDB(connector)}
			defer sb.Close()
			sb.db.SetMaxOpenConns(1)
			sb.db.SetMaxIdleConns(0)
			if _, err := sb.db.ExecContext(ctx, tt.set); err != nil {
				t.Fatal(err)
			}
			var name string
			if err := sb.db.QueryRowContext(ctx, "SELECT string_agg(database_name || '/' || readonly::VARCHAR, ',' ORDER BY database_name) FROM duckdb_databases()").Scan(&name); err != nil {
				t.Fatal(err)
			}
			sb.instance = name
			err = sb.fresh(ctx)
			if err == nil || !strings.Contains(err.Error(), "configuration changed") {
				t.Fatalf("fresh on an instance %s: %v, want configuration changed", tt.name, err)
			}
		})
	}
}

// Through the console with a warm pool: each statement that would leave state is refused before
// anything runs, the next statements answer, and a snapshot replaced by rename is read anew.
func TestWarmConsole(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := newFixtureDB(t)
	snap := filepath.Join(dir, "snapshot.duckdb")
	copyFile(t, path, snap)
	c := newConsole(t, Options{DB: snap, Workers: 1, Warm: true})
	if err := c.Prewarm(ctx); err != nil {
		t.Fatal(err)
	}
	count := func() int64 {
		t.Helper()
		res, err := c.Query(ctx, "SELECT count(*) FROM all_measures", 0)
		if err != nil {
			t.Fatal(err)
		}
		return res.Rows[0][0].(int64)
	}
	before := count()
	if before == 0 {
		t.Fatal("fixture has no measure rows")
	}
	for _, q := range []string{
		"CREATE TEMP TABLE t AS SELECT 1", "CREATE TEMP MACRO m() AS 1", "SET VARIABLE v = 1",
		"PREPARE p AS SELECT 1", "ATTACH ':memory:' AS x", "SET threads = 1",
	} {
		if _, err := c.Query(ctx, q, 0); AsError(err) == nil || AsError(err).Kind != KindRefused {
			t.Errorf("%s: %v, want refused", q, err)
		}
	}
	if got := count(); got != before {
		t.Fatalf("count changed to %d without a new snapshot", got)
	}
	// A new snapshot: the same database less one submission's rows, renamed over the old file as
	// queries.DB.Snapshot does.
	next := filepath.Join(dir, ".next.duckdb")
	copyFile(t, path, next)
	db, err := sql.Open("duckdb", next)
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.Exec("DELETE FROM measure_rows WHERE rowid IN (SELECT min(rowid) FROM measure_rows)")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := r.RowsAffected(); n != 1 {
		t.Fatalf("deleted %d rows", n)
	}
	db.Close()
	if err := os.Rename(next, snap); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != before-1 {
		t.Fatalf("after the snapshot was replaced: %d rows, want %d", got, before-1)
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
