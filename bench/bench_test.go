package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lnvedash/ingest"
	"lnvedash/queries"
	"lnvedash/seeds"
)

// The benchmarks of this package run at the scales in LNVEDASH_BENCH_FILES (default 100; make bench
// sets 1000,10000), and, when LNVEDASH_BENCH_UNITS is set ("66,2000"), over rosters of that many
// units each: 66 is Liaoning's own roster, more is a national one (NationalRoster, in provinces of
// 66), its seed folder given to the ingest and to the served binary (--seeds). Per scale, the corpus
// is generated once per test binary run into a temp folder, and the database of the last ingest is
// kept there for the view, page and SQL benchmarks; the folder is removed when the run ends.
//
//	go test -run '^$' -bench . -benchtime 1x -count 3 ./bench/        (make bench)
//	LNVEDASH_BENCH_FILES=100 go test -run '^$' -bench . -benchtime 1x ./bench/
//	LNVEDASH_BENCH_FILES=10000 LNVEDASH_BENCH_UNITS=66,2000 go test -run '^$' -bench 'Views|Pages' -benchtime 1x -count 3 ./bench/
//
// Ingest and the bare read run in child processes (this test binary re-executed), so each gets its
// own peak RSS from the kernel's rusage.

const childEnv = "LNVEDASH_BENCH_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "ingest":
		os.Exit(childIngest(os.Getenv("LNVEDASH_BENCH_DB"), os.Getenv("LNVEDASH_BENCH_DIR"), os.Getenv("LNVEDASH_BENCH_SEEDS")))
	case "bare":
		os.Exit(childBare(os.Getenv("LNVEDASH_BENCH_DIR")))
	}
	code := m.Run()
	stopServers()
	if scratch != "" {
		os.RemoveAll(scratch)
	}
	os.Exit(code)
}

// childReport is what a child prints on stdout.
type childReport struct {
	WorkNS   int64 `json:"work_ns"` // the work alone: open, ingest/read, close
	Files    int   `json:"files"`
	Rejected int   `json:"rejected"`
	Measures int   `json:"measures"`
	Rows     int   `json:"rows"`
}

// childIngest is one `lnvedash ingest [--seeds seedDir]` of a folder into a new database file: open
// (schema, seeds), ingest.Run (archive, parse on NumCPU workers, one transaction), close (checkpoint).
func childIngest(dbPath, dir, seedDir string) int {
	ctx := context.Background()
	if p := os.Getenv("LNVEDASH_BENCH_CPUPROFILE"); p != "" { // where the time goes: go tool pprof
		if f, err := os.Create(p); err == nil {
			_ = pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	start := time.Now()
	ingest.LimitGoMemory()
	opt := queries.Options{MemoryLimit: ingest.MemoryLimit} // as lnvedash ingest runs
	if seedDir != "" {
		set, err := seeds.LoadDir(seedDir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		opt.Seeds = set
	}
	db, err := queries.Open(ctx, dbPath, opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	res, err := ingest.Run(ctx, db, ingest.Options{Source: "cli"}, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := db.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	rep := childReport{WorkNS: int64(time.Since(start)), Files: len(res.Files)}
	for _, f := range res.Files {
		if f.Status == "rejected" {
			rep.Rejected++
			fmt.Fprintf(os.Stderr, "rejected %s: %s %s\n", f.Path, f.ReasonCode, f.Message)
		}
		rep.Measures += f.Measures
	}
	_ = json.NewEncoder(os.Stdout).Encode(rep)
	return 0
}

// childBare is the floor: excelize's streaming read of every sheet of every file, nothing else, on
// as many workers as ingest uses (runtime.NumCPU()), with the same unzip limits.
func childBare(dir string) int {
	start := time.Now()
	var paths []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".xlsx") {
			paths = append(paths, p)
		}
		return err
	})
	work := make(chan string)
	var mu sync.Mutex
	rows, failed := 0, 0
	var wg sync.WaitGroup
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				n, err := bareRead(p)
				mu.Lock()
				rows += n
				if err != nil {
					failed++
					fmt.Fprintln(os.Stderr, p, err)
				}
				mu.Unlock()
			}
		}()
	}
	for _, p := range paths {
		work <- p
	}
	close(work)
	wg.Wait()
	if failed > 0 {
		return 1
	}
	_ = json.NewEncoder(os.Stdout).Encode(childReport{WorkNS: int64(time.Since(start)), Files: len(paths), Rows: rows})
	return 0
}

