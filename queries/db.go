// Package queries owns the database: the schema (schema/*.sql, applied in order on open), the analyst
// views of the contract (views/*.sql, recreated on every open), the loading of the seeds, every query
// the dashboard, the command line and the exports run, and the statements that write ingest's tables:
// ingest hands a run's rows typed (FileRow, MeasureRow …) to an IngestTx, which appends them in the
// run's one transaction. SQL lives in embedded .sql files (sql/ingest.* for the run's bookkeeping);
// the Go functions here only bind parameters and scan.
package queries

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"lnvedash/seeds"
)

//go:embed schema/*.sql views/*.sql sql/*.sql
var sqlFiles embed.FS

// DB is the opened analytics database with the reference data it was loaded with.
type DB struct {
	*sql.DB
	Seeds *seeds.Set
	Path  string // "" for an in-memory database

	ingestMu sync.Mutex // LockIngest
	memDirMu sync.Mutex
	memDir   string // DataDir of an in-memory database

	// rosterNames are the roster names of Seeds, set once Open knows the submitters table holds them
	// (not on a read-only open, which never reloads the seeds): ResolveSubmitter answers these
	// without a statement.
	rosterNames map[string]bool
}

// ErrNotFound is returned (wrapped) for an unknown task, submitter, submission or measure.
var ErrNotFound = errors.New("not found")

// ErrLocked means another process holds the database file (DuckDB allows one writer process).
var ErrLocked = errors.New("database is held by another process")

// Options for Open.
type Options struct {
	ReadOnly bool
	// Seeds to load; nil loads the embedded ones.
	Seeds *seeds.Set
	// MemoryLimit caps DuckDB's memory in this process ("512MB", "2GB"; "" keeps DuckDB's default of
	// 80 % of RAM). Beyond it DuckDB spills to a folder beside the database file (<db>.tmp). One
	// ingest run is one transaction, so without a cap its memory grows with the number of files.
	MemoryLimit string
}

// memoryLimitRE is the size forms DuckDB's memory_limit takes; anything else is refused with a
// message of ours before DuckDB sees it.
var memoryLimitRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)

