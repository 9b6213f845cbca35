package queries

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAppenderInTransaction is how we know the appender's rows belong to the run's open transaction:
// flushed rows are invisible to another connection before COMMIT and gone after ROLLBACK — those
// flushed when Append returns, and those handed over mid-run every FlushRows (to keep DuckDB's
// appender buffer small): none lost or doubled.
func TestAppenderInTransaction(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "tx.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func() int {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM finding_rows`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	defer func(n int) { FlushRows = n }(FlushRows)
	total := 0
	for _, tt := range []struct {
		name            string
		rows, flushRows int
		waiting         int // rows still in the appender when fn returns
	}{
		{"flushed at the end", 1, FlushRows, 1},
		{"flushed every 2 rows", 5, 2, 1}, // flushes at 2 and 4
	} {
		FlushRows = tt.flushRows
		for _, commit := range []bool{false, true} {
			tx, err := db.BeginIngest(ctx)
			if err != nil {
				t.Fatal(err)
			}
			err = tx.Append(func(a *Appender) error { // the rest flushed into the transaction when fn returns
				for i := 1; i <= tt.rows; i++ {
					if err := a.Finding(FindingRow{SubmissionID: 1, Sheet: tt.name, Row: i, Severity: "info", Code: "c", Message: "m"}); err != nil {
						return err
					}
				}
				if len(a.pending) != 1 {
					t.Errorf("%s: appenders counted: %d, want 1", tt.name, len(a.pending))
				}
				for _, n := range a.pending {
					if n != tt.waiting {
						t.Errorf("%s: rows waiting in the appender: %d, want %d", tt.name, n, tt.waiting)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var inside int
			if err := tx.conn.QueryRowContext(ctx, `SELECT count(DISTINCT "row") FROM finding_rows WHERE sheet = ?`, tt.name).Scan(&inside); err != nil {
				t.Fatal(err)
			}
			if inside != tt.rows || count() != total {
				t.Fatalf("%s, before commit=%v: inside %d distinct rows, outside %d; want %d, %d", tt.name, commit, inside, count(), tt.rows, total)
			}
			if commit {
				if err := tx.Commit(ctx); err != nil {
					t.Fatal(err)
				}
				total += tt.rows
			}
			tx.Rollback() // after Commit: only releases the connection
			if got := count(); got != total {
				t.Errorf("%s, after commit=%v: %d rows, want %d", tt.name, commit, got, total)
			}
		}
	}
}

// TestAppenderColumns checks that each typed row lands in the columns its fields are named for, and
// that the zero values documented as NULL are NULL: the order of the appended values is known only
// to ingest_rows.go, so a column added by ALTER TABLE without a field would shift every later one.
func TestAppenderColumns(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	tx, err := db.BeginIngest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	pct := 0.8
	err = tx.Append(func(a *Appender) error {
		for _, err := range []error{
			a.File(FileRow{SubmissionID: 7, RunID: 3, FileName: "f.xlsx", SourcePath: "in/f.xlsx", ArchivePath: "archive/ab/x.xlsx",
				SHA256: "x", SizeBytes: 42, Submitter: "大连市", Kind: "city", Sheet: "Sheet1", IdentitySource: "template", DocKind: "checklist"}),
			a.Measure(MeasureRow{SubmissionID: 7, Sheet: "Sheet1", Row: 5, TaskNo: 12, MatchMethod: "content", MatchScore: 0.9,
				Measure: "举措", Goal: "目标", Item: 2, Cell: "C5"}),
			a.Commitment(CommitmentRow{QuantityRow: QuantityRow{SubmissionID: 7, Sheet: "Sheet1", Row: 5, Seq: 1, Value: 3, Unit: "个", Source: "3个"},
				UnitWritten: "个"}),
			a.Finding(FindingRow{SubmissionID: 7, Severity: "warning", Code: "c", Message: "m"}),
			a.FileRound(7, 2),
			a.Progress(ProgressRow{SubmissionID: 7, Sheet: "进展", Row: 4, LinkMethod: "new", Status: "滞后", Percent: &pct, Lag: "原因"}),
			a.Quantity(QuantityRow{SubmissionID: 7, Sheet: "进展", Row: 4, Seq: 1, TaskNo: 9, Value: 2, Source: "2"}),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ q, want string }{
		{`SELECT concat_ws('|', file_name, source_path, archive_path, sha256, size_bytes, submitter, kind, rejected,
		    reason IS NULL, sheet, unit_cell IS NULL, identity_source, doc_kind, pages IS NULL) FROM files`,
			"f.xlsx|in/f.xlsx|archive/ab/x.xlsx|x|42|大连市|city|false|true|Sheet1|true|template|checklist|true"},
		{`SELECT concat_ws('|', sheet, "row", printed_no IS NULL, task_no, match_method, match_score, measure, goal,
		    owner IS NULL, due_date IS NULL, ongoing, item, cell) FROM measure_rows`,
			"Sheet1|5|true|12|content|0.9|举措|目标|true|true|false|2|C5"},
		{`SELECT concat_ws('|', seq, task_no IS NULL, metric IS NULL, value, unit, source, unit_written) FROM commitment_rows`,
			"1|true|true|3.0|个|3个|个"},
		{`SELECT concat_ws('|', sheet IS NULL, "row" IS NULL, severity, code, message) FROM finding_rows`, "true|true|warning|c|m"},
		{`SELECT concat_ws('|', submission_id, round_id) FROM file_rounds`, "7|2"},
		{`SELECT concat_ws('|', "row", measure_key IS NULL, link_method, task_no IS NULL, status, percent, lag_reason) FROM progress_rows`,
			"4|true|new|true|滞后|0.8|原因"},
		{`SELECT concat_ws('|', "row", seq, task_no, metric IS NULL, value, source) FROM progress_quantity_rows`, "4|1|9|true|2.0|2"},
	} {
		var got string
		if err := tx.conn.QueryRowContext(ctx, c.q).Scan(&got); err != nil {
			t.Fatalf("%s: %v", c.q, err)
		}
		if got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.q, got, c.want)
		}
	}
}

// TestIngestRefreshJoinsAsWritten is a run into an empty database under a small memory limit: 60
// versions of one unit's checklist, 3,000 measure rows of ≈600 bytes each (≈100 MB of text against a
// 48MB budget), the last version current. Inside the run DuckDB estimates the run's own rows at 0;
// left to its join order it builds the hash table of the refresh's join on measure_rows, every
// version's rows, and runs out of memory. IngestTx.Refresh runs the refresh's joins as written —
// every version's rows probed against the current file — and the run commits with exactly the
// current version's 3,000 rows. Afterwards the connection plans joins and threads as before.
func TestIngestRefreshJoinsAsWritten(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "refresh.duckdb"), Options{MemoryLimit: "48MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const versions, rows = 60, 3000
	text := strings.Repeat("推进产教融合实训基地建设", 16) // 192 characters, 576 bytes
	at := time.Date(2022, 5, 1, 0, 0, 0, 0, time.UTC)
	tx, err := db.BeginIngest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	err = tx.Append(func(a *Appender) error {
		for v := 1; v <= versions; v++ {
			if err := a.File(FileRow{SubmissionID: v, RunID: 1, FileName: fmt.Sprintf("v%d.xlsx", v), SHA256: fmt.Sprintf("%064d", v),
				Submitter: "沈阳市", Kind: "city", ModifiedAt: at.Add(time.Duration(v) * time.Hour), IngestedAt: at, DocKind: "checklist"}); err != nil {
				return err
			}
			for r := 1; r <= rows; r++ {
				// each row's text differs, so DuckDB cannot keep it as a dictionary of a few strings
				if err := a.Measure(MeasureRow{SubmissionID: v, Sheet: "清单", Row: r, TaskNo: 1 + r%54, MatchMethod: "exact",
					Measure: fmt.Sprintf("%d-%d%s", v, r, text), Owner: "市教育局"}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	settings := func() (s string) {
		if err := tx.conn.QueryRowContext(ctx, `SELECT current_setting('disabled_optimizers') || ' threads=' || current_setting('threads')`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := settings()
	if err := tx.Refresh(ctx); err != nil {
		t.Fatalf("refresh under a 48MB limit: %v", err)
	}
	if after := settings(); after != before {
		t.Errorf("after Refresh the connection's settings are %q, were %q", after, before)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var n, first, last int
	if err := db.QueryRow(`SELECT count(*), min(submission_id), max(submission_id) FROM measures WHERE submitter = '沈阳市'`).Scan(&n, &first, &last); err != nil {
		t.Fatal(err)
	}
	if n != rows || first != versions || last != versions {
		t.Errorf("current measures: %d rows of versions %d–%d, want %d rows of version %d", n, first, last, rows, versions)
	}
}