func bareRead(p string) (int, error) {
	f, err := excelize.OpenFile(p, excelize.Options{UnzipSizeLimit: ingest.DefaultLimits.MaxUnzipped,
		UnzipXMLSizeLimit: ingest.DefaultLimits.MaxXMLMemory, RawCellValue: true})
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			return n, err
		}
		for rows.Next() {
			if _, err := rows.Columns(); err != nil {
				rows.Close()
				return n, err
			}
			n++
		}
		if err := rows.Error(); err != nil {
			rows.Close()
			return n, err
		}
		rows.Close()
	}
	return n, nil
}

// Per-run scratch: rosters, corpora and the latest database per scale.
var (
	scratchMu sync.Mutex
	scratch   string
	rosters   = map[int]*rosterRun{}
	corpora   = map[scale]*Corpus{}
	dbs       = map[scale]string{}
	binPath   string
)

// scale is one corpus the benchmarks run on: n files over a roster of units (0: the embedded roster,
// LNVEDASH_BENCH_UNITS unset, and the benchmark names say nothing of units).
type scale struct{ n, units int }

func (s scale) String() string {
	if s.units == 0 {
		return fmt.Sprintf("files=%d", s.n)
	}
	return fmt.Sprintf("files=%d/units=%d", s.n, s.units)
}

// scales crosses Sizes(def) with RosterSizes(), the units rounded up to whole provinces.
func scales(def int) []scale {
	var out []scale
	for _, n := range Sizes(def) {
		for _, u := range RosterSizes() {
			if u > 0 {
				u = max(1, (u+unitsPerProvince-1)/unitsPerProvince) * unitsPerProvince
			}
			out = append(out, scale{n, u})
		}
	}
	return out
}

// rosterRun is a roster and its seed folder ("" for Liaoning's own: the embedded seeds).
type rosterRun struct {
	*Roster
	seedDir string
}

// rosterFor builds the roster of the given units once per run and writes its seed folder.
func rosterFor(tb testing.TB, units int) *rosterRun {
	if r, ok := rosters[units]; ok {
		return r
	}
	r, err := NationalRoster(units)
	if err != nil {
		tb.Fatal(err)
	}
	run := &rosterRun{Roster: r}
	if len(r.Provinces) > 1 {
		run.seedDir = filepath.Join(scratchDir(tb), fmt.Sprintf("seeds-%d", units))
		if _, err := r.WriteSeeds(run.seedDir); err != nil {
			tb.Fatal(err)
		}
	}
	rosters[units] = run
	return run
}

// seedDir is the seed folder of the scale's roster, "" for the embedded one.
func seedDir(tb testing.TB, s scale) string {
	scratchMu.Lock()
	defer scratchMu.Unlock()
	if s.units == 0 {
		return ""
	}
	return rosterFor(tb, s.units).seedDir
}

func scratchDir(tb testing.TB) string {
	if scratch == "" {
		d, err := os.MkdirTemp("", "lnvedash-bench-")
		if err != nil {
			tb.Fatal(err)
		}
		scratch = d
	}
	return scratch
}

// corpus returns the scale's corpus, generating it on first use in this run.
func corpus(tb testing.TB, s scale) *Corpus {
	scratchMu.Lock()
	defer scratchMu.Unlock()
	if c, ok := corpora[s]; ok {
		return c
	}
	start := time.Now()
	var r *Roster
	if s.units > 0 {
		r = rosterFor(tb, s.units).Roster
	}
	c, err := GenerateRoster(filepath.Join(scratchDir(tb), fmt.Sprintf("corpus-%d-%d", s.n, s.units)), s.n, r)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("%v: corpus of %d checklists (%.1f MB) generated in %v", s, s.n, float64(c.Bytes)/1e6, time.Since(start).Round(time.Millisecond))
	corpora[s] = c
	return c
}

