package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// syncArchive is the one point where a run's archived files become durable; a missing archive folder
// (a data folder removed under a running server) is an error the run reports, not a silent success.
func TestSyncArchive(t *testing.T) {
	dir := t.TempDir()
	if err := syncArchive(dir); err == nil || !strings.Contains(err.Error(), "archive sync") {
		t.Errorf("no archive folder: %v, want an archive sync error", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "archive"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := archive(dir, "testdata/blank_template.xlsx", "blank_template.xlsx", -1); err != nil {
		t.Fatal(err)
	}
	if err := syncArchive(dir); err != nil {
		t.Errorf("after archiving a file: %v", err)
	}
}
