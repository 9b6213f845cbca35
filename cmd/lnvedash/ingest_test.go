package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lnvedash/ingest"
	"lnvedash/queries"
	"lnvedash/queries/querytest"
	"lnvedash/seeds"
)

// The test binary doubles as the lnvedash binary for the tests that need a separate process (a kill
// in the middle of a run, a server holding the database): with LNVEDASH_INGEST_TEST_CHILD set it runs
// the command in LNVEDASH_INGEST_TEST_ARGS and exits; with LNVEDASH_INGEST_TEST_HOLD it holds that
// database open until its stdin closes.
func init() {
	if os.Getenv("LNVEDASH_INGEST_TEST_CHILD") == "1" {
		args := strings.Split(os.Getenv("LNVEDASH_INGEST_TEST_ARGS"), "\x1f")
		if err := Run(context.Background(), args, os.Stdin, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if p := os.Getenv("LNVEDASH_INGEST_TEST_HOLD"); p != "" {
		db, err := queries.Open(context.Background(), p, queries.Options{})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("ready")
		_, _ = io.Copy(io.Discard, os.Stdin)
		db.Close()
		os.Exit(0)
	}
}

func ingestChild(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LNVEDASH_INGEST_TEST_CHILD=1", "LNVEDASH_INGEST_TEST_ARGS="+strings.Join(args, "\x1f"))
	return cmd
}

const ingestTestdata = "../../ingest/testdata"

func TestIngestCommand(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "data", "lnvedash.duckdb")
	report := filepath.Join(dir, "整改清单.xlsx")
	var out, errb bytes.Buffer
	err := Run(context.Background(), []string{"ingest", "--db", dbPath, "--report", report, ingestTestdata}, nil, &out, &errb)
	if err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	s := out.String()
	for _, want := range []string{"文件", "报送单位", "大连市-任务落实举措清单.xlsx", "大连市", "已入库", "拒收", "旧版 .xls 格式：", "整改清单已写入"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if errb.Len() != 0 {
		t.Errorf("stderr is not a terminal, yet got %q", errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "archive")); err != nil {
		t.Errorf("archive not in the db's folder: %v", err)
	}
	f, err := excelize.OpenFile(report)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	// Again: every file is a duplicate and the command still succeeds.
	out.Reset()
	if err := Run(context.Background(), []string{"ingest", "--db", dbPath, ingestTestdata}, nil, &out, &errb); err != nil {
		t.Fatal(err)
	}
	// (ingest/testdata holds the corpus of testdata/corpus/ too: the count is not fixed here)
	if !strings.Contains(out.String(), "入库 0，") || !strings.Contains(out.String(), "拒收 0；") || strings.Contains(out.String(), "重复 0") {
		t.Errorf("second run:\n%s", out.String())
	}
}

// holdDatabase makes another process (this test binary, see TestMain) hold a new database at path for
// writing, as a running server does, until the test ends.
func holdDatabase(t *testing.T) string {
	t.Helper()
	dbPath := filepath.Join(t.TempDir(), "held.duckdb")
	hold := exec.Command(os.Args[0], "-test.run=^$")
	hold.Env = append(os.Environ(), "LNVEDASH_INGEST_TEST_HOLD="+dbPath)
	stdin, _ := hold.StdinPipe()
	stdout, _ := hold.StdoutPipe()
	if err := hold.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); _ = hold.Wait() })
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); strings.TrimSpace(line) != "ready" {
		t.Fatalf("holder said %q", line)
	}
	return dbPath
}

func TestIngestLockedDatabase(t *testing.T) {
	dbPath := holdDatabase(t)
	var out, errb bytes.Buffer
	err := Run(context.Background(), []string{"ingest", "--db", dbPath, ingestTestdata}, nil, &out, &errb)
	if err == nil {
		t.Fatal("ingest into a held database succeeded")
	}
	for _, want := range []string{"上传", "--inbox", "--server", "--token"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
}

// TestIngestServerClient checks the --server client against a stand-in endpoint that decodes the
// multipart body the way the dashboard must: field "files", bearer token.
func TestIngestServerClient(t *testing.T) {
	var names []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/ingest" || r.Method != http.MethodPost || r.Header.Get("Authorization") != "Bearer s3cret" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		mr := multipart.NewReader(r.Body, params["boundary"])
		res := ingest.Result{RunID: 7}
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			if p.FormName() != "files" {
				continue
			}
			names = append(names, p.FileName())
			b, _ := io.ReadAll(p)
			res.Files = append(res.Files, ingest.FileResult{FileName: p.FileName(), Status: "rejected", ReasonCode: "empty", Message: fmt.Sprintf("%d 字节", len(b))})
		}
		_ = json.NewEncoder(w).Encode(res)
	}))
	defer srv.Close()
	var out, errb bytes.Buffer
	err := Run(context.Background(), []string{"ingest", "--server", srv.URL, "--token", "s3cret",
		filepath.Join(ingestTestdata, "empty.xlsx"), filepath.Join(ingestTestdata, "legacy.xls")}, nil, &out, &errb)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(names) != "[empty.xlsx legacy.xls]" || !strings.Contains(out.String(), "9728 字节") || !strings.Contains(out.String(), "第 7 次入库") {
		t.Errorf("names %v, output:\n%s", names, out.String())
	}
	err = Run(context.Background(), []string{"ingest", "--server", srv.URL, "--token", "wrong", filepath.Join(ingestTestdata, "empty.xlsx")}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "令牌") {
		t.Errorf("wrong token: %v", err)
	}
}

