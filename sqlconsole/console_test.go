package sqlconsole

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"lnvedash/queries"
	"lnvedash/sqlconsole/sqltest"
)

func TestQueryResult(t *testing.T) {
	c := newConsole(t, Options{DB: newFixtureDB(t)})
	ctx := context.Background()
	tests := []struct {
		name      string
		sql       string
		maxRows   int
		columns   []string
		types     []string
		rows      [][]any
		truncated bool
	}{
		{name: "brief example", sql: sqltest.ExampleSQL, columns: []string{"submitter"}, types: []string{"VARCHAR"},
			rows: [][]any{{sqltest.ExampleAnswer}}},
		{name: "value kinds", sql: "SELECT 1::INTEGER AS i, 9007199254740993::BIGINT AS big, 2.5::DECIMAL(3,1) AS d, 0.25::DOUBLE AS f, " +
			"true AS b, NULL AS n, DATE '2022-06-30' AS day, TIMESTAMP '2022-03-01 10:00:00' AS ts, [1,2] AS l, {'k': 'v'} AS s, '辽宁' AS zh",
			columns: []string{"i", "big", "d", "f", "b", "n", "day", "ts", "l", "s", "zh"},
			types:   []string{"INTEGER", "BIGINT", "DECIMAL(3,1)", "DOUBLE", "BOOLEAN", "INTEGER", "DATE", "TIMESTAMP", "INTEGER[]", `STRUCT("k" VARCHAR)`, "VARCHAR"},
			rows:    [][]any{{int64(1), int64(9007199254740993), 2.5, 0.25, true, nil, "2022-06-30", "2022-03-01 10:00:00", []any{int64(1), int64(2)}, map[string]any{"k": "v"}, "辽宁"}}},
		// Issue 16: types that came back wrong (offset dropped, year 294247, raw bytes, an error).
		{name: "timetz infinity uuid variant", sql: "SELECT TIMETZ '12:34:56+05:30' AS tz, 'infinity'::TIMESTAMP AS inf, '-infinity'::TIMESTAMP AS ninf, " +
			"'infinity'::DATE AS dinf, '550e8400-e29b-41d4-a716-446655440000'::UUID AS u, ['550e8400-e29b-41d4-a716-446655440000'::UUID] AS ul, 42::VARIANT AS v",
			columns: []string{"tz", "inf", "ninf", "dinf", "u", "ul", "v"},
			types:   []string{"TIMETZ", "TIMESTAMP", "TIMESTAMP", "DATE", "UUID", "UUID[]", "VARIANT"},
			rows:    [][]any{{"12:34:56+05:30", "infinity", "-infinity", "infinity", "550e8400-e29b-41d4-a716-446655440000", "[550e8400-e29b-41d4-a716-446655440000]", "42"}}},
		{name: "row cap marks truncation", sql: "SELECT task_no FROM tasks ORDER BY task_no", maxRows: 2,
			columns: []string{"task_no"}, types: []string{"INTEGER"}, rows: [][]any{{int64(1)}, {int64(2)}}, truncated: true},
		{name: "exactly the cap is not truncated", sql: "SELECT * FROM range(3) t(x)", maxRows: 3,
			columns: []string{"x"}, types: []string{"BIGINT"}, rows: [][]any{{int64(0)}, {int64(1)}, {int64(2)}}},
		{name: "trailing semicolon and comment", sql: "SELECT 42 AS answer; -- done", columns: []string{"answer"},
			types: []string{"INTEGER"}, rows: [][]any{{int64(42)}}},
		{name: "empty result", sql: "SELECT task_no FROM tasks WHERE false", columns: []string{"task_no"}, types: []string{"INTEGER"}, rows: [][]any{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Query(ctx, tt.sql, tt.maxRows)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.Columns, tt.columns) || !reflect.DeepEqual(res.Types, tt.types) {
				t.Errorf("columns %v %v, want %v %v", res.Columns, res.Types, tt.columns, tt.types)
			}
			if !reflect.DeepEqual(res.Rows, tt.rows) {
				t.Errorf("rows %#v, want %#v", res.Rows, tt.rows)
			}
			if res.Truncated != tt.truncated || res.Source != "database" {
				t.Errorf("truncated %v source %q", res.Truncated, res.Source)
			}
		})
	}
}

