// Package sqlconsole is the analysts' SQL sandbox shared by the web console, the CLI and the HTTP API.
//
// A query goes to a worker process (this binary re-executed as `lnvedash sql-worker`), which
//  1. asks DuckDB's own parser (json_serialize_sql, in a separate empty in-memory DuckDB) what the text is
//     and refuses anything but exactly one SELECT over the analyst tables calling harmless functions,
//  2. opens a read-only DuckDB instance over the database or its snapshot with external access off,
//     extensions off, configuration locked, memory and threads capped — verified, failing closed; with
//     Options.Warm the instance stays open between statements (until the file is replaced), and each
//     statement gets a new connection on it, checked again, closed after it,
//  3. runs SELECT * FROM (<query>) LIMIT n+1 under a deadline, and sends the rows back as JSON.
//
// The console (in the dashboard or CLI process) kills a worker that does not answer by the deadline plus a
// grace period and starts a new one for the next request; a worker that dies (DuckDB can abort) fails
// only the request it was running.
package sqlconsole

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Options configure a Console. Zero values take the defaults in brackets.
type Options struct {
	// DB is the database file to read. When another process holds it (the dashboard is the one writer),
	// Fallback — the snapshot — is read instead. The dashboard sets DB to the snapshot and no Fallback.
	DB       string
	Fallback string
	// Command starts a worker: the binary and its arguments [this executable, "sql-worker"].
	Command []string
	// Workers is how many queries run at once [2].
	Workers int
	// Timeout is the statement timeout [10s]; Grace is how long past it the worker may take to answer
	// before it is killed [3s].
	Timeout, Grace time.Duration
	// MaxRows caps the rows of a result [10000]; MaxBytes the JSON size of a result [32 MiB].
	MaxRows  int
	MaxBytes int64
	// MaxMemory is DuckDB's max_memory in the sandbox ["512MB"]; Threads its threads [the machine's
	// cores shared among the workers, at least 1]: the workers run at once, and more DuckDB threads
	// than cores only adds switching — on 2 cores a small statement cost ≈20 % more CPU with 2 threads
	// a worker than with 1 (BenchmarkHandle).
	MaxMemory string
	Threads   int
	// AddressSpace caps each worker's virtual memory in bytes [4 GiB]; 0 keeps the default, <0 none.
	AddressSpace int64
	// Stderr receives the workers' stderr (DuckDB's abort messages) [os.Stderr].
	Stderr io.Writer
	// Hide lists more strings (directories) to strip from messages.
	Hide []string
	// Warm keeps each worker's read-only instance of DB open between statements (each statement still
	// gets a connection of its own), reopened when the file is replaced. For a snapshot that only its
	// writer replaces by rename (the dashboard); not with a Fallback, where DB is a file another
	// process must be able to lock.
	Warm bool
}

func (o *Options) defaults() error {
	if o.DB == "" {
		return errors.New("sqlconsole: no database")
	}
	if len(o.Command) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("sqlconsole: %w", err)
		}
		o.Command = []string{exe, WorkerArg}
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Grace <= 0 {
		o.Grace = 3 * time.Second
	}
	if o.MaxRows <= 0 {
		o.MaxRows = 10000
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 32 << 20
	}
	if o.MaxMemory == "" {
		o.MaxMemory = "512MB"
	}
	if !memorySize.MatchString(o.MaxMemory) {
		return fmt.Errorf("sqlconsole: max memory %q is not a size like 512MB", o.MaxMemory)
	}
	if o.Threads <= 0 {
		o.Threads = max(1, runtime.NumCPU()/o.Workers)
	}
	if o.AddressSpace == 0 {
		o.AddressSpace = 4 << 30
	}
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	return nil
}

