package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"lnvedash/queries"
	"lnvedash/sqlconsole"
	"lnvedash/sqlconsole/sqltest"
)

// The test binary doubles as `lnvedash sql-worker`: the console re-executes os.Executable() sql-worker,
// and here that goes through the real subcommand table.
func init() {
	if sqlconsole.IsWorker() {
		if err := Run(context.Background(), []string{sqlconsole.WorkerArg}, os.Stdin, os.Stdout, os.Stderr); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
}

func sqlRun(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := Run(context.Background(), append([]string{"sql"}, args...), strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestSQLCommandFormats(t *testing.T) {
	dir := t.TempDir()
	db := sqltest.WriteFixtureDB(t, dir)
	const q = `SELECT submitter AS "单位", count(*) AS "举措条数" FROM measures GROUP BY 1 ORDER BY 1`
	tests := []struct {
		name  string
		args  []string
		stdin string
		check func(t *testing.T, stdout string, file string)
	}{
		{"table", []string{"--db", db, q}, "", func(t *testing.T, out, _ string) {
			for _, want := range []string{"单位", "举措条数", "大连职业技术学院", "(3 行"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		}},
		{"sql on stdin", []string{"--db", db}, sqltest.ExampleSQL, func(t *testing.T, out, _ string) {
			if !strings.Contains(out, sqltest.ExampleAnswer) || !strings.Contains(out, "(1 行") {
				t.Errorf("output:\n%s", out)
			}
		}},
		{"csv", []string{"--db", db, "--format", "csv", q}, "", func(t *testing.T, out, _ string) {
			if !strings.HasPrefix(out, "\uFEFF") {
				t.Fatal("no BOM")
			}
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
			if err != nil || len(recs) != 4 || !reflect.DeepEqual(recs[1], []string{"大连市", "1"}) {
				t.Errorf("csv %v %v", recs, err)
			}
		}},
		{"json", []string{"--db", db, "--format", "json", q}, "", func(t *testing.T, out, _ string) {
			var r struct {
				Columns []string `json:"columns"`
				Rows    [][]any  `json:"rows"`
			}
			if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Rows) != 3 || r.Columns[1] != "举措条数" {
				t.Errorf("json %s %v", out, err)
			}
		}},
		{"xlsx to file", []string{"--db", db, "--format", "xlsx", "-o", "OUT.xlsx", q}, "", func(t *testing.T, _, file string) {
			f, err := excelize.OpenFile(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, _ := f.GetRows("查询结果")
			if len(rows) != 4 || rows[0][0] != "单位" || rows[1][1] != "1" {
				t.Errorf("rows %v", rows)
			}
			if typ, _ := f.GetCellType("查询结果", "B2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("B2 type %v", typ)
			}
		}},
		{"parquet to file", []string{"--db", db, "--format", "parquet", "-o", "OUT.parquet", q}, "", func(t *testing.T, _, file string) {
			rdb, err := sql.Open("duckdb", "")
			if err != nil {
				t.Fatal(err)
			}
			defer rdb.Close()
			var n int
			if err := rdb.QueryRow(`SELECT sum("举措条数") FROM read_parquet(?)`, file).Scan(&n); err != nil || n != 4 {
				t.Errorf("parquet sum %d %v", n, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := ""
			args := append([]string(nil), tt.args...)
			for i, a := range args {
				if strings.HasPrefix(a, "OUT.") {
					file = filepath.Join(t.TempDir(), "result"+strings.TrimPrefix(a, "OUT"))
					args[i] = file
				}
			}
			out, errs, err := sqlRun(t, tt.stdin, args...)
			if err != nil {
				t.Fatalf("%v\n%s", err, errs)
			}
			tt.check(t, out, file)
		})
	}
}

// The battery through the CLI door.
func TestSQLCommandHostile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	db := sqltest.WriteFixtureDB(t, dir)
	sum, before := sqltest.SHA256(t, db), sqltest.Listing(t, dir)
	for _, tc := range sqltest.Hostile {
		t.Run(tc.Name, func(t *testing.T) {
			out, errs, err := sqlRun(t, "", "--db", db, "--timeout", "2s", "--max-rows", "1000", "--format", "csv", tc.SQL)
			switch {
			case err == nil && tc.Want == sqltest.Refused:
				t.Fatalf("ran:\n%.300s", out)
			case tc.Want == sqltest.Refused && !strings.HasPrefix(err.Error(), "已拒绝："):
				// The guard's refusal itself, not whatever DuckDB says about a statement it let through.
				t.Fatalf("error %q, want the guard's refusal (已拒绝：…)", err)
			case err == nil && !strings.Contains(errs, "已截断"):
				t.Fatalf("unbounded: %d bytes", len(out))
			case err != nil && (strings.Contains(err.Error(), dir) || strings.Contains(err.Error(), "/tmp/")):
				t.Fatalf("message leaks a path: %v", err)
			}
		})
	}
	if got := sqltest.SHA256(t, db); got != sum {
		t.Error("database file changed")
	}
	if after := sqltest.Listing(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("data dir changed: %v → %v", before, after)
	}
	if l := sqltest.Listing(t, tmp); len(l) != 0 {
		t.Errorf("temp files: %v", l)
	}
	sqltest.NoEvilFiles(t, dir, tmp)
}

func TestSQLCommandUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no sql", []string{"--db", "x.duckdb"}, "请给出 SQL"},
		{"bad format", []string{"--format", "pdf", "SELECT 1"}, "不支持的格式"},
		{"missing database", []string{"--db", filepath.Join(os.TempDir(), "lnvedash-missing", "x.duckdb"), "SELECT 1"}, "不存在"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := sqlRun(t, "", tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "lnvedash-missing") {
				t.Errorf("path in message: %v", err)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the server goroutine writing and the test reading. With watch
// and found set, the first submatch of watch is sent on found (buffered) once the output holds it: the
// test's signal that the server is listening.
type syncBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	watch *regexp.Regexp
	found chan string
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.b.Write(p)
	if s.found != nil {
		if m := s.watch.FindStringSubmatch(s.b.String()); m != nil {
			s.found <- m[1]
			s.found = nil
		}
	}
	return n, err
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// While `lnvedash serve` holds the database (the real command, in-process: the lock is this process's),
// `lnvedash sql --db` reads the snapshot the server wrote at start, and `--server` goes through the API.
func TestSQLWhileServing(t *testing.T) {
	dir := t.TempDir()
	db := sqltest.WriteFixtureDB(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	listening := make(chan string, 1)
	serveErr := syncBuffer{watch: regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`), found: listening}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--analyst-token", "tok"}, strings.NewReader(""), io.Discard, &serveErr)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	var url string
	select {
	case addr := <-listening:
		url = "http://" + addr
	case err := <-done:
		done <- err
		t.Fatalf("server did not start (%v):\n%s", err, serveErr.String())
	}
	if _, err := os.Stat(queries.SnapshotPath(db)); err != nil {
		t.Fatalf("no snapshot: %v", err)
	}
	tests := []struct {
		name    string
		args    []string
		wantOut string
		wantErr string
		note    string
		suffix  string
	}{
		{"locked db reads the snapshot", []string{"--db", db, sqltest.ExampleSQL}, sqltest.ExampleAnswer, "", "快照", ""},
		{"server, table", []string{"--server", url, "--token", "tok", sqltest.ExampleSQL}, sqltest.ExampleAnswer, "", "", ""},
		{"server, csv", []string{"--server", url, "--token", "tok", "--format", "csv", sqltest.ExampleSQL}, "\uFEFFsubmitter\r\n" + sqltest.ExampleAnswer, "", "", ""},
		{"server, json ends in a newline", []string{"--server", url, "--token", "tok", "--format", "json", sqltest.ExampleSQL}, `"columns"`, "", "", "}\n"},
		{"locked db, json ends in a newline", []string{"--db", db, "--format", "json", sqltest.ExampleSQL}, `"columns"`, "", "快照", "}\n"},
		{"unknown table: the refusal names where the CLI finds the schema", []string{"--db", db, "SELECT * FROM no_such_table"}, "", "docs/SCHEMA.md", "", ""},
		{"server, wrong token", []string{"--server", url, "--token", "no", "SELECT 1"}, "", "口令", "", ""},
		{"server, refused", []string{"--server", url, "--token", "tok", "SELECT * FROM read_text('/etc/passwd')"}, "", "已拒绝", "", ""},
		{"server, multi statement", []string{"--server", url, "--token", "tok", "SELECT 1; DROP TABLE tasks"}, "", "已拒绝", "", ""},
		{"locked db, refused", []string{"--db", db, "COPY tasks TO '/tmp/lnvedash-evil.csv'"}, "", "已拒绝", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, err := sqlRun(t, "", tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, errs)
			}
			if !strings.Contains(out, tt.wantOut) || !strings.Contains(errs, tt.note) || !strings.HasSuffix(out, tt.suffix) {
				t.Errorf("out %q, stderr %q", out, errs)
			}
		})
	}
	sqltest.NoEvilFiles(t, dir)
}

// The server's console reads the snapshot, and refresh (the dashboard's AfterIngest) brings new data in.
func TestSQLSnapshotRefresh(t *testing.T) {
	ctx := context.Background()
	db, err := queries.Open(ctx, sqltest.WriteFixtureDB(t, t.TempDir()), queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := sqlStartConsole(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	count := func() int64 {
		t.Helper()
		res, err := s.runner().Query(ctx, "SELECT count(*) FROM submissions", 0)
		if err != nil {
			t.Fatal(err)
		}
		return res.Rows[0][0].(int64)
	}
	tests := []struct {
		name    string
		change  string
		refresh bool
		want    int64
	}{
		{"first snapshot", "", false, 3},
		{"change not yet visible", `INSERT INTO files (submission_id, run_id, file_name, sha256, size_bytes, ingested_at, rejected, reason)
			VALUES (4, 1, 'x.xls', 'a4', 1, now(), true, 'legacy_xls: 旧格式')`, false, 3},
		{"visible after refresh", "", true, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.change != "" {
				if _, err := db.ExecContext(ctx, tt.change); err != nil {
					t.Fatal(err)
				}
				if err := db.Refresh(ctx); err != nil { // as ingest does before its COMMIT
					t.Fatal(err)
				}
			}
			if tt.refresh {
				if err := s.refresh(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if got := count(); got != tt.want {
				t.Errorf("submissions = %d, want %d", got, tt.want)
			}
		})
	}
}

// One rule for formula-like text in every CSV lnvedash writes (package csvcell): the console's CSV
// defuses a text cell as the exports do, and leaves numbers alone.
func TestSQLCommandCSVDefusesFormulas(t *testing.T) {
	db := sqltest.WriteFixtureDB(t, t.TempDir())
	out, errs, err := sqlRun(t, "", "--db", db, "--format", "csv", `SELECT '=1+1' AS f, '@SUM(A1)' AS a, -5 AS n, '大连市' AS s`)
	if err != nil {
		t.Fatalf("%v\n%s", err, errs)
	}
	if want := "\uFEFFf,a,n,s\r\n'=1+1,'@SUM(A1),-5,大连市\r\n"; out != want {
		t.Errorf("csv %q, want %q", out, want)
	}
}