// The battery through the package door: every statement refused or bounded, nothing written anywhere,
// the database byte-identical, and the console still answering.
func TestHostileBattery(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // the workers inherit it: any temp file would show up here
	dir := t.TempDir()
	dbPath := sqltest.WriteFixtureDB(t, dir)
	sum := sqltest.SHA256(t, dbPath)
	before, tmpBefore := sqltest.Listing(t, dir), sqltest.Listing(t, tmp)
	c := newConsole(t, Options{DB: dbPath, Timeout: 2 * time.Second, Grace: 2 * time.Second, MaxRows: 1000})
	for _, tc := range sqltest.Hostile {
		t.Run(tc.Name, func(t *testing.T) {
			res, err := c.Query(context.Background(), tc.SQL, 0)
			checkOutcome(t, tc, res, err)
		})
	}
	if res, err := c.Query(context.Background(), sqltest.ExampleSQL, 0); err != nil || len(res.Rows) != 1 {
		t.Fatalf("console no longer answers: %v", err)
	}
	c.Close()
	if got := sqltest.SHA256(t, dbPath); got != sum {
		t.Error("database file changed")
	}
	if after := sqltest.Listing(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("data dir changed: %v → %v", before, after)
	}
	if after := sqltest.Listing(t, tmp); !reflect.DeepEqual(after, tmpBefore) {
		t.Errorf("temp dir changed: %v → %v", tmpBefore, after)
	}
	sqltest.NoEvilFiles(t, dir, tmp)
}

func checkOutcome(t *testing.T, tc sqltest.Case, res *Result, err error) {
	t.Helper()
	switch tc.Want {
	case sqltest.Refused:
		if err == nil {
			t.Fatalf("ran: %v", res.Rows)
		}
		// The guard's own refusal, not any error: a guard regression whose statement DuckDB then
		// rejects must not pass as "refused".
		if e := AsError(err); e == nil || e.Kind != KindRefused || !strings.HasPrefix(e.Message, "已拒绝：") {
			t.Fatalf("error %v (%T), want the guard's refusal (kind %q, 已拒绝：…)", err, err, KindRefused)
		}
	case sqltest.Bounded:
		if err == nil && !res.Truncated {
			t.Fatalf("unbounded result: %d rows", len(res.Rows))
		}
	}
	if err != nil && strings.Contains(err.Error(), "/tmp/") {
		t.Errorf("message leaks a path: %v", err)
	}
	t.Logf("%v", err)
}

// A long cross join is stopped by DuckDB's interrupt at the statement timeout, inside the worker (not
// by the console killing it at timeout + grace), and the same worker answers the next query.
func TestTimeoutStopsWork(t *testing.T) {
	c := newConsole(t, Options{DB: newFixtureDB(t), Workers: 1, Timeout: time.Second, Grace: 20 * time.Second})
	if _, err := c.Query(context.Background(), "SELECT 1", 0); err != nil {
		t.Fatal(err)
	}
	pid := idlePID(t, c)
	_, err := c.Query(context.Background(), "SELECT sum(a.range * b.range) FROM range(1000000) a CROSS JOIN range(1000000) b", 0)
	// The worker's answer ("…已中止"); the console's kill would say "…已强制终止" and only after 21 s.
	if e := AsError(err); e == nil || e.Kind != KindTimeout || !strings.Contains(e.Message, "已中止") || strings.Contains(e.Message, "强制终止") {
		t.Fatalf("err = %v, want the worker's own timeout (…已中止)", err)
	}
	if _, err := c.Query(context.Background(), "SELECT 1", 0); err != nil {
		t.Fatal(err)
	}
	if got := idlePID(t, c); got != pid {
		t.Errorf("the worker was replaced (pid %d → %d): the statement was not interrupted", pid, got)
	}
}

