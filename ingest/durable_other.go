//go:build !linux

package ingest

// syncEachFile: without syncfs(2) each archived file is synced as it is written.
const syncEachFile = true

// syncArchive has nothing left to do: archive synced each file.
func syncArchive(string) error { return nil }
