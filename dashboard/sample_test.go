package dashboard

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

// sampleDB is a real database built once from sample-data/ by the real ingest (TestMain); its
// archive is under sampleDataDir.
var (
	sampleDB      *queries.DB
	sampleDataDir string
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	flag.Parse()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lnvedash-dashboard-test-")
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
	start := time.Now()
	if _, err := ingest.Run(ctx, db, ingest.Options{DataDir: dir, Source: "cli"}, "../sample-data"); err != nil {
		fmt.Fprintln(os.Stderr, "ingest sample-data:", err)
		return 1
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "sample-data ingested in %v\n", time.Since(start))
	}
	sampleDB, sampleDataDir = db, dir
	return m.Run()
}
