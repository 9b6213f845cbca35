package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"lnvedash/queries"
	"lnvedash/sqlconsole"
	"lnvedash/sqlconsole/sqlfmt"
)

// sqlWorkerCommand starts the sandbox's worker processes; nil re-executes this binary (`lnvedash
// sql-worker`). Tests leave it nil: their TestMain answers as the worker.
var sqlWorkerCommand []string

// runSQL is `lnvedash sql`: one read-only statement through the same sandbox as the web console, against
// the database file — or, while `lnvedash serve` holds it, against the snapshot the server keeps — or,
// with --server, through the running dashboard's HTTP API.
func runSQL(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "sql", `[--db FILE] [--format table|csv|json|xlsx|parquet] [-o FILE] [--server URL --token T] "SQL"（或从标准输入读入）`)
	dbPath := fs.String("db", "data/lnvedash.duckdb", "数据库文件（被看板服务占用时自动改读其快照）")
	snapshot := fs.String("snapshot", "", "快照文件（默认 <数据库目录>/snapshot/<数据库文件名>）")
	format := fs.String("format", "table", "输出格式：table、csv、json、xlsx、parquet")
	out := fs.String("o", "", "写入文件（默认标准输出）")
	maxRows := fs.Int("max-rows", 0, "最多返回的行数（默认并最多 10000）")
	timeout := fs.Duration("timeout", 10*time.Second, "语句时限")
	server := fs.String("server", "", "看板服务地址，如 http://localhost:8080：通过其 /api/sql 查询")
	token := fs.String("token", os.Getenv("LNVEDASH_ANALYST_TOKEN"), "分析员口令（也可用环境变量 LNVEDASH_ANALYST_TOKEN）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, ok := sqlfmt.Formats[*format]; !ok && *format != "table" {
		return fmt.Errorf("sql: 不支持的格式 %q：可用 table、csv、json、xlsx、parquet", *format)
	}
	text := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(text) == "" || text == "-" {
		b, err := io.ReadAll(io.LimitReader(e.stdin, 1<<20))
		if err != nil {
			return fmt.Errorf("sql: 读取标准输入: %w", err)
		}
		text = string(b)
	}
	if strings.TrimSpace(text) == "" {
		fs.Usage()
		return errors.New("sql: 请给出 SQL 语句（参数或标准输入）")
	}
	var w io.Writer = e.stdout
	var buf bytes.Buffer
	if *out != "" {
		w = &buf
	}
	var err error
	if *server != "" {
		err = sqlViaServer(ctx, e, w, *server, *token, text, *format, *maxRows)
	} else {
		err = sqlLocal(ctx, e, w, *dbPath, *snapshot, text, *format, *maxRows, *timeout)
	}
	if err != nil {
		return err
	}
	if *out != "" {
		if err := writeFileAtomic(*out, buf.Bytes()); err != nil {
			return fmt.Errorf("sql: %w", err)
		}
	}
	return nil
}

