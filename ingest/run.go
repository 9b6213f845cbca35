package ingest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"lnvedash/queries"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

func mustSQL(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name + ".sql")
	if err != nil {
		panic(fmt.Sprintf("ingest: no sql/%s.sql", name))
	}
	return string(b)
}

// Options for Run.
type Options struct {
	DataDir  string                // archive root; "" = directory of db.Path, or a temp dir for in-memory
	Source   string                // "cli", "inbox", "upload"
	Workers  int                   // 0 = runtime.NumCPU()
	Progress func(done, total int) // may be nil
	Round    string                // progress returns without an embedded round go to this round (number or name); "" = the latest
	// Unit is the roster name of the unit whose personal link uploads these files ("" = anyone's):
	// every file is credited to it or refused (Reader.Unit).
	Unit string
	// Names gives, for a path in the run, the name the file was received under (the upload stores
	// files under short generated names; the name may be longer than the file system allows).
	Names map[string]string
}

// FileResult is the outcome for one received file.
type FileResult struct {
	FileName, Path, SHA256, Submitter, Kind, Status, ReasonCode, Message string // Status: current/superseded/rejected/duplicate
	SubmissionID, Measures, Warnings, Errors                             int
}

// Result is the outcome of one run.
type Result struct {
	RunID int
	Files []FileResult
}

// Statuses of FileResult beyond those of the submissions view.
const StatusDuplicate = "duplicate"

// runMu serialises runs in this process: submission numbers are max+1 inside the run's transaction,
// and the dashboard may start an upload while the inbox watcher runs.
var runMu sync.Mutex

// memDataDirs gives each in-memory database one archive folder for the life of the process.
var (
	memDataMu   sync.Mutex
	memDataDirs = map[*queries.DB]string{}
)

// input is one file to ingest.
type input struct {
	path    string // where to read it
	display string // where it came from, for people (a zip member is "upload.zip/name.xlsx")
	name    string // base name as received
	mtime   time.Time
	// refused is a verdict given before the file is read (an archive over its budgets, a member over
	// its size): only a bounded prefix of it is archived.
	refused *Rejection
}

// job is an input after archiving and parsing.
type job struct {
	in      input
	sha     string
	key     string // what duplicates are recognised by: the sha256, or for an empty file sha256#name
	size    int64
	archive string // relative to the data folder
	parsed  *Parsed
	stamped *Stamped // the unit's stamped copy (stamped.go); parsed is nil then
	rej     *Rejection
	dup     bool // already in the database before the run
	// rejSubmitter is the submitter a rejected file's name points at, if any.
	rejSubmitter, rejKind string
	rejByLink             bool // rejSubmitter is the uploading unit's link, not the file name
}

// Run ingests the files and folders in paths (recursively; .zip files are expanded) as one run in one
// transaction: every file is archived, then parsed in parallel, and each result is appended, in input
// order, as soon as it is ready, so memory holds a few workbooks' rows rather than the whole run.
// Rejected files are a normal outcome (see FileResult.Status); an error means nothing was written.
func Run(ctx context.Context, db *queries.DB, opt Options, paths ...string) (*Result, error) {
	runMu.Lock()
	defer runMu.Unlock()
	started := time.Now().UTC().Truncate(time.Microsecond)
	removeStaleTmpDirs()
	dataDir, err := resolveDataDir(db, opt.DataDir)
	if err != nil {
		return nil, err
	}
	SweepOrphans(dataDir)
	tmp, err := newTmpDir()
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	defer os.RemoveAll(tmp)
	rd := NewReader(db.Seeds)
	if opt.Unit != "" {
		for i := range db.Seeds.Submitters {
			if db.Seeds.Submitters[i].Name == opt.Unit {
				rd.Unit = &db.Seeds.Submitters[i]
			}
		}
		if rd.Unit == nil {
			return nil, fmt.Errorf("ingest: unit %q is not on the roster", opt.Unit)
		}
	}
	inputs, err := collect(paths, tmp, rd.Limits, opt.Names)
	if err != nil {
		return nil, err
	}
	return write(ctx, db, rd, dataDir, opt, started, inputs)
}