func child(tb testing.TB, mode string, env ...string) (*Usage, childReport) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), childEnv+"="+mode), env...)
	u, err := RunChild(cmd)
	if err != nil {
		tb.Fatal(err)
	}
	var rep childReport
	if err := json.Unmarshal(bytes.TrimSpace(u.Output), &rep); err != nil {
		tb.Fatalf("child %s: %v: %q", mode, err, u.Output)
	}
	return u, rep
}

// ingestOnce ingests the scale's corpus into a new database and returns its path and cost.
func ingestOnce(tb testing.TB, s scale) (string, *Usage, childReport) {
	c := corpus(tb, s)
	dir, err := os.MkdirTemp(scratchDir(tb), fmt.Sprintf("db-%d-%d-", s.n, s.units))
	if err != nil {
		tb.Fatal(err)
	}
	db := filepath.Join(dir, "lnvedash.duckdb")
	u, rep := child(tb, "ingest", "LNVEDASH_BENCH_DB="+db, "LNVEDASH_BENCH_DIR="+c.Dir, "LNVEDASH_BENCH_SEEDS="+seedDir(tb, s))
	if rep.Files != s.n || rep.Rejected != 0 {
		tb.Fatalf("%v: ingest of %d files: %d results, %d rejected\n%s", s, s.n, rep.Files, rep.Rejected, tail(string(u.Stderr), 2000))
	}
	scratchMu.Lock()
	if old, ok := dbs[s]; ok && old != db {
		os.RemoveAll(filepath.Dir(old))
	}
	dbs[s] = db
	scratchMu.Unlock()
	return db, u, rep
}

// database returns a database holding the scale's corpus, ingesting it if no benchmark has yet.
func database(tb testing.TB, s scale) string {
	scratchMu.Lock()
	db, ok := dbs[s]
	scratchMu.Unlock()
	if ok {
		return db
	}
	db, u, _ := ingestOnce(tb, s)
	tb.Logf("%v: ingested %d checklists for the benchmark in %v", s, s.n, u.Wall.Round(time.Millisecond))
	return db
}

// BenchmarkIngest: files/s, MB/s and peak RSS of ingesting N generated checklists into a new
// database file (child process: open, ingest.Run, close), beside the bare excelize streaming read of
// the same files. The ratio that matters is ingest ns/op ÷ bare ns/op (aim ≤ 1.5).
func BenchmarkIngest(b *testing.B) {
	for _, sc := range scales(100) {
		n, c := sc.n, corpus(b, sc)
		b.Run(sc.String()+"/bare", func(b *testing.B) {
			var work, cpu time.Duration
			var rss int64
			for i := 0; i < b.N; i++ {
				u, rep := child(b, "bare", "LNVEDASH_BENCH_DIR="+c.Dir)
				if rep.Files != n {
					b.Fatalf("bare read %d of %d files", rep.Files, n)
				}
				work += time.Duration(rep.WorkNS)
				cpu += u.User + u.System
				rss = max(rss, u.MaxRSS)
			}
			report(b, n, c.Bytes, work, cpu, rss)
		})
		b.Run(sc.String()+"/ingest", func(b *testing.B) {
			var work, cpu time.Duration
			var rss int64
			for i := 0; i < b.N; i++ {
				db, u, rep := ingestOnce(b, sc)
				var size int64
				for _, suffix := range []string{"", ".wal"} {
					if st, err := os.Stat(db + suffix); err == nil {
						size += st.Size()
					}
				}
				b.ReportMetric(float64(size)/(1<<20), "db-MiB")
				work += time.Duration(rep.WorkNS)
				cpu += u.User + u.System
				rss = max(rss, u.MaxRSS)
				b.ReportMetric(float64(rep.Measures), "measures")
			}
			report(b, n, c.Bytes, work, cpu, rss)
		})
	}
}

