// Package querytest holds what the tests of the packages above queries share: a database opened with
// the embedded seeds and closed when the test ends, a copy of a closed database file, and a canonical
// dump of the tables ingest writes, to compare two states of a database. Test code only.
package querytest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lnvedash/queries"
)

// Open opens (creating, migrating and seeding) the database at path ("" = in memory) and closes it
// when tb ends.
func Open(tb testing.TB, path string) *queries.DB {
	tb.Helper()
	db, err := queries.Open(context.Background(), path, queries.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// CopyDB copies a closed database (the file and its WAL, if any) and nothing else: the archive is
// content-addressed and rebuilt by the next run.
func CopyDB(tb testing.TB, from, to string) {
	tb.Helper()
	_ = os.MkdirAll(filepath.Dir(to), 0o755)
	for _, suffix := range []string{"", ".wal"} {
		b, err := os.ReadFile(from + suffix)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// IngestRows are the queries of every row ingest writes, sorted, leaving out what differs between two
// equal runs (the run's clock, files.ingested_at). The runs themselves are RunsSummary.
var IngestRows = []string{
	"SELECT * EXCLUDE (ingested_at) FROM files ORDER BY ALL",
	"SELECT * FROM measure_rows ORDER BY ALL",
	"SELECT * FROM commitment_rows ORDER BY ALL",
	"SELECT * FROM finding_rows ORDER BY ALL",
}

// RunsSummary summarises ingest_runs without their clock: a rerun adds a run of duplicates by design.
const RunsSummary = "SELECT run_id, source, files, finished_at IS NOT NULL FROM ingest_runs ORDER BY ALL"

// Dump writes every row of each query to w under a "== query" line, with its row count.
func Dump(ctx context.Context, w io.Writer, db *queries.DB, qs ...string) error {
	for _, q := range qs {
		if err := dumpOne(ctx, w, db, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

func dumpOne(ctx context.Context, w io.Writer, db *queries.DB, q string) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "==", q, strings.Join(cols, ","))
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fmt.Fprintf(w, "%v\n", vals)
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	fmt.Fprintln(w, "rows", n)
	return nil
}