func resolveDataDir(db *queries.DB, dir string) (string, error) {
	if dir == "" && db.Path != "" {
		dir = filepath.Dir(db.Path)
	}
	if dir == "" {
		memDataMu.Lock()
		defer memDataMu.Unlock()
		if d, ok := memDataDirs[db]; ok {
			return d, nil
		}
		d, err := os.MkdirTemp("", "lnvedash-data-")
		if err != nil {
			return "", fmt.Errorf("ingest: data folder: %w", err)
		}
		memDataDirs[db] = d
		return d, nil
	}
	if err := os.MkdirAll(filepath.Join(dir, "archive"), 0o755); err != nil {
		return "", fmt.Errorf("ingest: data folder: %w", err)
	}
	return dir, nil
}

type existingFile struct {
	id        int
	submitter string
	rejected  bool
	reason    string // files.reason: "code: message"
}

func existingFiles(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[string]existingFile, error) {
	rows, err := q.QueryContext(ctx, mustSQL("existing_files"))
	if err != nil {
		return nil, fmt.Errorf("existing_files: %w", err)
	}
	defer rows.Close()
	m := map[string]existingFile{}
	for rows.Next() {
		var sha string
		var e existingFile
		if err := rows.Scan(&sha, &e.id, &e.submitter, &e.rejected, &e.reason); err != nil {
			return nil, fmt.Errorf("existing_files: %w", err)
		}
		m[sha] = e
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("existing_files: %w", err)
	}
	return m, nil
}

// ingestExt lists the extensions picked up when walking a folder; a file named explicitly is always
// taken, whatever it is called, and gets a verdict.
// Notes beside the files (README.md, MANIFEST.csv) are not: .md, .csv and .txt are left out.
var ingestExt = map[string]bool{".xlsx": true, ".xlsm": true, ".xlsb": true, ".xls": true, ".et": true, ".ods": true,
	".zip": true, ".docx": true, ".doc": true, ".wps": true, ".pdf": true, ".jpg": true, ".jpeg": true, ".png": true}

// ListFiles lists the files a run over paths would take: files named explicitly, and in folders
// (recursively) those with a spreadsheet, document, picture or .zip extension, leaving out hidden
// files, Office lock files (~$name.xlsx) and a data folder's archive/. Sorted, so reruns number alike.
func ListFiles(paths ...string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("ingest %s: %w", p, err)
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if q != p && (strings.HasPrefix(name, ".") || name == "archive") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasPrefix(name, "~$") || strings.HasPrefix(name, ".") || !d.Type().IsRegular() {
				return nil
			}
			if ingestExt[strings.ToLower(filepath.Ext(name))] {
				out = append(out, q)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ingest %s: %w", p, err)
		}
	}
	sort.Strings(out)
	return out, nil
}

// collect lists the inputs of a run, .zip uploads expanded into tmp. The run's budget (members and
// unpacked bytes over all its archives) is shared by the archives in order; an archive over its own or
// the run's budget becomes one refused input with a Chinese verdict, never an error for the batch.
func collect(paths []string, tmp string, lim Limits, names map[string]string) ([]input, error) {
	files, err := ListFiles(paths...)
	if err != nil {
		return nil, err
	}
	var out []input
	run := &zipBudget{files: lim.MaxRunFiles, bytes: lim.MaxRunUnzipped}
	for _, p := range files {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("ingest %s: %w", p, err)
		}
		name, display := filepath.Base(p), p
		if n, ok := names[p]; ok && n != "" {
			name, display = n, filepath.Join(filepath.Dir(p), n)
		}
		in := input{path: p, display: display, name: name, mtime: st.ModTime()}
		if strings.EqualFold(filepath.Ext(name), ".zip") || strings.EqualFold(filepath.Ext(p), ".zip") {
			members, ok, err := expandZip(in, tmp, lim, run)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, members...)
				continue
			}
		}
		out = append(out, in)
	}
	return out, nil
}

// parsed is one worker's outcome.
type parsed struct {
	i   int
	job *job
	err error
}

