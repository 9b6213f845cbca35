package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// tmpPrefix starts the name of a run's scratch folder; the pid follows, so a folder left by a killed
// process can be told from one still in use.
const tmpPrefix = "lnvedash-ingest-"

// newTmpDir makes the run's scratch folder, lnvedash-ingest-<pid>-<random> in os.TempDir().
func newTmpDir() (string, error) {
	return os.MkdirTemp("", tmpPrefix+strconv.Itoa(os.Getpid())+"-")
}

// tmpDirPID reads the pid out of a scratch folder name. Names from before the pid was added
// (lnvedash-ingest-<random>, the random part being all digits) have no "-" after the digits and are
// not recognised: their owner cannot be known, so they are never removed.
func tmpDirPID(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, tmpPrefix)
	if !ok {
		return 0, false
	}
	digits, _, ok := strings.Cut(rest, "-")
	if !ok || digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, false
	}
	pid, err := strconv.Atoi(digits)
	// pid 0 and below would make kill(2) signal a process group, not test one process.
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, true
}

// removeStaleTmpDirs removes the scratch folders of processes that no longer exist: a killed ingest
// cannot run its deferred RemoveAll, and its folder may hold everything expanded from a zip.
// Best effort: a failure here must never stop an ingest, so errors are dropped.
func removeStaleTmpDirs() {
	dir := os.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	self := os.Getpid()
	for _, e := range entries {
		pid, ok := tmpDirPID(e.Name())
		// e.IsDir is false for a symlink (ReadDir does not follow them), so nothing outside dir is reached.
		if !ok || pid == self || !e.IsDir() {
			continue
		}
		// Only ESRCH proves the process is gone; EPERM means it lives under another user.
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			continue
		}
		_ = os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}