// report gives files/s and MB/s over the child's own work time, its peak RSS, and its CPU time
// (user+system of the whole child), which a shared machine disturbs less than the wall clock.
func report(b *testing.B, n int, size int64, work, cpu time.Duration, rss int64) {
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s")
	per := work.Seconds() / float64(b.N)
	b.ReportMetric(float64(n)/per, "files/s")
	b.ReportMetric(float64(size)/1e6/per, "MB/s")
	b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(per, "work-s")
}

// reps is how many timed repetitions each view, page and SQL sub-benchmark makes per b.N iteration
// (LNVEDASH_BENCH_REPS, default 7); ns/op is then their median, robust to a noisy shared machine.
func reps() int {
	if v, err := strconv.Atoi(os.Getenv("LNVEDASH_BENCH_REPS")); err == nil && v > 0 {
		return v
	}
	return 7
}

// timed runs fn reps()×b.N times and reports the median as ns/op, and the fastest as min-ms.
func timed(b *testing.B, fn func(i int)) {
	var d []time.Duration
	i := 0
	for b.Loop() {
		for r := 0; r < reps(); r++ {
			i++
			t0 := time.Now()
			fn(i)
			d = append(d, time.Since(t0))
		}
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Nanoseconds()), "ns/op")
	b.ReportMetric(float64(d[0])/1e6, "min-ms")
}

// BenchmarkViews times every analyst view (duckdb_views(), not internal) in the database of N ingested
// checklists, opened read-only in this process, two ways:
//
//   - engine: DuckDB computes the view's whole answer — every row and column of SELECT * — and
//     hashes every value of it (engineSQL), so nothing can be pruned and nothing crosses into Go.
//     This is the view's own cost, the figure the 50 ms aim is about.
//   - readout: every row scanned into Go through database/sql, what a caller that wants all of it
//     pays. It grows with rows × columns whatever the view does: the reference line
//     table=measure_rows reads the base table all_measures is built on, with no view at all.
func BenchmarkViews(b *testing.B) {
	ctx := context.Background()
	for _, sc := range scales(100) {
		path := database(b, sc)
		db, err := queries.Open(ctx, path, queries.Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		var views []string
		rows, err := db.QueryContext(ctx, `SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY 1`)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				b.Fatal(err)
			}
			views = append(views, "view="+v)
		}
		rows.Close()
		for _, v := range append(views, "table=measure_rows") {
			from := `"` + v[strings.IndexByte(v, '=')+1:] + `"`
			b.Run(fmt.Sprintf("%v/%s/engine", sc, v), func(b *testing.B) {
				timed(b, func(int) {
					var h any
					if err := db.QueryRowContext(ctx, engineSQL(from)).Scan(&h); err != nil {
						b.Fatal(err)
					}
				})
			})
			b.Run(fmt.Sprintf("%v/%s/readout", sc, v), func(b *testing.B) {
				nrows := 0
				timed(b, func(int) {
					rows, err := db.QueryContext(ctx, `SELECT * FROM `+from)
					if err != nil {
						b.Fatal(err)
					}
					cols, _ := rows.Columns()
					vals := make([]any, len(cols))
					ptrs := make([]any, len(cols))
					for i := range vals {
						ptrs[i] = &vals[i]
					}
					nrows = 0
					for rows.Next() {
						if err := rows.Scan(ptrs...); err != nil {
							b.Fatal(err)
						}
						nrows++
					}
					if err := rows.Err(); err != nil {
						b.Fatal(err)
					}
					rows.Close()
				})
				b.ReportMetric(float64(nrows), "rows")
			})
		}
		db.Close()
	}
}

// engineSQL makes DuckDB compute every value of SELECT * FROM from and fold them into one hash:
// hash of the whole row reads every column (a count(*) would let the optimiser drop them), and the
// one-row answer leaves the Go driver's per-value conversion out of the figure. EXPLAIN ANALYZE
// would do the same but adds the profiler's overhead, up to 2× on the small views.
func engineSQL(from string) string {
	return `SELECT bit_xor(hash(t)) FROM (SELECT * FROM ` + from + `) t`
}

// page is one dashboard URL to time.
type page struct{ name, path string }