func idlePID(t *testing.T, c *Console) int {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.idle) != 1 {
		t.Fatalf("%d idle workers, want 1", len(c.idle))
	}
	return c.idle[0].cmd.Process.Pid
}

// sentWriter signals once a query line has been written to the worker.
type sentWriter struct {
	io.WriteCloser
	sent chan struct{}
	once sync.Once
}

func (w *sentWriter) Write(b []byte) (int, error) {
	n, err := w.WriteCloser.Write(b)
	w.once.Do(func() { close(w.sent) })
	return n, err
}

// A statement DuckDB cannot interrupt (one huge scalar call) gets its worker killed at timeout + grace.
func TestUninterruptibleWorkerIsKilled(t *testing.T) {
	c := newConsole(t, Options{DB: newFixtureDB(t), Workers: 1, Timeout: time.Second, Grace: time.Second})
	if _, err := c.Query(context.Background(), "SELECT 1", 0); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	w := c.idle[0]
	c.mu.Unlock()
	_, err := c.Query(context.Background(), "SELECT length(repeat('x', 2000000000)) AS n", 0)
	// The console's own limit (timeout + grace), not DuckDB's interrupt nor any other failure.
	if e := AsError(err); e == nil || e.Kind != KindTimeout || !strings.Contains(e.Message, "已强制终止") {
		t.Fatalf("err = %v, want the console's timeout that kills the worker (…已强制终止)", err)
	}
	// The worker is killed and reaped before the error returns: exited is already closed.
	select {
	case <-w.exited:
	default:
		t.Error("the stuck worker is still running after its query answered")
	}
	if _, err := c.Query(context.Background(), "SELECT 1", 0); err != nil {
		t.Fatalf("next query: %v", err)
	}
}

// A worker killed in the middle of a query fails that query with a clear message; the next one works.
func TestWorkerDeathRespawns(t *testing.T) {
	c := newConsole(t, Options{DB: newFixtureDB(t), Workers: 1, Timeout: 20 * time.Second})
	if _, err := c.Query(context.Background(), "SELECT 1", 0); err != nil {
		t.Fatal(err)
	}
	// The query is in the worker's hands once its line is written: kill it then, not after a guess.
	c.mu.Lock()
	w := c.idle[0]
	pid := w.cmd.Process.Pid
	sw := &sentWriter{WriteCloser: w.stdin, sent: make(chan struct{})}
	w.stdin = sw
	c.mu.Unlock()
	var wg sync.WaitGroup
	var err error
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, err = c.Query(context.Background(), "SELECT sum(a.range * b.range) FROM range(1000000) a CROSS JOIN range(1000000) b", 0)
	}()
	<-sw.sent
	p, _ := os.FindProcess(pid)
	if kerr := p.Kill(); kerr != nil {
		t.Fatal(kerr)
	}
	wg.Wait()
	if e := AsError(err); e == nil || e.Kind != KindWorker {
		t.Fatalf("err = %v, want a worker error", err)
	}
	res, err := c.Query(context.Background(), sqltest.ExampleSQL, 0)
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("after respawn: %v", err)
	}
}

