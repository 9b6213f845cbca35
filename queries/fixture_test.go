package queries

import (
	"context"
	"os"
	"testing"
)

// MustOpenFixture opens a fresh in-memory database with the seeds and testdata/fixture.sql loaded.
func MustOpenFixture(tb testing.TB) *DB {
	tb.Helper()
	db := MustOpen(tb)
	b, err := os.ReadFile("testdata/fixture.sql")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.ExecContext(context.Background(), string(b)); err != nil {
		tb.Fatalf("fixture: %v", err)
	}
	// rows inserted by hand, as ingest would: rebuild the derived tables as ingest does before COMMIT
	if err := db.Refresh(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return db
}