// process archives and parses the inputs with bounded parallelism and hands them back in input order
// through next (which blocks until input i is ready). At most window inputs are in flight or waiting
// beyond the one being consumed, which bounds memory whatever the order in which workers finish.
func process(ctx context.Context, rd *Reader, dataDir string, inputs []input, existing map[string]existingFile, opt Options) (next func(i int) (*job, error), stop func()) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	window := 4 * workers
	ctx, cancel := context.WithCancel(ctx)
	tokens := make(chan struct{}, window)
	todo := make(chan int)
	out := make(chan parsed, window)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range todo {
				j, err := processOne(rd, dataDir, inputs[i], existing)
				mu.Lock()
				done++
				if opt.Progress != nil {
					opt.Progress(done, len(inputs))
				}
				mu.Unlock()
				out <- parsed{i, j, err} // buffered to window: never blocks while tokens bound the flight
			}
		}()
	}
	go func() {
		defer close(todo)
		for i := range inputs {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case todo <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	pending := map[int]parsed{}
	next = func(i int) (*job, error) {
		for {
			if p, ok := pending[i]; ok {
				delete(pending, i)
				<-tokens
				return p.job, p.err
			}
			select {
			case p := <-out:
				pending[p.i] = p
			case <-ctx.Done():
				return nil, fmt.Errorf("ingest: %w", ctx.Err())
			}
		}
	}
	stop = func() {
		cancel()
		go func() {
			for range out { // let workers still holding a result finish
			}
		}()
		wg.Wait()
		close(out)
	}
	return next, stop
}

func processOne(rd *Reader, dataDir string, in input, existing map[string]existingFile) (*job, error) {
	j := &job{in: in}
	refused := in.refused
	keep := int64(-1)
	if st, err := os.Stat(in.path); err == nil && refused == nil && st.Size() > rd.Limits.MaxFileSize {
		refused = reject(CodeTooLarge, fmt.Sprintf("文件过大（%.1f MB，上限 %d MB），请删除清单以外的内容（如图片）后重新报送", float64(st.Size())/(1<<20), rd.Limits.MaxFileSize>>20), nil)
	}
	if refused != nil {
		keep = refusedPrefix // refused bytes are not archived beyond a prefix; the hash covers all
	}
	sha, size, rel, err := archive(dataDir, in.path, in.name, keep)
	if err != nil {
		return nil, err
	}
	j.sha, j.size, j.archive, j.key = sha, size, rel, sha
	if size == 0 {
		// Every empty file has the same hash: "empty" comes before duplicate detection, or one unit's
		// empty return would be credited to whoever sent an empty file first. An empty file is the same
		// as another only under the same name (the same unit sending it again).
		refused = reject(CodeEmpty, "文件是空的（0 字节），请重新导出并上传清单", nil)
		j.key = emptyKey(sha, in.name)
	}
	if _, ok := existing[j.key]; ok {
		j.dup, j.rej = true, refused
		return j, nil
	}
	var p *Parsed
	if refused != nil {
		err = refused
	} else {
		st, isStamped, serr := rd.ReadStamped(filepath.Join(dataDir, rel), in.name)
		if isStamped || serr != nil {
			if r, ok := AsRejection(serr); ok {
				j.rej = r
				return j, nil
			}
			j.stamped = st
			return j, serr
		}
		p, err = rd.Read(filepath.Join(dataDir, rel), in.name, in.mtime)
	}
	if err != nil {
		r, ok := AsRejection(err)
		if !ok {
			return nil, err
		}
		j.rej = r
		if rd.Unit != nil { // the link says who sent it, whatever the file says
			j.rejSubmitter, j.rejKind, j.rejByLink = rd.Unit.Name, rd.Unit.Kind, true
			return j, nil
		}
		// Who sent a rejected file is still worth knowing (the clerk writes back to them): the file
		// name is the only witness left.
		if r.Code != CodeUnknownSubmitter {
			if sub, ok := rd.Names.Resolve(fileNameStem(in.name)); ok {
				j.rejSubmitter, j.rejKind = sub.Name, sub.Kind
			}
		}
		return j, nil
	}
	j.parsed = p
	return j, nil
}

// emptyKey is files.sha256 of an empty file: the hash of nothing, then "#" and the name received.
func emptyKey(sha, name string) string { return sha + "#" + name }

// refusedPrefix is how much of a file refused for its size is archived: enough to see what it was.
const refusedPrefix = 64 << 10

// archive copies a received file to <datadir>/archive/<sha[:2]>/<sha256><ext> through a temp file
// and a rename, so the archive never holds a partial file under a final name. keep ≥ 0 archives only
// the first keep bytes, as <sha256>.prefix (the hash and size still cover the whole file): a refused
// file of hundreds of MB must not stay on disk for good.
func archive(dataDir, src, name string, keep int64) (sha string, size int64, rel string, err error) {
	in, err := os.Open(src)
	if err != nil {
		return "", 0, "", fmt.Errorf("archive %s: %w", src, err)
	}
	defer in.Close()
	dir := filepath.Join(dataDir, "archive")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", 0, "", fmt.Errorf("archive %s: %w", src, err)
	}
	tmp, err := os.CreateTemp(dir, incomingPrefix())
	if err != nil {
		return "", 0, "", fmt.Errorf("archive %s: %w", src, err)
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up on failure
	h := sha256.New()
	var w io.Writer = tmp
	if keep >= 0 {
		w = &prefixWriter{w: tmp, n: keep}
	}
	size, err = io.Copy(io.MultiWriter(w, h), in)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, "", fmt.Errorf("archive %s: %w", src, err)
	}
	sha = hex.EncodeToString(h.Sum(nil))
	ext := archiveExt(name)
	if keep >= 0 && size > keep {
		ext = ".prefix"
	}
	rel = filepath.ToSlash(filepath.Join("archive", sha[:2], sha+ext))
	final := filepath.Join(dataDir, filepath.FromSlash(rel))
	if _, err := os.Stat(final); err == nil {
		return sha, size, rel, nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return "", 0, "", fmt.Errorf("archive %s: %w", src, err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", 0, "", fmt.Errorf("archive %s: %w", src, err)
	}
	return sha, size, rel, nil
}

// prefixWriter writes the first n bytes to w and swallows the rest.
type prefixWriter struct {
	w io.Writer
	n int64
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	if p.n > 0 {
		k := b
		if int64(len(k)) > p.n {
			k = k[:p.n]
		}
		if _, err := p.w.Write(k); err != nil {
			return 0, err
		}
		p.n -= int64(len(k))
	}
	return len(b), nil
}

// StoredExt is the extension a received file is stored under: archiveExt of its name.
func StoredExt(name string) string { return archiveExt(name) }

// archiveExt keeps a plain extension (".xlsx") and drops anything odd a file name may carry.
func archiveExt(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	if len(ext) < 2 || len(ext) > 6 {
		return ""
	}
	for _, r := range ext[1:] {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return ""
		}
	}
	return ext
}