var memorySize = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?\s*([KMGT]i?)?B$`)

// Console runs analysts' SQL in worker processes. It is safe for concurrent use.
type Console struct {
	opt  Options
	sem  chan struct{}
	mu   sync.Mutex
	idle []*worker
	done bool
}

// New returns a console; workers start on first use.
func New(opt Options) (*Console, error) {
	if err := opt.defaults(); err != nil {
		return nil, err
	}
	for _, p := range []*string{&opt.DB, &opt.Fallback} {
		if *p != "" {
			abs, err := filepath.Abs(*p)
			if err != nil {
				return nil, fmt.Errorf("sqlconsole: %w", err)
			}
			*p = abs
		}
	}
	return &Console{opt: opt, sem: make(chan struct{}, opt.Workers)}, nil
}

// Workers reports how many queries run at once.
func (c *Console) Workers() int { return c.opt.Workers }

// Limits reports the effective row cap and timeout.
func (c *Console) Limits() (maxRows int, timeout time.Duration) { return c.opt.MaxRows, c.opt.Timeout }

// Query runs one analyst statement. maxRows ≤ 0 or above the console's cap takes the cap. Every error is
// an *Error whose message is fit to show (no server paths).
func (c *Console) Query(ctx context.Context, q string, maxRows int) (*Result, error) {
	if strings.TrimSpace(q) == "" {
		return nil, &Error{Kind: KindSQL, Message: "请输入 SQL"}
	}
	if maxRows <= 0 || maxRows > c.opt.MaxRows {
		maxRows = c.opt.MaxRows
	}
	resp, err := c.do(ctx, &request{Op: "query", SQL: q, MaxRows: maxRows})
	if err != nil {
		return nil, err
	}
	if resp.Result == nil {
		return nil, &Error{Kind: KindWorker, Message: "SQL 工作进程没有返回结果"}
	}
	normalise(resp.Result)
	return resp.Result, nil
}

// Schema lists the tables and views an analyst can query, with columns, types and Chinese descriptions.
func (c *Console) Schema(ctx context.Context) ([]Table, error) {
	resp, err := c.do(ctx, &request{Op: "schema"})
	if err != nil {
		return nil, err
	}
	return resp.Schema, nil
}

// SchemaInfo is the schema browser's data, as GET /api/sql/schema answers it.
type SchemaInfo struct {
	Tables   []Table   `json:"tables"`
	Examples []Example `json:"examples"`
	MaxRows  int       `json:"max_rows"`
	Timeout  float64   `json:"timeout_seconds"`
}

// SchemaInfo returns the schema browser's data: tables and views with Chinese descriptions, examples
// and the console's limits.
func (c *Console) SchemaInfo(ctx context.Context) (*SchemaInfo, error) {
	tables, err := c.Schema(ctx)
	if err != nil {
		return nil, err
	}
	maxRows, timeout := c.Limits()
	return &SchemaInfo{Tables: tables, Examples: Examples(), MaxRows: maxRows, Timeout: timeout.Seconds()}, nil
}

// Parquet encodes a result as a Parquet file (in a worker, without any analyst SQL; see writeParquet).
func (c *Console) Parquet(ctx context.Context, r *Result) ([]byte, error) {
	resp, err := c.do(ctx, &request{Op: "parquet", Table: r})
	if err != nil {
		return nil, err
	}
	return resp.Parquet, nil
}

// Prewarm starts the console's workers (up to Workers) and has each open its instance, so the first
// statements do not pay for it; with Warm unset it only starts the processes. Errors are the workers'
// (no database yet, say) and leave the console usable.
func (c *Console) Prewarm(ctx context.Context) error {
	errs := make(chan error, c.opt.Workers)
	for range c.opt.Workers {
		go func() {
			_, err := c.do(ctx, &request{Op: "warm"})
			errs <- err
		}()
	}
	var first error
	for range c.opt.Workers {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Close stops the idle workers; running requests finish or time out.
func (c *Console) Close() error {
	c.mu.Lock()
	c.done = true
	idle := c.idle
	c.idle = nil
	c.mu.Unlock()
	for _, w := range idle {
		w.stop()
	}
	return nil
}

// do sends one request to a worker and waits for its answer, at most timeout+grace.
func (c *Console) do(ctx context.Context, req *request) (*response, error) {
	req.DB, req.Fallback = c.opt.DB, c.opt.Fallback
	req.TimeoutMS = c.opt.Timeout.Milliseconds()
	req.MaxMemory, req.Threads, req.MaxBytes = c.opt.MaxMemory, c.opt.Threads, c.opt.MaxBytes
	req.Hide, req.Warm = c.opt.Hide, c.opt.Warm
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, &Error{Kind: KindTimeout, Message: "等待空闲的 SQL 工作进程超时"}
	}
	defer func() { <-c.sem }()
	w, err := c.get()
	if err != nil {
		return nil, err
	}
	resp, err := w.call(ctx, req, c.opt.Timeout+c.opt.Grace)
	if err != nil {
		w.kill()
		return nil, err
	}
	c.put(w)
	if resp.Error != nil {
		return nil, resp.Error
	}
	return resp, nil
}

func (c *Console) get() (*worker, error) {
	c.mu.Lock()
	if c.done {
		c.mu.Unlock()
		return nil, &Error{Kind: KindWorker, Message: "SQL 控制台已关闭"}
	}
	if n := len(c.idle); n > 0 {
		w := c.idle[n-1]
		c.idle = c.idle[:n-1]
		c.mu.Unlock()
		return w, nil
	}
	c.mu.Unlock()
	return c.spawn()
}

func (c *Console) put(w *worker) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		go w.stop()
		return
	}
	c.idle = append(c.idle, w)
}

// worker is one running worker process.
type worker struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    *bufio.Reader
	exited chan struct{}
}

func (c *Console) spawn() (*worker, error) {
	cmd := exec.Command(c.opt.Command[0], c.opt.Command[1:]...)
	cmd.Env = append(workerEnviron(), WorkerEnv+"=1")
	if c.opt.AddressSpace > 0 {
		cmd.Env = append(cmd.Env, fmt.Sprintf("%s_AS=%d", WorkerEnv, c.opt.AddressSpace))
	}
	// Hide any ReadFrom of the writer: exec would copy into it with ReadFrom (bytes.Buffer's truncates
	// writes made meanwhile by others).
	cmd.Stderr = struct{ io.Writer }{c.opt.Stderr}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, &Error{Kind: KindWorker, Message: "无法启动 SQL 工作进程"}
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, &Error{Kind: KindWorker, Message: "无法启动 SQL 工作进程"}
	}
	if err := cmd.Start(); err != nil {
		return nil, &Error{Kind: KindWorker, Message: "无法启动 SQL 工作进程"}
	}
	w := &worker{cmd: cmd, stdin: stdin, out: bufio.NewReaderSize(stdout, 1<<20), exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(w.exited) }()
	return w, nil
}

// workerEnviron is this process's environment minus anything that looks like a credential: the worker
// needs none (and getenv is refused anyway).
func workerEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		up := strings.ToUpper(name)
		if strings.Contains(up, "TOKEN") || strings.Contains(up, "SECRET") || strings.Contains(up, "PASSWORD") ||
			strings.Contains(up, "KEY") || strings.HasPrefix(up, WorkerEnv) {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// call writes req and reads one response; on deadline or a dead worker it returns an *Error and the
// caller kills the worker.
func (w *worker) call(ctx context.Context, req *request, limit time.Duration) (*response, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("sqlconsole: encode request: %w", err)
	}
	type answer struct {
		resp *response
		err  error
	}
	ch := make(chan answer, 1)
	go func() {
		if _, err := w.stdin.Write(append(b, '\n')); err != nil {
			ch <- answer{err: err}
			return
		}
		line, err := w.out.ReadBytes('\n')
		if err != nil {
			ch <- answer{err: err}
			return
		}
		dec := json.NewDecoder(strings.NewReader(string(line)))
		dec.UseNumber()
		var r response
		if err := dec.Decode(&r); err != nil {
			ch <- answer{err: err}
			return
		}
		ch <- answer{resp: &r}
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case a := <-ch:
		if a.err != nil {
			return nil, &Error{Kind: KindWorker, Message: "SQL 工作进程意外退出（可能是查询耗尽了内存），本次查询失败；下一次查询会自动启动新的工作进程"}
		}
		return a.resp, nil
	case <-timer.C:
		return nil, &Error{Kind: KindTimeout, Message: fmt.Sprintf("查询超过时限（%s）仍未结束，已强制终止", limit.Round(time.Second))}
	case <-ctx.Done():
		return nil, &Error{Kind: KindTimeout, Message: "请求已取消，查询已终止"}
	}
}

// kill ends a stuck or broken worker at once and reaps it.
func (w *worker) kill() {
	_ = w.cmd.Process.Kill()
	_ = w.stdin.Close()
	<-w.exited
}

// stop ends an idle worker: closing its stdin lets it exit; it is killed if it has not within 200 ms.
func (w *worker) stop() {
	_ = w.stdin.Close()
	select {
	case <-w.exited:
		return
	case <-time.After(200 * time.Millisecond):
	}
	_ = w.cmd.Process.Kill()
	<-w.exited
}

// normalise turns the json.Numbers of a decoded result into int64 or float64.
func normalise(r *Result) {
	for _, row := range r.Rows {
		for i, v := range row {
			row[i] = number(v)
		}
	}
}

func number(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	case []any:
		for i, e := range x {
			x[i] = number(e)
		}
		return x
	case map[string]any:
		for k, e := range x {
			x[k] = number(e)
		}
		return x
	}
	return v
}
