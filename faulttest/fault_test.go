// Package faulttest kills and starves `lnvedash ingest` and checks the database survives: kill -9 at
// random moments of a run, and a disk that fills up mid-run (a small tmpfs when this process may
// mount one, and always a file-size limit on the child). Run it with make fault; under plain
// go test ./... (make test) it skips, since it spawns dozens of ingests.
//
//	LNVEDASH_FAULT=1 go test -count=1 -v ./faulttest/
//	  LNVEDASH_FAULT_RUNS=20        kill -9 runs
//	  LNVEDASH_FAULT_SEED=<n>       the random delays' seed (default: the clock; always printed)
//	  LNVEDASH_FAULT_FILES=200      checklists in the run that is killed
//	  LNVEDASH_BIN=bin/lnvedash     the binary (default: built into a temp folder)
package faulttest

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"lnvedash/bench"
	"lnvedash/ingest"
	"lnvedash/queries"
	"lnvedash/queries/querytest"
)

const fsizeEnv = "LNVEDASH_FAULT_FSIZE"

// TestMain doubles as the file-size-limit wrapper: with LNVEDASH_FAULT_FSIZE set, it sets
// RLIMIT_FSIZE, ignores SIGXFSZ (so an over-long write fails with EFBIG instead of killing the
// process) and execs the command after "--".
func TestMain(m *testing.M) {
	if v := os.Getenv(fsizeEnv); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			fmt.Fprintln(os.Stderr, "setrlimit:", err)
			os.Exit(2)
		}
		signal.Ignore(syscall.SIGXFSZ)
		args := os.Args
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		env := []string{}
		for _, e := range os.Environ() {
			if !strings.HasPrefix(e, fsizeEnv+"=") {
				env = append(env, e)
			}
		}
		err = syscall.Exec(args[0], args, env)
		fmt.Fprintln(os.Stderr, "exec:", err)
		os.Exit(2)
	}
	os.Exit(m.Run())
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// fixture is what both tests start from: the binary, a corpus, and a database holding an earlier run.
type fixture struct {
	bin, in, base   string
	before, after   string        // dump hashes
	full, tx        time.Duration // a whole run; its BEGIN to COMMIT
	files, baseSize int
}

func setup(t *testing.T, files int) *fixture {
	t.Helper()
	if os.Getenv("LNVEDASH_FAULT") == "" {
		t.Skip("set LNVEDASH_FAULT=1 (make fault) to run the fault tests")
	}
	root := t.TempDir()
	bin, err := bench.Binary(root)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{bin: bin, in: filepath.Join(root, "in"), files: files}
	c, err := bench.Generate(f.in, files)
	if err != nil {
		t.Fatal(err)
	}
	// Before: a database that already holds one earlier run, of the corpus's first round (so the
	// killed run also meets files it already has).
	f.base = filepath.Join(root, "base", "lnvedash.duckdb")
	_ = os.MkdirAll(filepath.Dir(f.base), 0o755)
	ingestOK(t, bin, f.base, filepath.Dir(c.Paths[0]))
	f.before = dump(t, f.base)
	// After: the same run, uninterrupted.
	ref := filepath.Join(root, "ref", "lnvedash.duckdb")
	querytest.CopyDB(t, f.base, ref)
	// Traced (ingest.HookEnv): the span from BEGIN to COMMIT is the window the random kills aim at.
	cmd := ingestCmd(bin, ref, f.in)
	r := startTraced(t, cmd, "trace")
	start := time.Now()
	<-r.begun
	began := time.Since(start)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("lnvedash ingest --db %s %s: %v\n%s", ref, f.in, err, r.output())
	}
	<-r.done
	f.full = time.Since(start)
	f.tx = r.committedAt.Sub(r.begunAt)
	f.after = dump(t, ref)
	if f.after == f.before {
		t.Fatal("the run changed nothing")
	}
	t.Logf("corpus %d checklists (%.1f MB); uninterrupted run %v, BEGIN after %v, BEGIN to COMMIT %v; before %s… after %s…",
		files, float64(c.Bytes)/1e6, f.full.Round(time.Millisecond), began.Round(time.Millisecond), f.tx.Round(time.Millisecond),
		f.before[:12], f.after[:12])
	return f
}

