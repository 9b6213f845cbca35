package sqlconsole

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"lnvedash/queries"
)

// TestMain lets the test binary act as the worker: the console re-executes os.Executable() sql-worker.
func TestMain(m *testing.M) {
	if IsWorker() {
		if err := ServeWorker(context.Background(), os.Stdin, os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fixtureSQL is a tiny set of returns: two colleges in 大连 and one city.
const fixtureSQL = `
INSERT INTO ingest_runs VALUES (1, TIMESTAMP '2022-03-01 10:00:00', TIMESTAMP '2022-03-01 10:01:00', 'cli', 3);
INSERT INTO files (submission_id, run_id, file_name, source_path, sha256, size_bytes, submitter, kind, modified_at, ingested_at, rejected, reason)
VALUES (1, 1, '大连职院.xlsx', '/srv/secret/inbox/大连职院.xlsx', 'a1', 100, '大连职业技术学院', 'school', TIMESTAMP '2022-02-01 00:00:00', TIMESTAMP '2022-03-01 10:00:00', false, NULL),
       (2, 1, '航运.xlsx', '/srv/secret/inbox/航运.xlsx', 'a2', 100, '大连航运职业技术学院', 'school', TIMESTAMP '2022-02-01 00:00:00', TIMESTAMP '2022-03-01 10:00:00', false, NULL),
       (3, 1, '大连市.xlsx', '/srv/secret/inbox/大连市.xlsx', 'a3', 100, '大连市', 'city', TIMESTAMP '2022-02-01 00:00:00', TIMESTAMP '2022-03-01 10:00:00', false, NULL);
INSERT INTO measure_rows (submission_id, sheet, "row", task_no, measure, goal, owner, due, due_date, ongoing) VALUES
 (1, 'Sheet1', 5, 24, '建设智能制造产业学院', '建成1个', '教务处', NULL, NULL, false),
 (1, 'Sheet1', 6, 1, '完善章程', NULL, '党委办', '2022年6月', DATE '2022-06-30', false),
 (2, 'Sheet1', 5, 24, '建设航运产业学院', NULL, '航海学院', '长期', NULL, true),
 (3, 'Sheet1', 5, 24, '推动产业学院建设', NULL, '大连市教育局', '2022年底前', DATE '2022-12-31', false);
`

// newFixtureDB writes a database file with the seeds and the fixture, closed, and returns its path.
func newFixtureDB(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "lnvedash.duckdb")
	db, err := queries.Open(context.Background(), path, queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fixtureSQL); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func newConsole(t testing.TB, opt Options) *Console {
	t.Helper()
	if opt.Stderr == nil {
		opt.Stderr = io.Discard
	}
	c, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func fileSHA(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// listing returns every file under dir (relative names), for before/after comparisons.
func listing(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out
}