// The sandbox's settings are what we asked for, read back from DuckDB.
func TestSandboxSettings(t *testing.T) {
	ctx := context.Background()
	sb, err := openSandbox(ctx, newFixtureDB(t), "256MB", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	tests := []struct{ name, setting, want string }{
		{"external access off", "enable_external_access", "false"},
		{"configuration locked", "lock_configuration", "true"},
		{"no autoload", "autoload_known_extensions", "false"},
		{"no autoinstall", "autoinstall_known_extensions", "false"},
		{"no spilling", "temp_directory", ""},
		{"threads", "threads", "1"},
		{"memory", "max_memory", "244.1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			if err := sb.conn.QueryRowContext(ctx, "SELECT current_setting(?)::VARCHAR", tt.setting).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("%s = %q, want %q", tt.setting, got, tt.want)
			}
		})
	}
	if _, err := sb.conn.ExecContext(ctx, "SET enable_external_access = true"); err == nil {
		t.Error("configuration is not locked")
	}
	if _, err := sb.conn.ExecContext(ctx, "CREATE TABLE x (a INT)"); err == nil {
		t.Error("database is writable")
	}
}

// A database the sandbox cannot set up is not used.
func TestSandboxFailsClosed(t *testing.T) {
	if _, err := openSandbox(context.Background(), newFixtureDB(t), "not-a-size", 1); err == nil {
		t.Fatal("opened with an invalid memory limit")
	}
	if _, err := openSandbox(context.Background(), filepath.Join(t.TempDir(), "missing.duckdb"), "256MB", 1); err == nil {
		t.Fatal("opened a missing file")
	}
	if _, err := New(Options{DB: "x.duckdb", MaxMemory: "1GB'; SET x='1"}); err == nil {
		t.Fatal("accepted a memory limit that is not a size")
	}
}