// pagesFor lists the leadership pages with real parameters taken from the database.
func pagesFor(b *testing.B, path string) []page {
	scratchMu.Lock()
	defer scratchMu.Unlock()
	if ps, ok := pageLists[path]; ok {
		return ps // the database is served by now: another process cannot open it
	}
	ctx := context.Background()
	db, err := queries.Open(ctx, path, queries.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var college, sheet string
	var sid, row int
	q := func(dst []any, sql string) {
		if err := db.QueryRowContext(ctx, sql).Scan(dst...); err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
	}
	dept, err := db.ResolveDepartment(ctx, "省人社厅")
	if err != nil {
		b.Fatal(err)
	}
	q([]any{&college}, `SELECT submitter FROM submissions WHERE status = 'current' AND kind <> 'city' ORDER BY submitter LIMIT 1`)
	q([]any{&sid, &sheet, &row}, `SELECT submission_id, sheet, "row" FROM measures ORDER BY submission_id DESC, "row" LIMIT 1`)
	pageLists[path] = []page{
		{"overview", "/"},
		{"tasks", "/tasks"},
		{"task", "/tasks/24"},
		{"cities", "/cities"},
		{"city", "/cities/" + url.PathEscape("大连市")},
		{"colleges", "/colleges"},
		{"college", "/colleges/" + url.PathEscape(college)},
		{"departments", "/departments"},
		{"department", "/departments/" + url.PathEscape(dept)},
		{"returns", "/returns"},
		{"diff", "/returns/diff?submitter=" + url.QueryEscape("沈阳市")}, // current against the one before,
		{"submission", fmt.Sprintf("/submissions/%d", sid)},
		{"source", fmt.Sprintf("/source?sid=%d&sheet=%s&row=%d", sid, url.QueryEscape(sheet), row)},
		{"search", "/search?q=" + url.QueryEscape("产业学院")},
	}
	return pageLists[path]
}

var pageLists = map[string][]page{}

// client keeps connections alive, asks for gzip as browsers do, and does not follow redirects (a
// redirect would time a different page).
var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: 2 * time.Minute,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(b *testing.B, u string) int {
	resp, err := client.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("GET %s: %d %s", u, resp.StatusCode, tail(string(body), 500))
	}
	return len(body)
}

// serveN serves the database of N checklists with the real binary (its SQL console workers
// included) on a loopback port. One server per size is shared by the page and SQL benchmarks (and
// their -count repetitions), so the page-cache warm-up happens once; TestMain stops them.
func serveN(b *testing.B, sc scale) *Served {
	db := database(b, sc)
	seeds := seedDir(b, sc)
	scratchMu.Lock()
	defer scratchMu.Unlock()
	if s, ok := servers[sc]; ok && s.db == db {
		return s.Served
	} else if ok {
		_ = s.Stop()
		delete(servers, sc)
	}
	if binPath == "" {
		p, err := Binary(scratchDir(b))
		if err != nil {
			b.Fatal(err)
		}
		binPath = p
	}
	start := time.Now()
	var extra []string
	if seeds != "" {
		extra = []string{"--seeds", seeds}
	}
	s, err := Serve(context.Background(), binPath, db, extra...)
	if err != nil {
		b.Fatal(err)
	}
	// Let the background warm-up of the page cache finish before timing anything.
	warm, err := s.WaitIdle(3*time.Second, 20*time.Minute)
	if err != nil {
		s.Stop()
		b.Fatal(err)
	}
	b.Logf("%v: serve listening after %v, page-cache warm-up quiet %v later", sc, s.started.Sub(start).Round(time.Millisecond), warm.Round(time.Millisecond))
	servers[sc] = served{s, db}
	return s
}

type served struct {
	*Served
	db string
}

var servers = map[scale]served{}

func stopServers() {
	scratchMu.Lock()
	defer scratchMu.Unlock()
	for n, s := range servers {
		_ = s.Stop()
		delete(servers, n)
	}
}

