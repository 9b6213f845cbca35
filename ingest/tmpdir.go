package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
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

// Scratch files inside the data folder carry the pid the same way: archive/.incoming-<pid>-<random>
// (a file being archived) and uploads/upload-<pid>-<random> (an upload being received). A process
// killed with -9 leaves them behind; SweepOrphans removes those of processes that are gone.
const (
	incomingTag = ".incoming-"
	uploadTag   = "upload-"
	// legacyOrphanAge: scratch names from before the pid was added are removed once this old (a run
	// is bounded to minutes), since their owner cannot be asked.
	legacyOrphanAge = 24 * time.Hour
)

func incomingPrefix() string { return incomingTag + strconv.Itoa(os.Getpid()) + "-*" }

// UploadDirPrefix is the os.MkdirTemp pattern of an upload's folder under <data>/uploads.
func UploadDirPrefix() string { return uploadTag + strconv.Itoa(os.Getpid()) + "-" }

// SweepOrphans removes what killed processes left in the data folder: archive/.incoming-* files and
// uploads/upload-* folders whose process no longer exists. Best effort, like removeStaleTmpDirs; it
// returns how many it removed. The dashboard calls it at start, ingest at every run.
func SweepOrphans(dataDir string) int {
	removed := 0
	for _, d := range []struct{ dir, tag string }{
		{filepath.Join(dataDir, "archive"), incomingTag},
		{filepath.Join(dataDir, "uploads"), uploadTag},
	} {
		entries, err := os.ReadDir(d.dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), d.tag) || e.Type()&os.ModeSymlink != 0 {
				continue
			}
			if !orphan(e, strings.TrimPrefix(e.Name(), d.tag)) {
				continue
			}
			if os.RemoveAll(filepath.Join(d.dir, e.Name())) == nil {
				removed++
			}
		}
	}
	return removed
}

// orphan reports whether a scratch entry's owner is gone: rest is "<pid>-<random>" (or a legacy
// "<random>", judged by age).
func orphan(e os.DirEntry, rest string) bool {
	pid, ok := tmpDirPID(tmpPrefix + rest)
	if !ok {
		info, err := e.Info()
		return err == nil && time.Since(info.ModTime()) > legacyOrphanAge
	}
	if pid == os.Getpid() {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
