package queries

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// IngestTx is one ingest run's write transaction, on one connection: the run's bookkeeping, the reads
// it makes before numbering files (what is stored already, the last numbers, the progress rounds and
// plans) and the appended rows (Append) all commit or roll back together. The tables and the
// statements that write them are this package's; ingest hands it typed rows.
type IngestTx struct {
	conn *sql.Conn
	done bool
	// lean: the refresh's settings are on (Refresh); Rollback resets them before the connection
	// returns to the pool.
	lean bool
}

// BeginIngest opens a connection and starts the run's transaction on it. The caller holds
// LockIngest for the run (submission numbers are max+1 inside the transaction) and ends the
// transaction with Commit or Rollback (a Rollback after Commit does nothing).
func (db *DB) BeginIngest(ctx context.Context) (*IngestTx, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("ingest write: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		conn.Close()
		return nil, fmt.Errorf("ingest write: begin: %w", err)
	}
	return &IngestTx{conn: conn}, nil
}

// LockIngest serialises ingest runs on this handle (the dashboard may start an upload while the inbox
// watcher runs); the returned func unlocks. One process holds one handle on a database file.
func (db *DB) LockIngest() (unlock func()) {
	db.ingestMu.Lock()
	return db.ingestMu.Unlock
}

// DataDir is the folder received files are archived under: the database file's folder, or for an
// in-memory database a temporary folder made on first use and kept for the life of the handle, so
// every run on it archives to the same place.
func (db *DB) DataDir() (string, error) {
	if db.Path != "" {
		return filepath.Dir(db.Path), nil
	}
	db.memDirMu.Lock()
	defer db.memDirMu.Unlock()
	if db.memDir == "" {
		d, err := os.MkdirTemp("", "lnvedash-data-")
		if err != nil {
			return "", fmt.Errorf("ingest: data folder: %w", err)
		}
		db.memDir = d
	}
	return db.memDir, nil
}

// Commit commits the run.
func (tx *IngestTx) Commit(ctx context.Context) error {
	if _, err := tx.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("ingest write: commit: %w", err)
	}
	tx.done = true
	return nil
}

// Rollback rolls back an uncommitted run (on a fresh context: the run's may be cancelled) and
// releases the connection; it is safe to defer.
func (tx *IngestTx) Rollback() {
	if !tx.done {
		_, _ = tx.conn.ExecContext(context.Background(), "ROLLBACK")
		tx.done = true
	}
	if tx.lean {
		_, _ = tx.conn.ExecContext(context.Background(), mustSQL("ingest.refresh_lean_reset"))
	}
	tx.conn.Close()
}

// Refresh rebuilds the derived tables inside the run's transaction, with the joins in the order the
// refresh SQL writes them, on one thread (sql/ingest.refresh_lean.sql). DuckDB's estimates leave
// out the rows this transaction wrote (a run into an empty database sees measure_rows as empty), and
// on them it builds the hash table of a join on every version's rows instead of the few current
// files': 3.7 GiB at 100,000 files, where the written order stays under the memory limit
// (docs/BENCHMARKS.md, "Ingest memory"; TestIngestRefreshJoinsAsWritten). In the dashboard's
// process the one thread holds for the refresh only; the SQL console's workers have their own.
func (tx *IngestTx) Refresh(ctx context.Context) error {
	if _, err := tx.conn.ExecContext(ctx, mustSQL("ingest.refresh_lean")); err != nil {
		return fmt.Errorf("ingest write: refresh: %w", err)
	}
	tx.lean = true
	if err := Refresh(ctx, tx.conn); err != nil {
		return err
	}
	if _, err := tx.conn.ExecContext(ctx, mustSQL("ingest.refresh_lean_reset")); err != nil {
		return fmt.Errorf("ingest write: refresh: %w", err)
	}
	tx.lean = false
	return nil
}

// StoredFile is a file already in the database, by files.sha256.
type StoredFile struct {
	SubmissionID int
	Submitter    string
	Rejected     bool
	Reason       string // files.reason: "code: message"
}