// BenchmarkPages times each leadership page of `lnvedash serve` over loopback HTTP at N checklists:
// cold (a query parameter the page ignores makes every request miss the page cache, so the queries
// and the template run each time: it must be one the cache keys on — dashboard's pageParams — or the
// cache drops it and answers; severity is read by the table exports only) and warm (the same URL again: the page cache answers). The aim is
// cold < 50 ms at 1,000 checklists.
func BenchmarkPages(b *testing.B) {
	for _, sc := range scales(100) {
		pages := pagesFor(b, database(b, sc))
		s := serveN(b, sc)
		for _, p := range pages {
			sep := "?"
			if strings.Contains(p.path, "?") {
				sep = "&"
			}
			b.Run(fmt.Sprintf("%v/page=%s/cold", sc, p.name), func(b *testing.B) {
				size := 0
				timed(b, func(i int) {
					size = get(b, fmt.Sprintf("%s%s%sseverity=%d-%d", s.URL, p.path, sep, time.Now().UnixNano(), i))
				})
				b.ReportMetric(float64(size)/1024, "KiB")
			})
			b.Run(fmt.Sprintf("%v/page=%s/warm", sc, p.name), func(b *testing.B) {
				get(b, s.URL+p.path)
				timed(b, func(int) { get(b, s.URL+p.path) })
			})
		}
	}
}

// BenchmarkSQL is the SQL console's round trip through the served app: POST /api/sql with JSON, the
// sandbox worker process runs the statement on the snapshot, the JSON result comes back.
func BenchmarkSQL(b *testing.B) {
	stmts := []struct{ name, sql string }{
		{"select1", "SELECT 1 AS one"},
		{"count", "SELECT count(*) AS n FROM measures"},
		{"group", "SELECT task_no, count(*) AS measures, count(DISTINCT submitter) AS submitters FROM measures GROUP BY ALL ORDER BY 1"},
		{"rows1000", "SELECT * FROM measures LIMIT 1000"},
	}
	for _, sc := range scales(100) {
		s := serveN(b, sc)
		for _, st := range stmts {
			b.Run(fmt.Sprintf("%v/sql=%s", sc, st.name), func(b *testing.B) {
				body, _ := json.Marshal(map[string]any{"sql": st.sql, "format": "json"})
				size := 0
				timed(b, func(int) {
					resp, err := client.Post(s.URL+"/api/sql", "application/json", bytes.NewReader(body))
					if err != nil {
						b.Fatal(err)
					}
					out, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Fatalf("POST /api/sql %q: %d %s", st.sql, resp.StatusCode, tail(string(out), 500))
					}
					size = len(out)
				})
				b.ReportMetric(float64(size)/1024, "KiB")
			})
		}
	}
}