// connInit runs on every new connection: no extension may be installed or loaded from the network,
// the machine is offline and a download attempt would only hang or fail late.
func connInit(execer driver.ExecerContext) error {
	for _, stmt := range []string{
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
	} {
		if _, err := execer.ExecContext(context.Background(), stmt, nil); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

// Open opens (creating if needed) the database at path, applies the schema, recreates the views and
// reloads the seeds. path "" opens an in-memory database.
func Open(ctx context.Context, dbPath string, opt Options) (*DB, error) {
	set := opt.Seeds
	if set == nil {
		var err error
		if set, err = seeds.Load(); err != nil {
			return nil, err
		}
	}
	cfg := url.Values{}
	if opt.ReadOnly {
		cfg.Set("access_mode", "READ_ONLY")
	}
	if opt.MemoryLimit != "" {
		if !memoryLimitRE.MatchString(opt.MemoryLimit) {
			return nil, fmt.Errorf("open %s: memory limit %q: want a size such as 512MB or 2GB（内存上限应写成 512MB、2GB 这样的大小）", dbPath, opt.MemoryLimit)
		}
		cfg.Set("memory_limit", opt.MemoryLimit)
	}
	// jemalloc's background thread hands freed pages back to the system as it goes: an ingest that
	// evicts and reloads blocks under its memory limit peaked 16 MiB lower at 100,000 files (270 vs
	// 286 MiB, docs/BENCHMARKS.md "Ingest memory").
	cfg.Set("allocator_background_threads", "true")
	dsn := dbPath
	if len(cfg) > 0 {
		dsn += "?" + cfg.Encode()
	}
	conn, err := duckdb.NewConnector(dsn, connInit)
	if err != nil {
		if strings.Contains(err.Error(), "Could not set lock") || strings.Contains(err.Error(), "Conflicting lock") {
			return nil, fmt.Errorf("open %s: %w", dbPath, ErrLocked)
		}
		return nil, fmt.Errorf("open %s: %w", dbPath, err)
	}
	db := &DB{DB: sql.OpenDB(conn), Seeds: set, Path: dbPath}
	if opt.ReadOnly {
		return db, nil
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Reload the reference data (and rebuild the derived tables) only when what they are built from
	// changed: an unchanged database opens without writing.
	var stored string
	err = db.QueryRowContext(ctx, mustSQL("seed_version_read")).Scan(&stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		db.Close()
		return nil, fmt.Errorf("open %s: seed version: %w", dbPath, err)
	}
	if fp := buildFingerprint(set); fp == "" || fp != stored {
		if err := db.LoadSeeds(ctx, set); err != nil {
			db.Close()
			return nil, err
		}
	}
	db.setRoster(set)
	return db, nil
}

// buildFingerprint identifies what the reference and derived tables are built from: the seed files,
// and the schema, views and refresh SQL of this binary (a new view must rebuild the derived tables).
// "" when the seeds were built by hand.
func buildFingerprint(set *seeds.Set) string {
	if set.Fingerprint == "" {
		return ""
	}
	h := sha256.New()
	h.Write([]byte(set.Fingerprint))
	var names []string
	for _, dir := range []string{"schema", "views"} {
		n, err := sortedSQL(dir)
		if err != nil {
			return ""
		}
		names = append(names, n...)
	}
	for _, r := range refreshFiles {
		names = append(names, "sql/"+r+".sql")
	}
	for _, name := range names {
		b, err := sqlFiles.ReadFile(name)
		if err != nil {
			return ""
		}
		fmt.Fprintf(h, "\x00%s\x00%d\x00", name, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// migrate applies schema/NNNN_*.sql not yet applied, each in its own transaction, then recreates the
// views (CREATE OR REPLACE), so a view fixed in a new binary reaches old databases.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.ExecContext(ctx, mustSQL("migrate_table")); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := sortedSQL("schema")
	if err != nil {
		return err
	}
	for _, name := range names {
		version, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migrate %s: file name must start with a number", name)
		}
		var n int
		if err := db.QueryRowContext(ctx, mustSQL("migrate_applied"), version).Scan(&n); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if n > 0 {
			continue
		}
		if err := db.inTx(ctx, func(tx *sql.Tx) error {
			if err := execFile(ctx, tx, name); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, mustSQL("migrate_record"), version, path.Base(name), time.Now().UTC())
			return err
		}); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	views, err := sortedSQL("views")
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		for _, name := range views {
			if err := execFile(ctx, tx, name); err != nil {
				return fmt.Errorf("views %s: %w", name, err)
			}
		}
		return nil
	})
}

func sortedSQL(dir string) ([]string, error) {
	entries, err := fs.ReadDir(sqlFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, dir+"/"+e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

func execFile(ctx context.Context, tx *sql.Tx, name string) error {
	b, err := sqlFiles.ReadFile(name)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, string(b))
	return err
}

// inTx runs fn in a transaction, committing on success.
func (db *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// mustSQL returns an embedded query by name (sql/<name>.sql). The set is fixed at build time and
// checked by the tests, so a missing file is a programming error.
func mustSQL(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name + ".sql")
	if err != nil {
		panic(fmt.Sprintf("queries: no sql/%s.sql", name))
	}
	return string(b)
}

// LoadSeeds replaces the reference tables with set, in one transaction; loading twice gives the same tables.
func (db *DB) LoadSeeds(ctx context.Context, set *seeds.Set) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for _, t := range []string{"tasks", "targets", "departments", "task_departments", "submitters", "universities", "template_rows"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return err
			}
		}
		// One statement per table, the rows as a JSON array: ≈450 single-row INSERTs took ≈0.25 s,
		// most of opening a new database (docs/BENCHMARKS.md, "Ingest memory", fifth session).
		for _, b := range seedBatches(set) {
			if _, err := tx.ExecContext(ctx, b.query, b.rows); err != nil {
				return fmt.Errorf("%s: %w", b.table, err)
			}
		}
		// coverage pairs depend on the tasks and the roster
		if err := Refresh(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, mustSQL("seed_version_clear")); err != nil {
			return err
		}
		if fp := buildFingerprint(set); fp != "" {
			if _, err := tx.ExecContext(ctx, mustSQL("seed_version_set"), fp, time.Now().UTC()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load seeds: %w", err)
	}
	db.setRoster(set)
	return nil
}

// setRoster records the roster names the submitters table now holds (see rosterNames).
func (db *DB) setRoster(set *seeds.Set) {
	names := map[string]bool{}
	for _, s := range set.Submitters {
		if s.Kind != seeds.KindUniversity { // universities are not in the roster (LoadSeeds)
			names[s.Name] = true
		}
	}
	db.rosterNames = names
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Checkpoint moves the WAL into the database file. DuckDB also checkpoints on close, but ignores a
// failure there; calling this first lets the caller say so. After a failure the committed data is
// still safe in the WAL and is replayed on the next open.
func (db *DB) Checkpoint(ctx context.Context) error {
	if _, err := db.ExecContext(ctx, mustSQL("checkpoint")); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}