// StoredFiles is what is already in the database, so byte-identical files are not loaded twice.
func (tx *IngestTx) StoredFiles(ctx context.Context) (map[string]StoredFile, error) {
	type keyed struct {
		sha string
		f   StoredFile
	}
	list, err := querySlice(ctx, tx.conn, "ingest.existing_files", func(rows *sql.Rows) (k keyed, err error) {
		err = rows.Scan(&k.sha, &k.f.SubmissionID, &k.f.Submitter, &k.f.Rejected, &k.f.Reason)
		return
	})
	m := make(map[string]StoredFile, len(list))
	for _, k := range list {
		m[k.sha] = k.f
	}
	return m, err
}

// LastIDs reads the last submission and run numbers.
func (tx *IngestTx) LastIDs(ctx context.Context) (submission, run int, err error) {
	if err := tx.conn.QueryRowContext(ctx, mustSQL("ingest.next_ids")).Scan(&submission, &run); err != nil {
		return 0, 0, fmt.Errorf("next_ids: %w", err)
	}
	return submission, run, nil
}

// RunRow is one ingest_runs row as the run starts (finished_at is set by FinishRun).
type RunRow struct {
	RunID     int
	StartedAt time.Time
	Source    string // cli / inbox / upload
	Files     int
}

// InsertRun records the start of a run.
func (tx *IngestTx) InsertRun(ctx context.Context, r RunRow) error {
	if _, err := tx.conn.ExecContext(ctx, mustSQL("ingest.insert_run"), r.RunID, r.StartedAt, nil, r.Source, r.Files); err != nil {
		return fmt.Errorf("insert_run: %w", err)
	}
	return nil
}

// FinishRun stamps the run finished at at, just before its transaction commits.
func (tx *IngestTx) FinishRun(ctx context.Context, runID int, at time.Time) error {
	if _, err := tx.conn.ExecContext(ctx, mustSQL("ingest.finish_run"), at, runID); err != nil {
		return fmt.Errorf("ingest write: finish run: %w", err)
	}
	return nil
}

// RunStatus gives the status the submissions view gives each file of the run, by submission id.
func (tx *IngestTx) RunStatus(ctx context.Context, runID int) (map[int]string, error) {
	type idStatus struct {
		id     int
		status string
	}
	list, err := querySlice(ctx, tx.conn, "ingest.run_status", func(rows *sql.Rows) (s idStatus, err error) {
		err = rows.Scan(&s.id, &s.status)
		return
	}, runID)
	status := make(map[int]string, len(list))
	for _, s := range list {
		status[s.id] = s.status
	}
	return status, err
}

// RoundRef is a round a progress return may belong to.
type RoundRef struct {
	ID         int
	Name, Kind string
}

// ProgressRounds lists the rounds, progress rounds first and latest as-of first.
func (tx *IngestTx) ProgressRounds(ctx context.Context) ([]RoundRef, error) {
	return querySlice(ctx, tx.conn, "ingest.progress_rounds", func(rows *sql.Rows) (r RoundRef, err error) {
		err = rows.Scan(&r.ID, &r.Name, &r.Kind)
		return
	})
}

// PlanLink is a current plan measure as a progress row is linked to it.
type PlanLink struct {
	Key, Submitter string
	TaskNo         int
	Measure, Goal  string
	// the first quantity committed in 完成目标: a bare number in 已完成数量 counts in its unit
	Metric, Unit string
	Committed    bool
}

// PlanLinks lists every current plan measure by submitter, read after the run's plan files are in
// (a unit may send plan and progress at once) and the derived tables refreshed.
func (tx *IngestTx) PlanLinks(ctx context.Context) (map[string][]PlanLink, error) {
	list, err := querySlice(ctx, tx.conn, "ingest.progress_plans", func(rows *sql.Rows) (m PlanLink, err error) {
		err = rows.Scan(&m.Key, &m.Submitter, &m.TaskNo, &m.Measure, &m.Goal, &m.Metric, &m.Unit, &m.Committed)
		return
	})
	out := map[string][]PlanLink{}
	for _, m := range list {
		out[m.Submitter] = append(out[m.Submitter], m)
	}
	return out, err
}