// TestCorpus checks the generator: distinct hashes, every file a checklist the ingest accepts and
// credits to the unit it was made for, with no evidence in it naming another (no submitter_conflict)
// — for Liaoning's corpus, and for a national one of two provinces, where every copied file must name
// its own unit everywhere. Expected counts come from sample-data/MANIFEST.csv: 57 returned files of
// 55 units (12 cities: 铁岭 and 朝阳 send nothing).
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests")
	}
	two, err := NationalRoster(100)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name          string
		roster        *Roster
		files         int
		units, cities int // distinct current senders
	}{
		{"liaoning", nil, 60, 55, 12},
		{"two provinces", two, 2*57 + 3, 110, 24},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := GenerateRoster(t.TempDir(), tc.files, tc.roster)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Paths) != tc.files || len(c.Units) != tc.files {
				t.Fatalf("%d files, %d units", len(c.Paths), len(c.Units))
			}
			ctx := context.Background()
			opt := queries.Options{}
			if tc.roster != nil {
				if opt.Seeds, err = tc.roster.WriteSeeds(t.TempDir()); err != nil {
					t.Fatal(err)
				}
			}
			db, err := queries.Open(ctx, "", opt)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			res, err := ingest.Run(ctx, db, ingest.Options{DataDir: t.TempDir()}, c.Dir)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{}
			for i, p := range c.Paths {
				want[p] = c.Units[i]
			}
			status := map[string]int{}
			for _, f := range res.Files {
				status[f.Status]++
				if f.Status == "rejected" || f.Status == ingest.StatusDuplicate {
					t.Errorf("%s: %s %s", f.Path, f.Status, f.Message)
				} else if w, ok := want[f.Path]; !ok || f.Submitter != w {
					t.Errorf("%s: credited to %q, made for %q", f.Path, f.Submitter, w)
				}
			}
			if len(res.Files) != tc.files {
				t.Errorf("%d results for %d files", len(res.Files), tc.files)
			}
			var conflicts, units, cities, rostered int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM findings WHERE code = 'submitter_conflict'`).Scan(&conflicts); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT submitter), count(DISTINCT submitter) FILTER (WHERE kind = 'city')
				FROM submissions WHERE status = 'current'`).Scan(&units, &cities); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM submitters`).Scan(&rostered); err != nil {
				t.Fatal(err)
			}
			if conflicts != 0 || units != tc.units || cities != tc.cities {
				t.Errorf("%d submitter_conflict findings, %d current units (%d cities); want 0, %d (%d)", conflicts, units, cities, tc.units, tc.cities)
			}
			if wantRostered := 66 * max(1, len(tc.roster.provinces())); rostered != wantRostered {
				t.Errorf("%d rostered units, want %d", rostered, wantRostered)
			}
			t.Logf("%d files (%.1f MB): %v", len(res.Files), float64(c.Bytes)/1e6, status)
		})
	}
}

// TestNationalRoster checks the roster's names against the rule worked by hand, and that the
// largest roster loads back (unique names and aliases, every college in a city of the roster).
func TestNationalRoster(t *testing.T) {
	r, err := NationalRoster(2000)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Provinces) != 31 || r.Units() != 31*66 {
		t.Fatalf("%d provinces, %d units; want 31 and 2046", len(r.Provinces), r.Units())
	}
	set, err := r.WriteSeeds(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Cities()) != 31*14 || len(set.Schools()) != 31*52 {
		t.Errorf("%d cities, %d colleges; want 434 and 1612", len(set.Cities()), len(set.Schools()))
	}
	// Province 1 is 河北: names with 辽宁 in them take 河北, names with no place get it in front.
	city, _, _ := r.Clone(1, "沈阳市")
	stem := strings.TrimSuffix(city.Name, "市")
	for liaoning, want := range map[string]seeds.Submitter{
		"辽宁机电职业技术学院": {Name: "河北机电职业技术学院", Aliases: []string{"河北机电职院", "河北机电"}},
		"渤海船舶职业学院":   {Name: "河北渤海船舶职业学院", Aliases: []string{"河北渤海船舶职院", "河北渤船职院"}},
		"沈阳职业技术学院":   {Name: stem + "职业技术学院", City: city.Name, Aliases: []string{stem + "职院", "河北沈职院"}},
		"辽宁理工职业大学":   {Name: "河北理工职业大学", Level: "职业本科", Ownership: "民办"},
	} {
		got, rename, ok := r.Clone(1, liaoning)
		if !ok {
			t.Fatalf("%s not copied", liaoning)
		}
		if got.Name != want.Name || want.Aliases != nil && strings.Join(got.Aliases, "|") != strings.Join(want.Aliases, "|") ||
			want.City != "" && got.City != want.City || want.Level != "" && (got.Level != want.Level || got.Ownership != want.Ownership) {
			t.Errorf("%s → %+v, want %+v", liaoning, got, want)
		}
		if s := rename("单位：" + liaoning + "（盖章）"); s != "单位："+want.Name+"（盖章）" {
			t.Errorf("rename of %s's 单位 cell: %q", liaoning, s)
		}
	}
	if len([]rune(stem)) != 2 || strings.Contains("沈阳大连鞍山抚顺本溪丹东锦州营口阜新辽阳盘锦铁岭朝阳葫芦岛", stem) {
		t.Errorf("河北's first city %q: want an invented two-character name", city.Name)
	}
	if _, _, ok := r.Clone(1, "辽宁大学"); ok {
		t.Error("a university was copied")
	}
}