// write stores the run in one transaction on one connection. The appenders are created on that same
// connection after BEGIN, so their rows commit or roll back with it (TestAppenderInTransaction).
func write(ctx context.Context, db *queries.DB, rd *Reader, dataDir string, opt Options, started time.Time, inputs []input) (*Result, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("ingest write: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return nil, fmt.Errorf("ingest write: begin: %w", err)
	}
	testHook("begin")
	committed := false
	defer func() {
		if !committed {
			_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	existing, err := existingFiles(ctx, conn)
	if err != nil {
		return nil, err
	}
	var lastID, lastRun int
	if err := conn.QueryRowContext(ctx, mustSQL("next_ids")).Scan(&lastID, &lastRun); err != nil {
		return nil, fmt.Errorf("next_ids: %w", err)
	}
	res := &Result{RunID: lastRun + 1}
	if _, err := conn.ExecContext(ctx, mustSQL("insert_run"), res.RunID, started, nil, opt.Source, len(inputs)); err != nil {
		return nil, fmt.Errorf("insert_run: %w", err)
	}
	next, stop := process(ctx, rd, dataDir, inputs, existing, opt)
	results := make([]FileResult, len(inputs))
	seen := map[string]int{}
	var later []pendingProgress // progress returns, written after the plans (progress_write.go)
	err = conn.Raw(func(dc any) error {
		ap, err := openAppenders(dc.(driver.Conn))
		if err != nil {
			return err
		}
		for i := range inputs {
			j, err := next(i)
			if err == nil && j.parsed != nil && j.parsed.Progress != nil {
				later = append(later, pendingProgress{i, j})
				continue
			}
			if err == nil {
				results[i], err = appendJob(ap, j, res.RunID, started, existing, seen, results, &lastID)
				if _, ok := seen[j.key]; !ok {
					seen[j.key] = i
				}
			}
			if err != nil {
				ap.close()
				return err
			}
		}
		return ap.close()
	})
	stop()
	if err == nil && len(later) > 0 {
		err = writeProgress(ctx, conn, rd, opt, later, res.RunID, started, existing, seen, results, &lastID)
	}
	if err != nil {
		return nil, fmt.Errorf("ingest write: %w", err)
	}
	if _, err := conn.ExecContext(ctx, mustSQL("finish_run"), time.Now().UTC(), res.RunID); err != nil {
		return nil, fmt.Errorf("ingest write: finish run: %w", err)
	}
	if err := queries.Refresh(ctx, conn); err != nil {
		return nil, fmt.Errorf("ingest write: %w", err)
	}
	testHook("precommit")
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return nil, fmt.Errorf("ingest write: commit: %w", err)
	}
	committed = true
	testHook("committed")

	status := map[int]string{}
	rows, err := conn.QueryContext(ctx, mustSQL("run_status"), res.RunID)
	if err != nil {
		return nil, fmt.Errorf("run_status: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, fmt.Errorf("run_status: %w", err)
		}
		status[id] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("run_status: %w", err)
	}
	for i := range results {
		if results[i].Status == "" || results[i].Status == "rejected" {
			results[i].Status = status[results[i].SubmissionID]
		}
		if results[i].Status == "superseded" {
			results[i].Message = "已被同一单位更新的版本取代"
		}
	}
	res.Files = results
	return res, nil
}

// appendJob decides one file's fate (duplicate of a stored file, duplicate of an earlier file of this
// run, or a new submission numbered lastID+1) and appends its rows.
func appendJob(ap *appenders, j *job, runID int, at time.Time, existing map[string]existingFile, seen map[string]int, results []FileResult, lastID *int) (FileResult, error) {
	fr := FileResult{FileName: j.in.name, Path: j.in.display, SHA256: j.sha}
	if e, ok := existing[j.key]; ok {
		fr.Status, fr.SubmissionID, fr.Submitter = StatusDuplicate, e.id, e.submitter
		fr.Message = fmt.Sprintf("与已收到的文件（编号%d）内容完全相同，未重复入库", e.id)
		if j.size == 0 {
			fr.ReasonCode, fr.Message = CodeEmpty, fmt.Sprintf("文件是空的（0 字节），请重新导出并上传清单（同名的空文件已记录为编号%d）", e.id)
		} else if e.rejected {
			// The clerk re-sent a file that was refused: say it is still refused and why.
			code, msg, _ := strings.Cut(e.reason, ":")
			fr.ReasonCode = strings.TrimSpace(code)
			fr.Message = fmt.Sprintf("仍被拒收：%s（与编号%d的文件内容完全相同，请按原因修改后重新报送）", strings.TrimSpace(msg), e.id)
		}
		return fr, nil
	}
	if first, ok := seen[j.key]; ok {
		fr.Status, fr.SubmissionID, fr.Submitter = StatusDuplicate, results[first].SubmissionID, results[first].Submitter
		fr.Message = fmt.Sprintf("与本次同时收到的“%s”内容完全相同，未重复入库", results[first].FileName)
		if j.size == 0 {
			fr.ReasonCode, fr.Message = CodeEmpty, "文件是空的（0 字节），请重新导出并上传清单（与本次同时收到的同名空文件相同）"
		}
		return fr, nil
	}
	*lastID++
	fr.SubmissionID = *lastID
	if j.rej != nil {
		fr.Status, fr.ReasonCode, fr.Message = "rejected", j.rej.Code, j.rej.Message
		fr.Submitter, fr.Kind = j.rejSubmitter, j.rejKind
	} else if j.stamped != nil {
		fr.Status, fr.Submitter, fr.Kind = StatusReceived, j.stamped.Submitter.Name, j.stamped.Submitter.Kind
		fr.Message = fmt.Sprintf("已收到盖章扫描件（%d页）", j.stamped.Pages)
		fr.Warnings = len(j.stamped.Findings)
	} else {
		fr.Submitter, fr.Kind = j.parsed.Submitter.Name, j.parsed.Submitter.Kind
		fr.Measures = len(j.parsed.Rows)
		for _, f := range j.parsed.Findings {
			switch f.Severity {
			case SevWarning:
				fr.Warnings++
			case SevError:
				fr.Errors++
			}
		}
	}
	return fr, ap.add(j, fr.SubmissionID, runID, at)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// appenders write the run's files, measures, commitments and findings on the transaction's connection.
type appenders struct {
	files, measures, commits, finds *duckdb.Appender
}

func openAppenders(dc driver.Conn) (*appenders, error) {
	ap := &appenders{}
	for _, t := range []struct {
		table string
		dst   **duckdb.Appender
	}{{"files", &ap.files}, {"measure_rows", &ap.measures}, {"commitment_rows", &ap.commits}, {"finding_rows", &ap.finds}} {
		a, err := duckdb.NewAppenderFromConn(dc, "", t.table)
		if err != nil {
			ap.close()
			return nil, fmt.Errorf("appender %s: %w", t.table, err)
		}
		*t.dst = a
	}
	return ap, nil
}

// close flushes every appender into the transaction; the first error wins.
func (ap *appenders) close() error {
	var first error
	for _, a := range []*duckdb.Appender{ap.files, ap.measures, ap.commits, ap.finds} {
		if a == nil {
			continue
		}
		if err := a.Close(); err != nil && first == nil {
			first = fmt.Errorf("appender flush: %w", err)
		}
	}
	*ap = appenders{}
	return first
}

func (ap *appenders) add(j *job, submissionID, runID int, at time.Time) error {
	id := int32(submissionID)
	var submitter, kind, reason, sheet, unit, source, pages any
	modified := j.in.mtime.UTC().Truncate(time.Second)
	rejected := j.rej != nil
	docKind := DocChecklist
	if j.stamped != nil || j.rej != nil && j.rej.Code == CodeStampedUnnamed {
		docKind = DocStamped
	}
	var findings []Finding
	switch {
	case rejected:
		reason = j.rej.Reason()
		if j.rejSubmitter != "" {
			submitter, kind, source = j.rejSubmitter, j.rejKind, IdentityFileName
			if j.rejByLink {
				source = IdentityLink
			}
		}
	case j.stamped != nil:
		st := j.stamped
		submitter, kind, source = st.Submitter.Name, st.Submitter.Kind, IdentityFileName
		modified = stampedTime(st, j.in.mtime)
		if st.Pages > 0 {
			pages = int32(st.Pages)
		}
		findings = st.Findings
	default:
		p := j.parsed
		submitter, kind = p.Submitter.Name, p.Submitter.Kind
		sheet, unit, source = p.Sheet, nullable(p.UnitCell), p.IdentitySource
		modified = p.ModifiedAt
	}
	// files.sha256 is unique, and every empty file has the same hash: an empty file's row carries its
	// name after the hash (emptyKey), so each unit's empty return is its own row.
	if err := ap.files.AppendRow(id, int32(runID), j.in.name, j.in.display, j.archive, j.key, j.size,
		submitter, kind, modified, at, rejected, reason, sheet, unit, source, docKind, pages); err != nil {
		return fmt.Errorf("files %s: %w", j.in.name, err)
	}
	if rejected {
		return nil
	}
	if j.stamped != nil {
		return ap.addFindings(id, j.in.name, findings)
	}
	for _, r := range j.parsed.Rows {
		var task, due any
		if r.TaskNo > 0 {
			task = int32(r.TaskNo)
		}
		if !r.DueDate.IsZero() {
			due = r.DueDate
		}
		if err := ap.measures.AppendRow(id, r.Sheet, int32(r.Row), nullable(r.PrintedNo), nullable(r.AreaText),
			nullable(r.TaskText), task, r.Method, r.Score, r.Measure, nullable(r.Goal), nullable(r.Owner),
			nullable(r.Due), due, r.Ongoing); err != nil {
			return fmt.Errorf("measure_rows %s row %d: %w", j.in.name, r.Row, err)
		}
		for _, c := range r.Commitments {
			if err := ap.commits.AppendRow(id, r.Sheet, int32(r.Row), int32(c.Seq), task, nullable(c.Metric),
				c.Value, nullable(c.Unit), c.Source, nullable(c.UnitWritten)); err != nil {
				return fmt.Errorf("commitment_rows %s row %d: %w", j.in.name, r.Row, err)
			}
		}
	}
	return ap.addFindings(id, j.in.name, j.parsed.Findings)
}

func (ap *appenders) addFindings(id int32, name string, findings []Finding) error {
	for _, f := range findings {
		var row any
		if f.Row > 0 {
			row = int32(f.Row)
		}
		if err := ap.finds.AppendRow(id, nullable(f.Sheet), row, f.Severity, f.Code, f.Message); err != nil {
			return fmt.Errorf("finding_rows %s: %w", name, err)
		}
	}
	return nil
}