// traced is a run started with ingest.HookEnv set: begun closes when it signals BEGIN; after Wait,
// points holds every point it signalled before it ended (the pipe keeps what a killed process wrote).
type traced struct {
	begun                chan struct{}
	done                 chan struct{}
	points               map[string]bool
	lines                []string
	begunAt, committedAt time.Time
}

func (r *traced) output() string { <-r.done; return strings.Join(r.lines, "\n") }

// startTraced starts cmd with ingest.HookEnv=mode ("trace", or a point to stop at).
func startTraced(t *testing.T, cmd *exec.Cmd, mode string) *traced {
	t.Helper()
	cmd.Env = append(cmd.Env, ingest.HookEnv+"="+mode)
	cmd.Stdout = io.Discard
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	r := &traced{begun: make(chan struct{}), done: make(chan struct{}), points: map[string]bool{}}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(r.done)
		begun := false
		for sc := bufio.NewScanner(stderr); sc.Scan(); {
			p, ok := strings.CutPrefix(sc.Text(), ingest.HookEnv+" ")
			if !ok {
				r.lines = append(r.lines, sc.Text())
				continue
			}
			r.points[p] = true
			switch p {
			case "begin":
				r.begunAt = time.Now()
			case "committed":
				r.committedAt = time.Now()
			}
			if p == mode || p == "begin" && !begun {
				begun = true
				close(r.begun)
			}
		}
		if !begun {
			close(r.begun)
		}
	}()
	return r
}

func ingestCmd(bin, db, in string) *exec.Cmd {
	cmd := exec.Command(bin, "ingest", "--db", db, in)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	return cmd
}

func ingestOK(t *testing.T, bin, db, in string) {
	t.Helper()
	if out, err := ingestCmd(bin, db, in).CombinedOutput(); err != nil {
		t.Fatalf("lnvedash ingest --db %s %s: %v\n%s", db, in, err, out)
	}
}

// dump opens the database read-only (as after a crash, WAL replayed in memory, nothing written) and
// hashes a canonical dump: every row of files (without ingested_at), measure_rows, commitment_rows
// and finding_rows, sorted.
func dump(t *testing.T, path string) string {
	t.Helper()
	h, err := dumpHash(path)
	if err != nil {
		t.Fatalf("the database does not open or read: %v", err)
	}
	return h
}

