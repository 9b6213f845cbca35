package ingest

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"

	"lnvedash/queries/querytest"
)

func TestTmpDirPID(t *testing.T) {
	for _, c := range []struct {
		name string
		pid  int
		ok   bool
	}{
		{"lnvedash-ingest-4242-1234567", 4242, true},
		{"lnvedash-ingest-4242-", 4242, true},
		{"lnvedash-ingest-1234567", 0, false}, // old style: MkdirTemp's random part is all digits
		{"lnvedash-ingest-abc", 0, false},
		{"lnvedash-ingest-12ab-1", 0, false},
		{"lnvedash-ingest--1-1", 0, false},
		{"lnvedash-ingest-+7-1", 0, false},
		{"lnvedash-ingest-0-1", 0, false}, // kill(0, 0) would test the process group
		{"lnvedash-ingest-99999999999999999999-1", 0, false},
		{"lnvedash-data-4242-1", 0, false},
	} {
		pid, ok := tmpDirPID(c.name)
		if pid != c.pid || ok != c.ok {
			t.Errorf("tmpDirPID(%q) = %d, %v; want %d, %v", c.name, pid, ok, c.pid, c.ok)
		}
	}
}

// TestNewTmpDir: the folder a run makes is one the cleanup recognises as this process's.
func TestNewTmpDir(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir, err := newTmpDir()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(dir) != tmp {
		t.Errorf("newTmpDir() = %s, want a folder in %s", dir, tmp)
	}
	if pid, ok := tmpDirPID(filepath.Base(dir)); !ok || pid != os.Getpid() {
		t.Errorf("tmpDirPID(%s) = %d, %v; want %d, true", filepath.Base(dir), pid, ok, os.Getpid())
	}
}

// TestRunRemovesStaleTmpDirs: Run removes, with its contents, the scratch folder of a process that has
// exited, and leaves those of live processes, old-style names and a symlink to a folder elsewhere.
func TestRunRemovesStaleTmpDirs(t *testing.T) {
	tmp := t.TempDir()
	outside := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if os.TempDir() != tmp {
		t.Fatalf("os.TempDir() = %s, want %s", os.TempDir(), tmp)
	}

	child := exec.Command("true")
	if err := child.Run(); err != nil {
		t.Fatal(err)
	}
	dead := child.Process.Pid
	if err := syscall.Kill(dead, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("kill(%d, 0) of a waited-for child = %v, want ESRCH", dead, err)
	}
	deadDir := "lnvedash-ingest-" + strconv.Itoa(dead) + "-11"
	mkdir := func(name string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(tmp, name), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path string) {
		t.Helper()
		if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// what a killed run leaves: a zip's members expanded under zip-*/
	mkdir(filepath.Join(deadDir, "zip-22"))
	write(filepath.Join(tmp, deadDir, "zip-22", "member.xlsx"))

	keep := []string{
		"lnvedash-ingest-" + strconv.Itoa(os.Getpid()) + "-33",  // this process
		"lnvedash-ingest-" + strconv.Itoa(os.Getppid()) + "-44", // go test, alive while we run
		"lnvedash-ingest-abc",                   // old style
		"lnvedash-ingest-" + strconv.Itoa(dead), // old style, the random part happens to be the dead pid
	}
	for _, name := range keep {
		mkdir(name)
		write(filepath.Join(tmp, name, "f"))
	}
	// a link named like a dead process's folder must not lead the cleanup outside TMPDIR
	write(filepath.Join(outside, "f"))
	link := "lnvedash-ingest-" + strconv.Itoa(dead) + "-55"
	if err := os.Symlink(outside, filepath.Join(tmp, link)); err != nil {
		t.Fatal(err)
	}
	keep = append(keep, link)

	db := querytest.Open(t, filepath.Join(t.TempDir(), "db.duckdb"))
	res := run(t, db, t.TempDir(), filepath.Join("testdata", "template_identity.xlsx"))
	if len(res.Files) != 1 {
		t.Fatalf("run took %d files, want 1", len(res.Files))
	}

	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	// Run's own folder is gone too: it removes it when it returns.
	slices.Sort(got)
	slices.Sort(keep)
	if !slices.Equal(got, keep) {
		t.Errorf("TMPDIR after the run holds %q, want %q", got, keep)
	}
	// every kept folder still holds its file (through the link, the one outside TMPDIR)
	for _, name := range keep {
		if _, err := os.Stat(filepath.Join(tmp, name, "f")); err != nil {
			t.Error(err)
		}
	}
}