// sqlLocal runs the statement in a local sandbox worker.
func sqlLocal(ctx context.Context, e env, w io.Writer, dbPath, snapshot, text, format string, maxRows int, timeout time.Duration) error {
	if snapshot == "" {
		snapshot = queries.SnapshotPath(dbPath)
	}
	abs, _ := filepath.Abs(filepath.Dir(dbPath))
	// The worker's stderr (DuckDB's last words if it aborts) and our notes share e.stderr.
	stderr := &sqlSyncWriter{w: e.stderr}
	c, err := sqlconsole.New(sqlconsole.Options{DB: dbPath, Fallback: snapshot, Command: sqlWorkerCommand,
		Workers: 1, Timeout: timeout, Stderr: stderr, Hide: []string{abs}})
	if err != nil {
		return err
	}
	defer c.Close()
	res, err := c.Query(ctx, text, maxRows)
	if err != nil {
		return err
	}
	if res.Source == "snapshot" {
		fmt.Fprintf(stderr, "注意：数据库正被看板服务占用，结果来自快照（生成于 %s）\n", res.SnapshotTime.Local().Format("2006-01-02 15:04:05"))
	}
	if res.Truncated {
		fmt.Fprintf(stderr, "注意：结果已截断为 %d 行\n", len(res.Rows))
	}
	if format == "parquet" {
		b, err := c.Parquet(ctx, res)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	return sqlfmt.Write(w, format, res.Table())
}

// sqlViaServer sends the statement to a running dashboard's POST /api/sql.
func sqlViaServer(ctx context.Context, e env, w io.Writer, server, token, text, format string, maxRows int) error {
	wire := format
	if format == "table" {
		wire = "json"
	}
	body, _ := json.Marshal(map[string]any{"sql": text, "format": wire, "max_rows": maxRows})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(server, "/")+"/api/sql", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("sql: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
	if err != nil {
		return fmt.Errorf("sql: 无法连接看板服务 %s: %w", server, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 512<<20))
	if err != nil {
		return fmt.Errorf("sql: 读取看板服务的回答: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var msg struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(data, &msg) == nil && msg.Error != "" {
			return errors.New(msg.Error)
		}
		return fmt.Errorf("sql: 看板服务回答 %s", resp.Status)
	}
	if format != "table" {
		// The API's JSON has no trailing newline; a file or terminal line wants one, as the local path writes.
		if format == "json" && !bytes.HasSuffix(data, []byte("\n")) {
			data = append(data, '\n')
		}
		_, err = w.Write(data)
		return err
	}
	var j sqlfmt.JSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("sql: 看板服务的回答不是 JSON: %w", err)
	}
	for _, row := range j.Rows {
		for i, v := range row {
			if n, ok := v.(json.Number); ok {
				if x, err := n.Int64(); err == nil {
					row[i] = x
				} else if f, err := n.Float64(); err == nil {
					row[i] = f
				}
			}
		}
	}
	if j.Truncated {
		fmt.Fprintf(e.stderr, "注意：结果已截断为 %d 行\n", len(j.Rows))
	}
	return sqlfmt.WriteText(w, &sqlfmt.Table{Columns: j.Columns, Types: j.Types, Rows: j.Rows,
		Truncated: j.Truncated, Elapsed: time.Duration(j.ElapsedMS) * time.Millisecond})
}

// sqlSyncWriter serialises writes from the worker's stderr copier and from this command.
type sqlSyncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *sqlSyncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// runSQLWorker is the hidden `lnvedash sql-worker`: the sandbox's worker process, speaking JSON lines on
// stdin/stdout. Only the console starts it.
func runSQLWorker(ctx context.Context, e env, args []string) error {
	return sqlconsole.ServeWorker(ctx, e.stdin, e.stdout)
}

// sqlServer is the dashboard's console: the sandbox reading the snapshot, and the refresh that rewrites
// the snapshot after each committed ingest.
type sqlServer struct {
	db       *queries.DB
	snapshot string
	log      *slog.Logger
	console  *sqlconsole.Console
	mu       sync.Mutex
}

// sqlStartConsole takes a first snapshot of db and starts the sandbox over it. A failed snapshot is
// logged, not fatal: the console then answers that no snapshot is available until an ingest succeeds.
func sqlStartConsole(ctx context.Context, db *queries.DB, log *slog.Logger) (*sqlServer, error) {
	s := &sqlServer{db: db, snapshot: queries.SnapshotPath(db.Path), log: log}
	abs, _ := filepath.Abs(filepath.Dir(db.Path))
	c, err := sqlconsole.New(sqlconsole.Options{DB: s.snapshot, Command: sqlWorkerCommand, Hide: []string{abs}, Warm: true})
	if err != nil {
		return nil, err
	}
	s.console = c
	if err := s.refresh(ctx); err != nil {
		log.Warn("sql console: first snapshot failed", "err", err)
	}
	return s, nil
}

// refresh rewrites the snapshot; it is the dashboard's AfterIngest.
func (s *sqlServer) refresh(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	if err := s.db.Snapshot(ctx, s.snapshot); err != nil {
		return fmt.Errorf("sql console snapshot: %w", err)
	}
	s.log.Info("sql console snapshot written", "ms", time.Since(start).Milliseconds())
	// The workers open the new snapshot now rather than on the next statement.
	go func() {
		if err := s.console.Prewarm(context.WithoutCancel(ctx)); err != nil {
			s.log.Warn("sql console: prewarm", "err", err)
		}
	}()
	return nil
}

// runner is what the dashboard calls.
func (s *sqlServer) runner() *sqlconsole.Console { return s.console }

// Close stops the workers.
func (s *sqlServer) Close() error { return s.console.Close() }
