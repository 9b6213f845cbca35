package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ModuleRoot finds the folder holding go.mod, from the working directory up.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("bench: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Binary returns the lnvedash binary to run: $LNVEDASH_BIN when set (make passes bin/lnvedash), else
// one built now into dir.
func Binary(dir string) (string, error) {
	if p := os.Getenv("LNVEDASH_BIN"); p != "" {
		return filepath.Abs(p)
	}
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "lnvedash")
	cmd := exec.Command("go", "build", "-o", out, "./cmd/lnvedash")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, b)
	}
	return out, nil
}

// Usage is what a finished child process cost.
type Usage struct {
	Wall    time.Duration
	MaxRSS  int64 // bytes, getrusage ru_maxrss of the child
	User    time.Duration
	System  time.Duration
	Output  []byte // stdout
	Stderr  []byte
	Success bool
}

// RunChild runs cmd to completion and reports its wall time and peak RSS (from the rusage the kernel
// keeps for the child, so the parent's own memory is not counted).
func RunChild(cmd *exec.Cmd) (*Usage, error) {
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	u := &Usage{Wall: time.Since(start), Output: []byte(out.String()), Stderr: []byte(errb.String())}
	if cmd.ProcessState != nil {
		u.Success = cmd.ProcessState.Success()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			u.MaxRSS = ru.Maxrss * 1024 // Linux reports KiB
			u.User = time.Duration(ru.Utime.Nano())
			u.System = time.Duration(ru.Stime.Nano())
		}
	}
	if err != nil {
		return u, fmt.Errorf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, tail(errb.String(), 2000))
	}
	return u, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// ProcStatus reads one field (VmRSS, VmHWM, …) of /proc/<pid>/status, in bytes.
func ProcStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(v)
			if len(f) == 0 {
				break
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no %s", pid, field)
}

// Served is a running `lnvedash serve` on a loopback port.
type Served struct {
	URL     string // http://127.0.0.1:port
	Cmd     *exec.Cmd
	started time.Time // when /healthz first answered
	done    chan struct{}
	logs    *ringLog
}

var startedRE = regexp.MustCompile(`http://([0-9.]+:[0-9]+)`)

// Serve starts `bin serve --db db --addr 127.0.0.1:0` and waits until /healthz answers. Its log is
// drained (the server logs every request) and the last lines kept for errors. Stop it with Stop.
func Serve(ctx context.Context, bin, db string, extra ...string) (*Served, error) {
	args := append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "LNVEDASH_ADMIN_TOKEN=", "LNVEDASH_ANALYST_TOKEN=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Served{Cmd: cmd, done: make(chan struct{}), logs: &ringLog{}}
	addr := make(chan string, 1)
	go func() {
		defer close(s.done)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			s.logs.add(line)
			if !sent {
				if m := startedRE.FindStringSubmatch(line); m != nil && strings.Contains(line, "lnvedash") {
					addr <- m[1]
					sent = true
				}
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case a := <-addr:
		s.URL = "http://" + a
	case <-s.done:
		_ = cmd.Wait()
		return nil, fmt.Errorf("lnvedash serve exited before listening:\n%s", s.logs.String())
	case <-time.After(2 * time.Minute):
		s.Stop()
		return nil, fmt.Errorf("lnvedash serve did not start in 2 min:\n%s", s.logs.String())
	case <-ctx.Done():
		s.Stop()
		return nil, ctx.Err()
	}
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				s.started = time.Now()
				return s, nil
			}
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, fmt.Errorf("lnvedash serve: /healthz not OK after 1 min (%v)", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// WaitIdle waits until the server has logged nothing for quiet (the dashboard warms its page cache
// in the background after start, logging each page it renders), at most max. It returns how long
// the server took to go quiet, counted from now.
func (s *Served) WaitIdle(quiet, max time.Duration) (time.Duration, error) {
	start := time.Now()
	last, lastChange := s.logs.count(), time.Now()
	for {
		time.Sleep(100 * time.Millisecond)
		if n := s.logs.count(); n != last {
			last, lastChange = n, time.Now()
		}
		if time.Since(lastChange) >= quiet {
			return lastChange.Sub(start), nil
		}
		if time.Since(start) > max {
			return time.Since(start), fmt.Errorf("lnvedash serve still busy after %v", max)
		}
	}
}

// Pid is the server's process id.
func (s *Served) Pid() int { return s.Cmd.Process.Pid }

// Logs returns the last lines the server logged.
func (s *Served) Logs() string { return s.logs.String() }

// Stop asks the server to shut down (SIGTERM), and kills it after 15 s.
func (s *Served) Stop() error {
	_ = s.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		_ = s.Cmd.Process.Kill()
		<-s.done
	}
	err := s.Cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok && !ee.Exited() {
		return nil // ended by our signal
	}
	return err
}

type ringLog struct {
	mu    sync.Mutex
	lines []string
	total int
}

func (r *ringLog) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

func (r *ringLog) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, s)
	r.total++
	if len(r.lines) > 200 {
		r.lines = r.lines[len(r.lines)-100:]
	}
}

func (r *ringLog) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}

// Machine describes where the figures were measured.
func Machine() string {
	model := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		mem = strings.Fields(strings.SplitN(string(b), "\n", 2)[0])[1] + " kB"
	}
	return fmt.Sprintf("%d CPUs (%s), MemTotal %s, %s %s/%s", runtime.NumCPU(), model, mem, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
