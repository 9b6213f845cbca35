package access

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// Store writes links and the audit log. Ids are max+1 inside the writing transaction, so writes in
// this process are serialised by mu (DuckDB would otherwise abort one of two racing transactions).
type Store struct {
	DB  *sql.DB
	Now func() time.Time // nil = time.Now
	mu  sync.Mutex
}

// NewStore returns a store over db.
func NewStore(db *sql.DB) *Store { return &Store{DB: db} }

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Write runs fn in one transaction, serialised with every other write of this store; the audit
// entries fn adds commit or roll back with the change they record.
func (s *Store) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("access: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("access: commit: %w", err)
	}
	return nil
}

// Actor is who did something: a role and, for reviewers and units, a name.
type Actor struct {
	Role Role
	Name string // reviewer's or unit's name; "" for admin and cli
}

// Entry is one audit_log row.
type Entry struct {
	ID           int
	At           time.Time
	Actor        Actor
	Action       string // see the Action constants
	Submitter    string
	SubmissionID int
	RoundID      int // 0 = 1
	Detail       string
}

// Audit actions.
const (
	ActLinkIssued    = "link_issued"
	ActLinkRevoked   = "link_revoked"
	ActUpload        = "upload"
	ActUploadRefused = "upload_refused"
	ActComment       = "comment"
	ActDecision      = "decision"
)

// Audit appends e to audit_log inside tx.
func (s *Store) Audit(ctx context.Context, tx *sql.Tx, e Entry) error {
	if e.RoundID == 0 {
		e.RoundID = 1
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	if _, err := tx.ExecContext(ctx, mustSQL("audit_insert"), e.At, string(e.Actor.Role), nullable(e.Actor.Name),
		e.Action, nullable(e.Submitter), nullableInt(e.SubmissionID), e.RoundID, nullable(e.Detail)); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// Log appends one entry in its own transaction (uploads: the ingest run has committed already).
func (s *Store) Log(ctx context.Context, e Entry) error {
	return s.Write(ctx, func(tx *sql.Tx) error { return s.Audit(ctx, tx, e) })
}

// AuditEntries lists the newest entries first, for one submitter ("" = all).
func (s *Store) AuditEntries(ctx context.Context, submitter string, limit int) ([]Entry, error) {
	rows, err := s.DB.QueryContext(ctx, mustSQL("audit_list"), submitter, submitter, limit)
	if err != nil {
		return nil, fmt.Errorf("audit list: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var role string
		if err := rows.Scan(&e.ID, &e.At, &role, &e.Actor.Name, &e.Action, &e.Submitter, &e.SubmissionID, &e.RoundID, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit list: %w", err)
		}
		e.Actor.Role = Role(role)
		out = append(out, e)
	}
	return out, rows.Err()
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullableInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}