// While another process holds the database (here: this test process, read-write), the worker reads the
// snapshot; without one it says so.
func TestSnapshotFallback(t *testing.T) {
	dir := t.TempDir()
	dbPath := sqltest.WriteFixtureDB(t, dir)
	db, err := queries.Open(context.Background(), dbPath, queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	snap := queries.SnapshotPath(dbPath)
	c := newConsole(t, Options{DB: dbPath, Fallback: snap})
	_, err = c.Query(context.Background(), "SELECT 1", 0)
	if e := AsError(err); e == nil || e.Kind != KindNoData || strings.Contains(e.Message, dir) {
		t.Fatalf("without a snapshot: %v", err)
	}
	if err := db.Snapshot(context.Background(), snap); err != nil {
		t.Fatal(err)
	}
	res, err := c.Query(context.Background(), sqltest.ExampleSQL, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Source != "snapshot" || res.SnapshotTime.IsZero() || len(res.Rows) != 1 || res.Rows[0][0] != sqltest.ExampleAnswer {
		t.Fatalf("got %+v", res)
	}
}

func TestSchema(t *testing.T) {
	c := newConsole(t, Options{DB: newFixtureDB(t)})
	tables, err := c.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Table{}
	for _, tb := range tables {
		byName[tb.Name] = tb
	}
	for _, name := range []string{"tasks", "targets", "departments", "task_departments", "submitters", "submissions",
		"measures", "all_measures", "commitments", "findings", "coverage_by_task", "coverage_by_submitter",
		"coverage_by_city", "coverage_by_department", "target_progress"} {
		tb, ok := byName[name]
		if !ok {
			t.Errorf("%s missing from the schema browser", name)
			continue
		}
		if tb.Description == "" || len(tb.Columns) == 0 {
			t.Errorf("%s: no description or columns", name)
		}
	}
	for _, hidden := range []string{"files", "measure_rows", "ingest_runs", "schema_migrations"} {
		if _, ok := byName[hidden]; ok {
			t.Errorf("%s is exposed", hidden)
		}
	}
	var found bool
	for _, col := range byName["measures"].Columns {
		if col.Name == "due_date" && col.Type == "DATE" && col.Description != "" {
			found = true
		}
	}
	if !found {
		t.Error("measures.due_date not described")
	}
	if len(Examples()) == 0 {
		t.Error("no examples")
	}
	for _, ex := range Examples() {
		if _, err := c.Query(context.Background(), ex.SQL, 0); err != nil {
			t.Errorf("example %q: %v", ex.Title, err)
		}
	}
}

// Parquet comes from the separate DuckDB: read it back and compare.
func TestParquet(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	c := newConsole(t, Options{DB: newFixtureDB(t)})
	ctx := context.Background()
	res, err := c.Query(ctx, `SELECT task_no AS "任务", content, departments, expects_cities, 9007199254740993::BIGINT AS big, DATE '2022-06-30' AS d, 1.5 AS x FROM tasks ORDER BY task_no LIMIT 3`, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Parquet(ctx, res)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("PAR1")) || !bytes.HasSuffix(b, []byte("PAR1")) {
		t.Fatalf("not a parquet file (%d bytes)", len(b))
	}
	if l := sqltest.Listing(t, tmp); len(l) != 0 {
		t.Errorf("temp files left: %v", l)
	}
	file := filepath.Join(t.TempDir(), "r.parquet")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n, big int64
	var first, deps, typ string
	if err := db.QueryRow(`SELECT count(*), min("任务")::VARCHAR, min(departments), max(big), typeof(any_value(d)) FROM read_parquet(?)`, file).Scan(&n, &first, &deps, &big, &typ); err != nil {
		t.Fatal(err)
	}
	if n != 3 || first != "1" || !strings.HasPrefix(deps, `["`) || big != 9007199254740993 || typ != "DATE" {
		t.Errorf("read back %d rows, first %s, departments %s, big %d, date type %s", n, first, deps, big, typ)
	}
}

// Workers get no credentials from the server's environment.
func TestWorkerEnviron(t *testing.T) {
	t.Setenv("LNVEDASH_ADMIN_TOKEN", "admin")
	t.Setenv("LNVEDASH_ANALYST_TOKEN", "analyst")
	t.Setenv("SOME_API_KEY", "k")
	t.Setenv("LNVEDASH_HARMLESS", "yes")
	env := strings.Join(workerEnviron(), "\n")
	tests := []struct {
		name string
		kv   string
		want bool
	}{
		{"admin token", "LNVEDASH_ADMIN_TOKEN=admin", false},
		{"analyst token", "LNVEDASH_ANALYST_TOKEN=analyst", false},
		{"api key", "SOME_API_KEY=k", false},
		{"other variables", "LNVEDASH_HARMLESS=yes", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Contains(env, tt.kv); got != tt.want {
				t.Errorf("%s present = %v, want %v", tt.kv, got, tt.want)
			}
		})
	}
}

// More queries than workers: they queue for a free worker and all answer.
func TestConcurrentQueries(t *testing.T) {
	c := newConsole(t, Options{DB: newFixtureDB(t), Workers: 2})
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.Query(context.Background(), sqltest.ExampleSQL, 0)
			if err == nil && (len(res.Rows) != 1 || res.Rows[0][0] != sqltest.ExampleAnswer) {
				err = &Error{Kind: KindSQL, Message: "wrong answer"}
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	c.mu.Lock()
	n := len(c.idle)
	c.mu.Unlock()
	if n > 2 {
		t.Errorf("%d idle workers, want at most 2", n)
	}
}

// The workers share the machine's cores: together they never ask DuckDB for more threads than there
// are cores (each at least one), and a caller's own choice is kept.
func TestThreadsShareCores(t *testing.T) {
	n := runtime.NumCPU()
	for _, tt := range []struct{ workers, threads, want int }{
		{1, 0, n},
		{n, 0, 1},
		{2 * n, 0, 1},
		{2, 3, 3},
	} {
		o := Options{DB: "x.duckdb", Workers: tt.workers, Threads: tt.threads}
		if err := o.defaults(); err != nil {
			t.Fatal(err)
		}
		if o.Threads != tt.want {
			t.Errorf("%d workers, threads %d: got %d threads, want %d", tt.workers, tt.threads, o.Threads, tt.want)
		}
		if tt.threads == 0 && o.Workers*o.Threads > max(n, o.Workers) {
			t.Errorf("%d workers × %d threads on %d cores", o.Workers, o.Threads, n)
		}
	}
}
