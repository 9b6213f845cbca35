package ingest

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// syncEachFile: on Linux the archive is made durable once per run (syncArchive), not file by file.
const syncEachFile = false

// syncArchive makes every file the run archived durable before the run's rows that name them commit:
// one syncfs(2) of the archive's file system writes out the files' data and the renames that named
// them. An fsync per file cost ≈0.3 s of a 1,000-file run's ≈3 s (docs/BENCHMARKS.md, "Ingest
// memory", fifth session); syncfs reports a write-back error since Linux 5.8.
func syncArchive(dataDir string) error {
	dir := filepath.Join(dataDir, "archive")
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("archive sync: %w", err)
	}
	defer f.Close()
	if err := unix.Syncfs(int(f.Fd())); err != nil {
		return fmt.Errorf("archive sync %s: %w", dir, err)
	}
	return nil
}
