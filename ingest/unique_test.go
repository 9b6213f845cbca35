package ingest

import (
	"context"
	"testing"

	"lnvedash/queries"
)

// TestMeasureRowsUnique: measure_rows has no key since schema 0010 (DuckDB keeps a key's index in
// memory, ≈4 KiB per ingested file), so ingest alone must keep (submission_id, sheet, row, item)
// unique. The sample returns (numbered lists split into items, workbooks of several checklist sheets)
// and the corpus of returns written by other tools, each ingested twice: every measure row once, and
// the second run adds nothing.
func TestMeasureRowsUnique(t *testing.T) {
	ctx := context.Background()
	db, err := queries.Open(ctx, "", queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	var total int
	for i := 0; i < 2; i++ {
		if _, err := Run(ctx, db, Options{DataDir: dir}, "../sample-data", "testdata/corpus"); err != nil {
			t.Fatal(err)
		}
		var n, dups, split int
		err := db.QueryRow(`SELECT count(*),
		            count(*) - count(DISTINCT (submission_id, sheet, "row", item)),
		            count(*) FILTER (WHERE item > 0)
		     FROM measure_rows`).Scan(&n, &dups, &split)
		if err != nil {
			t.Fatal(err)
		}
		if dups != 0 {
			t.Errorf("run %d: %d measure rows repeat another's (submission, sheet, row, item)", i+1, dups)
		}
		if split == 0 || n < 3000 {
			t.Errorf("run %d: %d measure rows, %d of them list items: the sample was not read", i+1, n, split)
		}
		if i == 1 && n != total {
			t.Errorf("the second run of the same files changed measure_rows from %d to %d rows", total, n)
		}
		total = n
	}
}
