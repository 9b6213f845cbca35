// Command loadtest is the loopback load test of `lnvedash serve` (make load): it generates a corpus
// of -files checklists (bench.Generate), ingests it with `lnvedash ingest` into a temp database,
// starts `lnvedash serve` on a random loopback port, and loads /healthz, the overview, a task page, a
// city page and the SQL API in turn with -c concurrent connections for -d each. It prints
// requests/s, latency percentiles, errors (transport errors and non-2xx; any makes the exit status 1)
// and the server's RSS before and after, and removes everything it made.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"lnvedash/bench"
	"lnvedash/loadtest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run() error {
	bin := flag.String("bin", "", "lnvedash binary (default: $LNVEDASH_BIN, else go build)")
	files := flag.Int("files", 1000, "checklists in the generated corpus")
	conns := flag.Int("c", 64, "concurrent connections")
	dur := flag.Duration("d", 30*time.Second, "duration per endpoint")
	maxReq := flag.Int("max", 5_000_000, "at most this many requests per endpoint")
	gzip := flag.Bool("gzip", true, "send Accept-Encoding: gzip as browsers do")
	only := flag.String("only", "", "comma-separated endpoint names to run (default all)")
	jsonOut := flag.String("json", "", "also write the results as JSON to this file")
	flag.Parse()
	if *dur > 2*time.Minute || *conns > 512 {
		return fmt.Errorf("-d at most 2m and -c at most 512")
	}

	tmp, err := os.MkdirTemp("", "lnvedash-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if *bin != "" {
		os.Setenv("LNVEDASH_BIN", *bin)
	}
	exe, err := bench.Binary(tmp)
	if err != nil {
		return err
	}
	fmt.Println("machine:", bench.Machine())

	start := time.Now()
	c, err := bench.Generate(filepath.Join(tmp, "corpus"), *files)
	if err != nil {
		return err
	}
	db := filepath.Join(tmp, "data", "lnvedash.duckdb")
	if err := os.MkdirAll(filepath.Dir(db), 0o755); err != nil {
		return err
	}
	u, err := bench.RunChild(exec.Command(exe, "ingest", "--db", db, c.Dir))
	if err != nil {
		return err
	}
	fmt.Printf("corpus: %d checklists, %.1f MB, generated and ingested in %v (ingest %v, peak RSS %.0f MiB)\n",
		*files, float64(c.Bytes)/1e6, time.Since(start).Round(time.Millisecond), u.Wall.Round(time.Millisecond), float64(u.MaxRSS)/(1<<20))

	ctx := context.Background()
	srv, err := bench.Serve(ctx, exe, db)
	if err != nil {
		return err
	}
	defer srv.Stop()
	// The dashboard warms its page cache in the background after start: load only once it is quiet.
	warm, err := srv.WaitIdle(3*time.Second, 15*time.Minute)
	if err != nil {
		return err
	}
	fmt.Printf("server quiet (page-cache warm-up done) %v after /healthz answered\n", warm.Round(time.Millisecond))
	pid := srv.Pid()
	rss := func() float64 {
		v, err := bench.ProcStatus(pid, "VmRSS")
		if err != nil {
			return -1
		}
		return float64(v) / (1 << 20)
	}
	sqlBody, _ := json.Marshal(map[string]string{"sql": "SELECT task_no, count(*) AS measures FROM measures GROUP BY ALL ORDER BY 1", "format": "json"})
	targets := []loadtest.Target{
		{Name: "healthz", URL: srv.URL + "/healthz"},
		{Name: "overview", URL: srv.URL + "/"},
		{Name: "task", URL: srv.URL + "/tasks/24"},
		{Name: "city", URL: srv.URL + "/cities/" + url.PathEscape("大连市")},
		{Name: "api-sql", Method: "POST", URL: srv.URL + "/api/sql", Body: sqlBody, Type: "application/json"},
	}
	if *only != "" {
		var keep []loadtest.Target
		for _, t := range targets {
			if strings.Contains(","+*only+",", ","+t.Name+",") {
				keep = append(keep, t)
			}
		}
		targets = keep
	}
	// One request each first: every endpoint must answer 200 before it is loaded.
	for _, t := range targets {
		r, err := loadtest.Run(t, loadtest.Config{Connections: 1, Duration: time.Minute, MaxRequests: 1, Gzip: *gzip})
		if err != nil {
			return err
		}
		if r.Errors > 0 {
			return fmt.Errorf("%s %s: %s", t.Name, t.URL, r.FirstErr)
		}
	}
	rssStart := rss()
	fmt.Printf("server pid %d at %s, RSS %.1f MiB after one request each\n\n", pid, srv.URL, rssStart)
	type row struct {
		*loadtest.Result
		RSSBefore, RSSAfter float64
	}
	var rows []row
	errorsTotal := 0
	for _, t := range targets {
		before := rss()
		r, err := loadtest.Run(t, loadtest.Config{Connections: *conns, Duration: *dur, MaxRequests: *maxReq, Gzip: *gzip})
		if err != nil {
			return fmt.Errorf("%s: %w", t.Name, err)
		}
		rows = append(rows, row{r, before, rss()})
		errorsTotal += r.Errors
		fmt.Printf("%-9s %9.0f req/s  p50 %v  p99 %v  errors %d\n", t.Name, r.RPS, r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.Errors)
	}
	hwm, _ := bench.ProcStatus(pid, "VmHWM")

	fmt.Println()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "endpoint\trequests\treq/s\tp50\tp90\tp99\tmax\terrors\tKiB/resp\tRSS before MiB\tRSS after MiB\t")
	var health float64
	for _, r := range rows {
		if r.Target == "healthz" {
			health = r.RPS
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%v\t%v\t%v\t%v\t%d\t%.1f\t%.1f\t%.1f\t\n", r.Target, r.Requests, r.RPS,
			ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max), r.Errors, float64(r.BytesRecv)/1024/float64(max(1, r.Requests-r.Errors)), r.RSSBefore, r.RSSAfter)
	}
	tw.Flush()
	fmt.Printf("\nserver peak RSS (VmHWM) %.1f MiB; connections %d, %v per endpoint, gzip %v\n", float64(hwm)/(1<<20), *conns, *dur, *gzip)
	for _, r := range rows {
		if r.Target != "healthz" && health > 0 {
			fmt.Printf("%s / healthz requests/s = %.2f\n", r.Target, r.RPS/health)
		}
	}
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(map[string]any{"machine": bench.Machine(), "files": *files, "connections": *conns,
			"duration": dur.String(), "gzip": *gzip, "results": rows, "server_vmhwm_mib": float64(hwm) / (1 << 20)}, "", "  ")
		if err := os.WriteFile(*jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	if err := srv.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "serve: %v\n%s\n", err, srv.Logs())
	}
	if errorsTotal > 0 {
		for _, r := range rows {
			if r.Errors > 0 {
				fmt.Fprintf(os.Stderr, "%s: %d errors %v, first: %s\n", r.Target, r.Errors, r.Non2xx, r.FirstErr)
			}
		}
		return fmt.Errorf("%d failed requests", errorsTotal)
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/1e6) }