// ingestWriteChecklists writes n small checklists, one per roster entry (cycling), each with rows
// measures, named by the submitter so the file name identifies it.
func ingestWriteChecklists(t testing.TB, dir string, n, rows int) {
	set := seeds.MustLoad()
	for i := 0; i < n; i++ {
		sub := set.Submitters[i%len(set.Submitters)]
		f := excelize.NewFile()
		_ = f.SetSheetRow("Sheet1", "A1", &[]any{"单位：" + sub.Name + "（公章）"})
		_ = f.SetSheetRow("Sheet1", "A2", &[]any{"序号", "主要任务", "任务内容", "责任部门", "具体举措", "完成目标", "责任单位（部门）", "完成时间"})
		for r := 0; r < rows; r++ {
			task := set.Tasks[r%len(set.Tasks)]
			cell, _ := excelize.CoordinatesToCellName(1, r+3)
			_ = f.SetSheetRow("Sheet1", cell, &[]any{task.No, task.Area, task.Content, "", fmt.Sprintf("举措%d-%d", i, r), fmt.Sprintf("建设%d个", r+1), "办公室", "2022年6月"})
		}
		_ = f.SetDocProps(&excelize.DocProperties{Modified: time.Date(2021, 7, 1+i%28, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)})
		if err := f.SaveAs(filepath.Join(dir, fmt.Sprintf("%03d-%s.xlsx", i, sub.Name))); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
}

// ingestDump renders the ingest tables, leaving out what differs between two equal runs (the run's
// clock); ingest_runs is summarised (run ids and file counts) only when withRuns is set, since a rerun
// adds a run of duplicates by design.
func ingestDump(t *testing.T, dbPath string, withRuns bool) string {
	t.Helper()
	ctx := context.Background()
	db, err := queries.Open(ctx, dbPath, queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close() // the next run opens the file
	qs := querytest.IngestRows
	if withRuns {
		qs = append(qs[:len(qs):len(qs)], querytest.RunsSummary)
	}
	var b strings.Builder
	if err := querytest.Dump(ctx, &b, db, qs...); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestIngestKilled runs the real command in its own process and kills it with SIGKILL at three points
// it signals from inside its run (ingest.HookEnv): just after BEGIN and just before COMMIT the database
// must then be exactly as before the run, just after COMMIT exactly as after a complete one; a rerun
// then completes it to the same tables as an uninterrupted run.
func TestIngestKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	root := t.TempDir()
	in := filepath.Join(root, "in")
	_ = os.MkdirAll(in, 0o755)
	ingestWriteChecklists(t, in, 40, 60)

	// Before: a database that already holds one earlier run.
	base := filepath.Join(root, "base", "lnvedash.duckdb")
	_ = os.MkdirAll(filepath.Dir(base), 0o755)
	if out, err := ingestChild(t, "ingest", "--db", base, filepath.Join(ingestTestdata, "hidden_identity.xlsx")).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	before := ingestDump(t, base, true)

	// After: the same run, uninterrupted.
	ref := filepath.Join(root, "ref", "lnvedash.duckdb")
	_ = os.MkdirAll(filepath.Dir(ref), 0o755)
	querytest.CopyDB(t, base, ref)
	if out, err := ingestChild(t, "ingest", "--db", ref, in).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	after := ingestDump(t, ref, true)
	afterData := ingestDump(t, ref, false)
	if after == before {
		t.Fatal("the run changed nothing")
	}

	seen := map[string]bool{}
	for _, k := range []struct{ point, want string }{
		{"begin", "before"}, {"precommit", "before"}, {"committed", "after"},
	} {
		dir := filepath.Join(root, "kill-"+k.point)
		_ = os.MkdirAll(dir, 0o755)
		db := filepath.Join(dir, "lnvedash.duckdb")
		querytest.CopyDB(t, base, db)
		ingestKillAt(t, ingestChild(t, "ingest", "--db", db, in), k.point)
		state := "neither"
		switch ingestDump(t, db, true) {
		case before:
			state = "before"
		case after:
			state = "after"
		}
		if state != k.want {
			t.Fatalf("killed at %s: the database is in the %s state, want %s", k.point, state, k.want)
		}
		seen[state] = true
		if out, err := ingestChild(t, "ingest", "--db", db, in).CombinedOutput(); err != nil {
			t.Fatalf("rerun: %v\n%s", err, out)
		}
		if got := ingestDump(t, db, false); got != afterData {
			t.Errorf("killed at %s, rerun: tables differ from an uninterrupted run", k.point)
		}
	}
	if !seen["before"] || !seen["after"] {
		t.Fatalf("states seen across the kills: %v, want both before and after", seen)
	}
}

// ingestKillAt starts cmd stopping at point of its transaction (ingest.HookEnv), waits for its signal
// on stderr and kills it there with SIGKILL.
func ingestKillAt(t *testing.T, cmd *exec.Cmd, point string) {
	t.Helper()
	cmd.Env = append(cmd.Env, ingest.HookEnv+"="+point)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var got []string
	reached := false
	for sc := bufio.NewScanner(stderr); sc.Scan(); {
		if sc.Text() == ingest.HookEnv+" "+point {
			reached = true
			break
		}
		got = append(got, sc.Text())
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	if !reached {
		t.Fatalf("the run never signalled %s; stderr:\n%s", point, strings.Join(got, "\n"))
	}
}

func TestIngestDiskHint(t *testing.T) {
	tests := []struct {
		name string
		err  error
		hint string // the Chinese line added; "" for none
	}{
		{"no space, wrapped", fmt.Errorf("ingest write: archive x.xlsx: %w", &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}), "磁盘空间不足"},
		{"file size limit", fmt.Errorf("ingest: %w", &os.PathError{Op: "write", Path: "x", Err: syscall.EFBIG}), "磁盘空间不足"},
		{"duckdb's text", errors.New(`ingest: TransactionContext Error: Failed to commit: Could not write file "x.wal": No space left on device`), "磁盘空间不足"},
		// as printed when the disk of <db>.tmp filled under the default memory limit (make fault, tmpfs=wal)
		{"temp folder full", errors.New("ingest: ingest write: commit: TransactionContext Error: Failed to commit: failed to offload data block of size 256.0 KiB (1.0 MiB/1.2 MiB used).\nThis limit was set by the 'max_temp_directory_size' setting."), "磁盘空间不足"},
		// as printed by the 100,000-file run under a 512MB limit
		{"out of memory", errors.New("ingest: ingest write: refresh derived tables: Out of Memory Error: failed to pin block of size 256.0 KiB (488.0 MiB/488.2 MiB used)"), "内存不足"},
		{"appender out of memory", errors.New("ingest: ingest write: appender flush: database/sql/driver: could not close appender: Failed to append: could not allocate block of size 256.0 KiB (7.4 MiB/7.6 MiB used)"), "内存不足"},
		{"anything else", errors.New("ingest: permission denied"), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ingestDiskHint(tc.err)
			if !errors.Is(got, tc.err) {
				t.Errorf("the original error is lost: %v", got)
			}
			added := strings.TrimPrefix(got.Error(), tc.err.Error())
			if tc.hint == "" && added != "" || tc.hint != "" && !strings.HasPrefix(added, "\n"+tc.hint) {
				t.Errorf("added %q, want a line starting %q", added, tc.hint)
			}
		})
	}
}

// Under a memory limit too small for the run, the ingest fails as a whole with the Chinese hint and
// the database keeps what it held.
func TestIngestOutOfMemory(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "lnvedash.duckdb")
	var out, errb bytes.Buffer
	if err := Run(context.Background(), []string{"ingest", "--db", dbPath, ingestTestdata}, nil, &out, &errb); err != nil {
		t.Fatalf("first run: %v\n%s", err, errb.String())
	}
	before := ingestDump(t, dbPath, true)
	// The sample data needs ≥ 48MB; at 8MB this build fails in the appender, at 16MB in the refresh
	// of the derived tables: DuckDB words the two differently.
	for _, limit := range []string{"8MB", "16MB"} {
		err := Run(context.Background(), []string{"ingest", "--db", dbPath, "--memory-limit", limit, "../../sample-data"}, nil, &out, &errb)
		if err == nil || !strings.Contains(err.Error(), "内存不足：本次入库未完成") {
			t.Fatalf("a %s limit on the sample data: %v", limit, err)
		}
		if ingestDump(t, dbPath, true) != before {
			t.Errorf("%s: the failed run changed the database", limit)
		}
	}
	if err := Run(context.Background(), []string{"ingest", "--db", dbPath, "--memory-limit", "lots", ingestTestdata}, nil, &out, &errb); err == nil ||
		!strings.Contains(err.Error(), "内存上限应写成") {
		t.Errorf("--memory-limit lots: %v", err)
	}
}
