package queries

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Snapshot writes a consistent, self-contained copy of the database to dst, atomically: the copy is
// made into a temporary file in dst's directory (ATTACH it, COPY FROM DATABASE, DETACH, which checkpoints
// and closes it) and then renamed over dst, so a reader opening dst sees either the old or the new copy,
// never half of one. Readers that already have the old file open keep reading it.
//
// The dashboard is the one process allowed to write the database file, and DuckDB lets no other process
// open it — not even read-only — while it runs. The snapshot is what everyone else reads: the SQL
// console's worker processes, `lnvedash sql`, the DuckDB CLI, DBeaver, Python and R.
func (db *DB) Snapshot(ctx context.Context, dst string) error {
	if db.Path == "" {
		return fmt.Errorf("snapshot: in-memory database")
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	// A copy left by a process that died mid-snapshot is never renamed; remove those older than an hour.
	if stale, err := filepath.Glob(filepath.Join(dir, "."+filepath.Base(dst)+".tmp-*")); err == nil {
		for _, p := range stale {
			if fi, err := os.Stat(p); err == nil && time.Since(fi.ModTime()) > time.Hour {
				os.Remove(p)
			}
		}
	}
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	suffix := hex.EncodeToString(rnd[:])
	tmp := filepath.Join(dir, "."+filepath.Base(dst)+".tmp-"+suffix)
	alias := "snapshot_" + suffix
	cleanup := func() {
		os.Remove(tmp)
		os.Remove(tmp + ".wal")
	}

	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	defer conn.Close()
	var src string
	if err := conn.QueryRowContext(ctx, "SELECT current_database()").Scan(&src); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "ATTACH '"+snapshotString(tmp)+"' AS "+alias); err != nil {
		cleanup()
		return fmt.Errorf("snapshot: attach: %w", err)
	}
	_, err = conn.ExecContext(ctx, "COPY FROM DATABASE "+snapshotIdent(src)+" TO "+alias)
	if err == nil {
		// Readers see who holds a link, never anything derived from its code.
		_, err = conn.ExecContext(ctx, "UPDATE "+alias+".access_links SET code_hash = ''")
	}
	if _, derr := conn.ExecContext(context.WithoutCancel(ctx), "DETACH "+alias); err == nil && derr != nil {
		err = fmt.Errorf("detach: %w", derr)
	}
	if err != nil {
		cleanup()
		return fmt.Errorf("snapshot: copy: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		cleanup()
		return fmt.Errorf("snapshot: %w", err)
	}
	os.Remove(tmp + ".wal")
	return nil
}

// SnapshotPath is where the dashboard keeps the readers' snapshot of the database at dbPath:
// <dir>/snapshot/<name>, e.g. data/snapshot/lnvedash.duckdb.
func SnapshotPath(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "snapshot", filepath.Base(dbPath))
}

func snapshotString(s string) string { return strings.ReplaceAll(s, "'", "''") }

func snapshotIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
