package queries

import (
	"context"
	"database/sql"
	"fmt"
)

// Execer is what Refresh needs: a *sql.DB, *sql.Tx or *sql.Conn inside a transaction.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// refreshFiles rebuild the derived tables, in this order (the progress tables read the plan's); Refresh
// names them again literally so the SQL-file check sees them.
var refreshFiles = []string{"refresh_derived", "refresh_progress"}

// Refresh rebuilds the derived tables (schema/0002_derived.sql) from the base tables. Whoever changes
// files, measure_rows, tasks or submitters calls it in the same transaction: ingest before COMMIT,
// LoadSeeds, and test fixtures that insert rows by hand.
func Refresh(ctx context.Context, ex Execer) error {
	for i, q := range []string{mustSQL("refresh_derived"), mustSQL("refresh_progress")} {
		if _, err := ex.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("refresh derived tables (%s): %w", refreshFiles[i], err)
		}
	}
	return nil
}

// Refresh rebuilds the derived tables in a transaction of its own.
func (db *DB) Refresh(ctx context.Context) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return Refresh(ctx, tx) })
}
