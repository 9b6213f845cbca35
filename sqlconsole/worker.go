package sqlconsole

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"time"
)

// WorkerArg is the hidden subcommand the console re-executes its own binary with
// (`lnvedash sql-worker`); WorkerEnv is set in the worker's environment as well, so a test binary's
// TestMain can recognise the call (see IsWorker).
const (
	WorkerArg = "sql-worker"
	WorkerEnv = "LNVEDASH_SQL_WORKER"
)

// IsWorker reports whether this process was started by a Console as its worker.
func IsWorker() bool {
	return os.Getenv(WorkerEnv) == "1" && len(os.Args) > 1 && os.Args[len(os.Args)-1] == WorkerArg
}

// ServeWorker is the worker process: it answers one JSON request per line from r on w until r ends.
// All of the analysts' SQL is parsed and executed here, never in the dashboard's process, so whatever
// DuckDB does (an abort, running out of memory) takes down only this process; the console notices and
// starts another.
func ServeWorker(ctx context.Context, r io.Reader, w io.Writer) error {
	if lim := os.Getenv(WorkerEnv + "_AS"); lim != "" {
		var n uint64
		if _, err := fmt.Sscan(lim, &n); err == nil && n > 0 {
			// An address-space cap: a huge string or list fails (or kills this process) instead of the machine.
			_ = syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: n, Max: n})
		}
	}
	g, err := newGuard(ctx)
	if err != nil {
		return err
	}
	defer g.Close()
	var kept warmSlot
	defer kept.drop()
	in := bufio.NewReaderSize(r, 1<<20)
	enc := json.NewEncoder(w)
	for {
		line, err := in.ReadBytes('\n')
		if errors.Is(err, io.EOF) && len(line) == 0 {
			return nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("worker: read: %w", err)
		}
		var req request
		var resp response
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber() // keep BIGINT values exact on their way to the Parquet encoder
		if err := dec.Decode(&req); err != nil {
			resp.Error = &Error{Kind: KindSQL, Message: "无法解析的请求"}
		} else {
			resp = handle(ctx, g, &kept, &req)
		}
		if err := enc.Encode(&resp); err != nil {
			return fmt.Errorf("worker: write: %w", err)
		}
	}
}

// handle answers one request; every error leaving it is an *Error with paths scrubbed.
func handle(ctx context.Context, g *guard, kept *warmSlot, req *request) (resp response) {
	hide := append([]string{os.TempDir()}, req.Hide...)
	for _, p := range []string{req.DB, req.Fallback} {
		if p != "" {
			hide = append(hide, p, filepath.Dir(p))
		}
	}
	// Longest first, so a file is replaced before its directory.
	sort.Slice(hide, func(i, j int) bool { return len(hide[i]) > len(hide[j]) })
	defer func() {
		if resp.Error != nil {
			resp.Error.Message = scrub(resp.Error.Message, hide...)
		}
	}()
	toErr := func(err error) *Error {
		if e := AsError(err); e != nil {
			return e
		}
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return &Error{Kind: KindTimeout, Message: fmt.Sprintf("查询超过 %s 时限，已中止", time.Duration(req.TimeoutMS)*time.Millisecond)}
		}
		return &Error{Kind: KindSQL, Message: err.Error()}
	}
	timeout := time.Duration(req.TimeoutMS) * time.Millisecond
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	switch req.Op {
	case "ping":
		return resp
	case "parquet":
		b, err := writeParquet(ctx, req.Table)
		if err != nil {
			resp.Error = toErr(err)
			return resp
		}
		resp.Parquet = b
		return resp
	case "schema", "query", "warm":
	default:
		resp.Error = &Error{Kind: KindSQL, Message: "未知操作"}
		return resp
	}

	var st *statement
	if req.Op == "query" {
		// First the statement alone: one SELECT, allowed functions — before any database is opened.
		var err error
		if st, err = g.parse(ctx, req.SQL); err != nil {
			resp.Error = toErr(err)
			return resp
		}
	}
	sb, source, err := kept.open(ctx, req)
	if err != nil {
		resp.Error = toErr(err)
		return resp
	}
	defer kept.release(sb)
	resp.Source = source
	if req.Op == "warm" {
		return resp
	}
	if req.Op == "schema" {
		if resp.Schema, err = sb.schema(ctx); err != nil {
			resp.Error = toErr(err)
		}
		return resp
	}
	visible, internal := sb.visible, sb.internal
	allowed := map[string]bool{}
	for k := range visible {
		allowed[k] = true
	}
	if err := st.checkTables(allowed, internal); err != nil {
		resp.Error = toErr(err)
		return resp
	}
	// Then the statement as it will run, row cap inside the SQL: it must still be one checked SELECT
	// whose outermost LIMIT is ours (a comment or quote left open by the user would have broken it).
	wrapped := wrap(req.SQL, req.MaxRows+1)
	wst, err := g.parse(ctx, wrapped)
	if err == nil {
		err = wst.checkTables(allowed, internal)
	}
	if err == nil && (!wst.isLimitWrapper(req.MaxRows+1) || !wst.wraps(st)) {
		err = refused("无法为该语句加上行数上限")
	}
	if err != nil {
		resp.Error = toErr(err)
		return resp
	}
	res, err := sb.run(ctx, wrapped, req.MaxRows, req.MaxBytes)
	if err != nil {
		// A statement that failed in DuckDB (interrupted, out of memory, an internal error) may leave
		// the instance in a state nobody checked: it is not kept.
		kept.drop()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		resp.Error = toErr(err)
		return resp
	}
	res.Source = source
	if source == "snapshot" {
		if fi, err := os.Stat(req.Fallback); err == nil {
			res.SnapshotTime = fi.ModTime()
		}
	}
	resp.Result = res
	return resp
}

