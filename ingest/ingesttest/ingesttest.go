// Package ingesttest builds the database the tests above ingest read from: the committed sample-data
// ingested by the real ingest into a fresh in-memory database, once per test binary. Test code only.
package ingesttest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"lnvedash/ingest"
	"lnvedash/queries"
)

// Dir is the data folder (archive included) of the database Main built, for tests that read archived files.
var Dir string

// Main is a whole TestMain: it ingests sampleDir (with opt; DataDir is a temporary folder) into a
// fresh in-memory database, sets *db to it, runs the tests and exits with their status.
func Main(m *testing.M, db **queries.DB, sampleDir string, opt ingest.Options) {
	os.Exit(run(m, db, sampleDir, opt))
}

func run(m *testing.M, out **queries.DB, sampleDir string, opt ingest.Options) int {
	flag.Parse()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lnvedash-sample-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	db, err := queries.Open(ctx, "", queries.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	opt.DataDir, Dir = dir, dir
	start := time.Now()
	if _, err := ingest.Run(ctx, db, opt, sampleDir); err != nil {
		fmt.Fprintln(os.Stderr, "ingest", sampleDir+":", err)
		return 1
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "%s ingested in %v\n", sampleDir, time.Since(start))
	}
	*out = db
	return m.Run()
}
