package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lnvedash/dashboard"
	"lnvedash/queries"
	"lnvedash/sqlconsole"
	"lnvedash/sqlconsole/sqltest"
)

// init lets this test binary serve as the SQL console's worker process (the console re-executes
// os.Executable() sql-worker). It is an init, not a TestMain, because package dashboard has its own
// TestMain (sample_test.go), which must not run in a worker.
func init() {
	if sqlconsole.IsWorker() {
		if err := sqlconsole.ServeWorker(context.Background(), os.Stdin, os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
}

type sqlEnv struct {
	srv     *dashboard.Server
	dbPath  string
	dataDir string
	tmp     string
}

// newSQLServer is the real wiring of `lnvedash serve`: the dashboard's database open read-write, its
// snapshot, and a console with real worker processes reading the snapshot.
func newSQLServer(t *testing.T, token string, timeout time.Duration) *sqlEnv {
	t.Helper()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	dbPath := sqltest.WriteFixtureDB(t, dir)
	db, err := queries.Open(context.Background(), dbPath, queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	snap := queries.SnapshotPath(dbPath)
	if err := db.Snapshot(context.Background(), snap); err != nil {
		t.Fatal(err)
	}
	c, err := sqlconsole.New(sqlconsole.Options{DB: snap, Timeout: timeout, Grace: 2 * time.Second, MaxRows: 1000,
		Stderr: io.Discard, Hide: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	srv, err := dashboard.New(dashboard.Config{DB: db, DataDir: dir, AnalystToken: token, SQL: c,
		AfterIngest: func(ctx context.Context) error { return db.Snapshot(ctx, snap) },
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return &sqlEnv{srv: srv, dbPath: dbPath, dataDir: dir, tmp: tmp}
}

func (e *sqlEnv) do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := e.srv.App().Test(req, 30000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func (e *sqlEnv) post(t *testing.T, body any, token string) (*http.Response, []byte) {
	t.Helper()
	b, _ := json.Marshal(body)
	req := httptest.NewRequest("POST", "/api/sql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.do(t, req)
}

func (e *sqlEnv) healthy(t *testing.T) {
	t.Helper()
	resp, _ := e.do(t, httptest.NewRequest("GET", "/healthz", nil))
	if resp.StatusCode != 200 {
		t.Fatalf("/healthz = %d", resp.StatusCode)
	}
}

type apiResult struct {
	Columns   []string `json:"columns"`
	Types     []string `json:"types"`
	Rows      [][]any  `json:"rows"`
	Truncated bool     `json:"truncated"`
	ElapsedMS *int64   `json:"elapsed_ms"`
	Error     string   `json:"error"`
}

func TestAPISQLFormats(t *testing.T) {
	e := newSQLServer(t, "", 10*time.Second)
	const q = `SELECT submitter AS "单位", count(*) AS "举措条数", min(due_date) AS "最早时限" FROM measures GROUP BY 1 ORDER BY 1`
	tests := []struct {
		name   string
		format string
		mime   string
		check  func(t *testing.T, body []byte)
	}{
		{"json", "json", "application/json", func(t *testing.T, body []byte) {
			var r apiResult
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r.Columns, []string{"单位", "举措条数", "最早时限"}) || len(r.Rows) != 3 || r.ElapsedMS == nil || r.Truncated {
				t.Fatalf("%+v", r)
			}
			if r.Rows[0][0] != "大连市" || r.Rows[0][1] != float64(1) || r.Rows[0][2] != "2022-12-31" {
				t.Errorf("first row %v", r.Rows[0])
			}
		}},
		{"csv with BOM", "csv", "text/csv", func(t *testing.T, body []byte) {
			if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF单位,举措条数,最早时限\r\n大连市,1,2022-12-31\r\n")) {
				t.Fatalf("csv = %q", body)
			}
		}},
		{"xlsx", "xlsx", "spreadsheetml", func(t *testing.T, body []byte) {
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows("查询结果")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rows[0], []string{"单位", "举措条数", "最早时限"}) || len(rows) != 4 {
				t.Fatalf("rows %v", rows)
			}
			if typ, _ := f.GetCellType("查询结果", "B2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("count cell type %v, want a number", typ)
			}
			if v, _ := f.GetCellValue("查询结果", "B2"); v != "1" {
				t.Errorf("B2 = %q", v)
			}
		}},
		{"parquet", "parquet", "parquet", func(t *testing.T, body []byte) {
			if !bytes.HasPrefix(body, []byte("PAR1")) || !bytes.HasSuffix(body, []byte("PAR1")) {
				t.Fatalf("not parquet: %d bytes", len(body))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.post(t, map[string]any{"sql": q, "format": tt.format}, "")
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, tt.mime) {
				t.Errorf("Content-Type %q", ct)
			}
			if tt.format != "json" && !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
				t.Errorf("no attachment header")
			}
			tt.check(t, body)
		})
	}
	// The page's download form posts form fields instead of JSON.
	form := url.Values{"sql": {q}, "format": {"csv"}}
	req := httptest.NewRequest("POST", "/api/sql", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, body := e.do(t, req); resp.StatusCode != 200 || !bytes.Contains(body, []byte("大连市")) {
		t.Errorf("form post: %d %s", resp.StatusCode, body)
	}
	if l := sqltest.Listing(t, e.tmp); len(l) != 0 {
		t.Errorf("temp files left: %v", l)
	}
}

func TestAPISQLRequests(t *testing.T) {
	e := newSQLServer(t, "s3cret", 10*time.Second)
	tests := []struct {
		name   string
		body   any
		token  string
		status int
		errHas string
	}{
		{"no token", map[string]any{"sql": "SELECT 1"}, "", 401, "口令"},
		{"wrong token", map[string]any{"sql": "SELECT 1"}, "nope", 401, "口令"},
		{"ok", map[string]any{"sql": "SELECT 1 AS a"}, "s3cret", 200, ""},
		{"empty sql", map[string]any{"sql": "  "}, "s3cret", 400, "SQL"},
		{"bad format", map[string]any{"sql": "SELECT 1", "format": "pdf"}, "s3cret", 400, "格式"},
		{"not json", "SELECT 1", "s3cret", 400, ""},
		{"syntax error", map[string]any{"sql": "SELEC 1"}, "s3cret", 400, "语法错误"},
		{"binder error", map[string]any{"sql": "SELECT nope FROM tasks"}, "s3cret", 400, "nope"},
		{"refused", map[string]any{"sql": "DROP TABLE tasks"}, "s3cret", 403, "已拒绝"},
		{"too long", map[string]any{"sql": "SELECT '" + strings.Repeat("x", 70<<10) + "'"}, "s3cret", 413, "KB"},
		{"max_rows", map[string]any{"sql": "SELECT * FROM range(10)", "max_rows": 3}, "s3cret", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.post(t, tt.body, tt.token)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			var r apiResult
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatalf("not JSON: %s", body)
			}
			if !strings.Contains(r.Error, tt.errHas) || (tt.status != 200) != (r.Error != "") {
				t.Errorf("error %q, want it to mention %q", r.Error, tt.errHas)
			}
			if tt.name == "max_rows" && (len(r.Rows) != 3 || !r.Truncated) {
				t.Errorf("max_rows: %d rows, truncated %v", len(r.Rows), r.Truncated)
			}
		})
	}
}

// The hostile battery through the HTTP door: every statement refused or bounded with a JSON 4xx (never
// a 500), the server answering /healthz throughout, the database byte-identical, no file written.
func TestAPISQLHostile(t *testing.T) {
	e := newSQLServer(t, "", 2*time.Second)
	sum := sqltest.SHA256(t, e.dbPath)
	tmpBefore, dataBefore := sqltest.Listing(t, e.tmp), sqltest.Listing(t, e.dataDir)
	for _, tc := range sqltest.Hostile {
		t.Run(tc.Name, func(t *testing.T) {
			resp, body := e.post(t, map[string]any{"sql": tc.SQL, "format": "json"}, "")
			var r apiResult
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatalf("not JSON (%d): %s", resp.StatusCode, body)
			}
			switch {
			case tc.Want == sqltest.Refused && (resp.StatusCode != 403 || !strings.HasPrefix(r.Error, "已拒绝：")):
				// The guard's refusal itself (403, 已拒绝：…), not any 4xx a statement it let through earns.
				t.Fatalf("status %d %q, want 403 with the guard's refusal (已拒绝：…)", resp.StatusCode, r.Error)
			case resp.StatusCode == 200:
				if tc.Want != sqltest.Bounded || !r.Truncated {
					t.Fatalf("ran: %d rows", len(r.Rows))
				}
			case resp.StatusCode < 400 || resp.StatusCode >= 500 && resp.StatusCode != 503:
				t.Fatalf("status %d: %s", resp.StatusCode, r.Error)
			case r.Error == "" || strings.Contains(r.Error, e.dataDir) || strings.Contains(r.Error, "/tmp/"):
				t.Fatalf("error message %q", r.Error)
			}
			e.healthy(t)
		})
	}
	if got := sqltest.SHA256(t, e.dbPath); got != sum {
		// The dashboard holds the database open read-write; nothing of the console may touch it.
		t.Error("database file changed")
	}
	if after := sqltest.Listing(t, e.tmp); !reflect.DeepEqual(after, tmpBefore) {
		t.Errorf("temp dir changed: %v → %v", tmpBefore, after)
	}
	if after := sqltest.Listing(t, e.dataDir); !reflect.DeepEqual(after, dataBefore) {
		t.Errorf("data dir changed: %v → %v", dataBefore, after)
	}
	sqltest.NoEvilFiles(t, e.dataDir, e.tmp)
	resp, body := e.post(t, map[string]any{"sql": sqltest.ExampleSQL}, "")
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(sqltest.ExampleAnswer)) {
		t.Fatalf("console no longer answers: %d %s", resp.StatusCode, body)
	}
}

// A long cross join is stopped at the timeout while the server keeps answering other requests.
func TestAPISQLTimeoutKeepsServerResponsive(t *testing.T) {
	e := newSQLServer(t, "", time.Second)
	done := make(chan int, 1)
	go func() {
		b, _ := json.Marshal(map[string]any{"sql": "SELECT sum(a.range * b.range) FROM range(1000000) a CROSS JOIN range(1000000) b"})
		req := httptest.NewRequest("POST", "/api/sql", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		resp, err := e.srv.App().Test(req, 30000)
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	// /healthz, again and again, for as long as the query is in flight: each must answer, and at
	// least one must have answered before the query did. No sleeps, no timings (make bench has those).
	answered := 0
	for finished := false; !finished; {
		select {
		case code := <-done:
			finished = true
			if code != 400 {
				t.Errorf("status %d, want 400 (timeout)", code)
			}
		default:
			e.healthy(t)
			answered++
		}
	}
	if answered == 0 {
		t.Error("no /healthz answered while the query ran")
	}
	t.Logf("/healthz answered %d times during the query", answered)
	e.healthy(t)
}

func TestSQLPageAndSchema(t *testing.T) {
	e := newSQLServer(t, "", 10*time.Second)
	q := "SELECT 1 AS \"</script><b>\""
	resp, body := e.do(t, httptest.NewRequest("GET", "/sql?q="+url.QueryEscape(q), nil))
	if resp.StatusCode != 200 {
		t.Fatalf("/sql = %d", resp.StatusCode)
	}
	page := string(body)
	for _, id := range []string{`id="sql-editor"`, `id="sql-run"`, `id="sql-result"`, `id="sql-rowcount"`,
		`id="sql-download-xlsx"`, `id="sql-download-csv"`, `id="sql-download-parquet"`, `id="sql-schema-list"`,
		`id="sql-examples"`, `id="sql-chart"`, `src="/static/sql.js"`} {
		if !strings.Contains(page, id) {
			t.Errorf("page lacks %s", id)
		}
	}
	if strings.Contains(page, "</script><b>") || !strings.Contains(page, "&lt;/script&gt;&lt;b&gt;") {
		t.Error("?q= is not escaped into the editor")
	}
	if strings.Contains(page, "<script>") {
		t.Error("inline script on the page")
	}
	resp, body = e.do(t, httptest.NewRequest("GET", "/api/sql/schema", nil))
	if resp.StatusCode != 200 {
		t.Fatalf("/api/sql/schema = %d %s", resp.StatusCode, body)
	}
	var info sqlconsole.SchemaInfo
	if err := json.Unmarshal(body, &info); err != nil {
		t.Fatal(err)
	}
	if len(info.Tables) < 15 || len(info.Examples) == 0 || info.MaxRows != 1000 {
		t.Errorf("schema: %d tables, %d examples, max rows %d", len(info.Tables), len(info.Examples), info.MaxRows)
	}
	resp, body = e.do(t, httptest.NewRequest("GET", "/static/sql.js", nil))
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("sql-download-xlsx")) {
		t.Errorf("/static/sql.js = %d", resp.StatusCode)
	}
}

// Without a console the page says so and the API answers 503 in JSON.
func TestSQLDisabled(t *testing.T) {
	db, err := queries.Open(context.Background(), "", queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, err := dashboard.New(dashboard.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.App().Test(httptest.NewRequest("GET", "/sql", nil))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/sql: %v %v", resp.StatusCode, err)
	}
	req := httptest.NewRequest("POST", "/api/sql", strings.NewReader(`{"sql":"SELECT 1"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err = srv.App().Test(req)
	if err != nil || resp.StatusCode != 503 {
		t.Fatalf("/api/sql: %v %v", resp.StatusCode, err)
	}
}