// openSource opens the database read-only, or the snapshot when another process (the dashboard) holds it.
func openSource(ctx context.Context, req *request) (*sandbox, string, error) {
	sb, err := openSandbox(ctx, req.DB, req.MaxMemory, req.Threads)
	if err == nil {
		return sb, "database", nil
	}
	if req.Fallback == "" || !isLocked(err) {
		if isLocked(err) {
			return nil, "", &Error{Kind: KindNoData, Message: "数据库正被另一个进程（看板服务）占用，且没有可用的快照"}
		}
		return nil, "", err
	}
	sb, ferr := openSandbox(ctx, req.Fallback, req.MaxMemory, req.Threads)
	if ferr != nil {
		if AsError(ferr) != nil {
			return nil, "", &Error{Kind: KindNoData, Message: "数据库正被看板服务占用，且还没有快照：请等看板服务生成快照（启动时和每次入库后），或用 --server 通过看板查询"}
		}
		return nil, "", ferr
	}
	return sb, "snapshot", nil
}

// warmSlot is a worker's kept instance (requests with Warm set): the file it reads as it was when
// opened, so a snapshot replaced since (the dashboard writes a new file and renames it over the old
// one after each ingest) is noticed by its identity and opened anew.
type warmSlot struct {
	sb     *sandbox
	path   string
	fi     os.FileInfo
	source string
	limits string
}

// open returns a sandbox for req with a fresh, checked connection: the kept one when req is warm and
// its file unchanged, else a new instance (kept afterwards when req is warm).
func (k *warmSlot) open(ctx context.Context, req *request) (*sandbox, string, error) {
	limits := fmt.Sprint(req.MaxMemory, "/", req.Threads)
	if !req.Warm || req.Fallback != "" {
		// Cold: the CLI reads the database itself when it is free and must not hold its lock.
		k.drop()
		sb, source, err := openSource(ctx, req)
		return sb, source, err
	}
	if k.sb != nil {
		fi, err := os.Stat(k.path)
		if err == nil && k.path == req.DB && k.limits == limits && os.SameFile(fi, k.fi) &&
			fi.ModTime().Equal(k.fi.ModTime()) && fi.Size() == k.fi.Size() {
			if err := k.sb.fresh(ctx); err == nil {
				return k.sb, k.source, nil
			}
		}
		k.drop()
	}
	fi, err := os.Stat(req.DB)
	if err != nil {
		return nil, "", &Error{Kind: KindNoData, Message: "数据库文件不存在或不可读"}
	}
	sb, source, err := openSource(ctx, req)
	if err != nil {
		return nil, "", err
	}
	*k = warmSlot{sb: sb, path: req.DB, fi: fi, source: source, limits: limits}
	return sb, source, nil
}

// release ends a request: the statement's connection is closed at once (its temp objects die now, not
// at the next request); a sandbox not kept is closed whole.
func (k *warmSlot) release(sb *sandbox) {
	if k.sb != sb {
		sb.Close()
		return
	}
	if sb.conn != nil {
		sb.conn.Close()
		sb.conn = nil
	}
}

// drop closes the kept instance, if any.
func (k *warmSlot) drop() {
	if k.sb != nil {
		k.sb.Close()
	}
	*k = warmSlot{}
}