func dumpHash(path string) (string, error) {
	ctx := context.Background()
	db, err := queries.Open(ctx, path, queries.Options{ReadOnly: true})
	if err != nil {
		return "", err
	}
	defer db.Close()
	h := sha256.New()
	if err := querytest.Dump(ctx, h, db, querytest.IngestRows...); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// TestKill9 kills `lnvedash ingest` with SIGKILL inside its write transaction, on the run's own signal
// (ingest.HookEnv): once stopped just before COMMIT (the database must be exactly as before the run),
// once stopped just after it (exactly as after a complete one), and in LNVEDASH_FAULT_RUNS runs at a
// random moment (seeded, printed) from BEGIN to a little past COMMIT, where the state must agree with
// the points the run signalled before it died. Both states must occur; after every kill a rerun must
// complete to the same state as an uninterrupted run.
func TestKill9(t *testing.T) {
	f := setup(t, envInt("LNVEDASH_FAULT_FILES", 200))
	runs := envInt("LNVEDASH_FAULT_RUNS", 20)
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("LNVEDASH_FAULT_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("seed %d (rerun with LNVEDASH_FAULT_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0x6c6e7665))
	root := t.TempDir()
	seen := map[string]int{}
	for i := 0; i < runs+2; i++ {
		mode, what := "trace", ""
		var delay time.Duration
		switch i {
		case 0:
			mode, what = "precommit", "stopped before COMMIT"
		case 1:
			mode, what = "committed", "stopped after COMMIT"
		default:
			// Uniform over the transaction and a little past it (a kill after the commit).
			delay = time.Duration(rng.Float64() * 1.1 * float64(f.tx))
			what = fmt.Sprintf("%6.0f ms after BEGIN (%3.0f%% of the transaction)", float64(delay)/1e6, 100*float64(delay)/float64(f.tx))
		}
		db := filepath.Join(root, fmt.Sprint("kill", i), "lnvedash.duckdb")
		querytest.CopyDB(t, f.base, db)
		cmd := ingestCmd(f.bin, db, f.in)
		r := startTraced(t, cmd, mode)
		<-r.begun
		if delay > 0 {
			time.Sleep(delay) // the random moment is the point of this harness, not a wait for sync
		}
		killErr := cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		<-r.done
		killed := killErr == nil && cmd.ProcessState != nil && !cmd.ProcessState.Exited()
		if mode == "trace" && !r.points["begin"] || !r.points[mode] && mode != "trace" {
			t.Fatalf("run %d: the run never signalled %s (exit %v):\n%s", i+1, mode, cmd.ProcessState, r.output())
		}
		state := "neither"
		switch dump(t, db) {
		case f.before:
			state = "before"
		case f.after:
			state = "after"
		}
		seen[state]++
		t.Logf("run %2d: kill -9 %s, killed %-5v, signalled %v → %s", i+1, what, killed, r.points, state)
		// Every point signalled before the process died is in the pipe: no precommit means COMMIT was
		// never sent, committed means COMMIT had returned.
		want := ""
		switch {
		case mode == "precommit":
			want = "before"
		case mode == "committed":
			want = "after"
		case !r.points["precommit"]:
			want = "before"
		case r.points["committed"]:
			want = "after"
		}
		if state == "neither" || want != "" && state != want {
			t.Fatalf("run %d (seed %d): killed %s, the database is in the %s state, want %s", i+1, seed, what, state,
				map[string]string{"": "before or after"}[want]+want)
		}
		ingestOK(t, f.bin, db, f.in)
		if got := dump(t, db); got != f.after {
			t.Fatalf("run %d (seed %d): the rerun after a kill %s ends in a different state from an uninterrupted run", i+1, seed, what)
		}
		os.RemoveAll(filepath.Dir(db))
	}
	t.Logf("%d kills: before %d, after %d, neither 0; every rerun reached the uninterrupted state", runs+2, seen["before"], seen["after"])
	if seen["before"] == 0 || seen["after"] == 0 {
		t.Fatalf("states seen: %v, want both before and after", seen)
	}
}

// TestDiskFull ingests into a target that fills up: (a) RLIMIT_FSIZE on the child at several limits, (b) when this process may mount, a tmpfs barely larger than the
// existing data. Each must fail with a clear message (no panic, no stack trace), leave the database
// opening with the previous state, and a rerun with room must complete to the uninterrupted state.
func TestDiskFull(t *testing.T) {
	f := setup(t, envInt("LNVEDASH_FAULT_FILES", 200))
	st, err := os.Stat(f.base)
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	// The limits that failed the run, after which the database was as before and a rerun with room
	// completed: at least one must, or the test proved nothing about a full disk.
	var recovered []string
	defer func() {
		t.Logf("limits that failed the run and recovered: %v", recovered)
		if len(recovered) == 0 && !t.Failed() {
			t.Error("no limit failed the run: nothing here tested a full disk")
		}
	}()
	check := func(t *testing.T, db string, out []byte, err error) {
		t.Helper()
		msg := strings.TrimSpace(string(out))
		lines := strings.Split(msg, "\n")
		shown := strings.Join(lines[:min(len(lines), 4)], "\n")
		if len(lines) > 4 {
			shown += fmt.Sprintf("\n… and %d more lines like these", len(lines)-4)
		}
		t.Logf("exit: %v; the user sees (%d lines):\n%s", err, len(lines), indent(shown))
		if err == nil {
			t.Fatalf("ingest succeeded on a full disk")
		}
		if strings.Contains(msg, "panic:") || strings.Contains(msg, "goroutine ") || strings.Contains(msg, "SIGXFSZ") {
			t.Errorf("the message is a crash, not an error a user can act on")
		}
		low := strings.ToLower(msg)
		if !strings.Contains(low, "file too large") && !strings.Contains(low, "no space") && !strings.Contains(msg, "空间") && !strings.Contains(msg, "磁盘") {
			t.Errorf("the message does not say the disk (or file size limit) is full")
		}
		got, derr := dumpHash(db)
		if derr != nil {
			t.Fatalf("after the failed run the database does not open: %v", derr)
		}
		if got != f.before {
			t.Fatalf("after the failed run the database is not in its previous state")
		}
	}
	// Limits on the size of any one file the child writes: the WAL of the opening seed reload, the
	// WAL of the run's one transaction at several sizes, and the database file's checkpoint.
	for _, limit := range []int64{32 << 10, 256 << 10, 1 << 20, 4 << 20, st.Size() + 64<<10} {
		t.Run(fmt.Sprintf("fsize=%dKiB", limit>>10), func(t *testing.T) {
			db := filepath.Join(root, fmt.Sprint("fsize", limit), "lnvedash.duckdb")
			querytest.CopyDB(t, f.base, db)
			cmd := exec.Command(self, "--", f.bin, "ingest", "--db", db, f.in)
			cmd.Env = append(os.Environ(), fsizeEnv+"="+strconv.FormatInt(limit, 10), "NO_COLOR=1")
			out, err := cmd.CombinedOutput()
			if err == nil {
				// The run's transaction fitted in the WAL; a failed checkpoint leaves it there.
				if dump(t, db) != f.after {
					t.Fatal("the run reported success but the database is not the uninterrupted state")
				}
				wal, _ := os.Stat(db + ".wal")
				if wal != nil && wal.Size() > 0 && !strings.Contains(string(out), "整理进数据库文件时出错") {
					t.Errorf("the checkpoint failed (WAL of %d bytes left) and the user was not told:\n%s", wal.Size(), out)
				}
				t.Logf("a %d-byte limit let the run complete (WAL left: %v); the state is the uninterrupted one; stderr:\n%s",
					limit, wal != nil && wal.Size() > 0, indent(warnings(out)))
				return
			}
			check(t, db, out, err)
			ingestOK(t, f.bin, db, f.in)
			if dump(t, db) != f.after {
				t.Fatal("the rerun with room ends in a different state from an uninterrupted run")
			}
			recovered = append(recovered, t.Name())
		})
	}
	// A tmpfs barely larger than the data folder (fills while archiving the new files), and one with
	// room for the archive but not the run's WAL.
	corpusBytes := dirSize(t, f.in)
	for _, c := range []struct {
		name  string
		extra int64
	}{{"archive", 1 << 20}, {"wal", corpusBytes + 1<<20}} {
		t.Run("tmpfs="+c.name, func(t *testing.T) {
			mnt := filepath.Join(root, "tmpfs-"+c.name)
			_ = os.MkdirAll(mnt, 0o755)
			size := (dirSize(t, filepath.Dir(f.base)) + c.extra + 4095) &^ 4095
			if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", mnt).CombinedOutput(); err != nil {
				// Not a skip of the test: the file-size limits above (no privilege needed) stand in,
				// and at least one of them must have failed and recovered.
				t.Logf("cannot mount a tmpfs here (needs CAP_SYS_ADMIN); the file-size limits stand in: %v %s", err, out)
				return
			}
			defer func() {
				if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
					t.Errorf("umount %s: %v %s", mnt, err, out)
				}
			}()
			t.Logf("tmpfs of %d KiB", size>>10)
			db := filepath.Join(mnt, "lnvedash.duckdb")
			copyTree(t, filepath.Dir(f.base), mnt)
			out, err := ingestCmd(f.bin, db, f.in).CombinedOutput()
			if err == nil {
				if dump(t, db) != f.after {
					t.Fatal("the run reported success but the database is not the uninterrupted state")
				}
				t.Logf("the run fitted")
				return
			}
			check(t, db, out, err)
			if out, err := exec.Command("mount", "-o", "remount,size=1g", mnt).CombinedOutput(); err != nil {
				t.Fatalf("remount: %v %s", err, out)
			}
			ingestOK(t, f.bin, db, f.in)
			if dump(t, db) != f.after {
				t.Fatal("the rerun with room ends in a different state from an uninterrupted run")
			}
			recovered = append(recovered, t.Name())
		})
	}
}

func indent(s string) string { return "    | " + strings.ReplaceAll(s, "\n", "\n    | ") }

func dirSize(t *testing.T, dir string) int64 {
	var n int64
	_ = filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", from+"/.", to).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
}

// warnings are the lines of a successful run's output that warn the user (the summary table aside).
func warnings(out []byte) string {
	var w []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "注意：") {
			w = append(w, l)
		}
	}
	return strings.Join(w, "\n")
}
