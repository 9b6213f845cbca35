package queries

import (
	"context"
	"testing"
)

// Each derived table must equal what its view computed live from the base tables before it was
// materialised — checked on the fixture, and again after a resubmission changes who is current.
func TestDerivedTablesMatchLiveViews(t *testing.T) {
	db := MustOpenFixture(t)
	ctx := context.Background()
	checks := []struct{ name, derived, live string }{
		{"current measures", "SELECT * FROM measures",
			"SELECT * EXCLUDE (status) FROM all_measures WHERE status = 'current'"},
		{"file status", "SELECT submission_id, status FROM file_status",
			`SELECT submission_id, CASE WHEN rejected THEN 'rejected'
			     WHEN row_number() OVER (PARTITION BY submitter, rejected ORDER BY modified_at DESC NULLS LAST, submission_id DESC) = 1
			     THEN 'current' ELSE 'superseded' END FROM files`},
		{"current commitments", "SELECT * FROM commitments",
			`SELECT c.submission_id, s.submitter, s.kind, s.city, c.task_no, c.metric, c.value, c.unit, c.source, c.sheet, c."row", c.seq
			 FROM commitment_rows c JOIN all_measures s ON s.submission_id = c.submission_id AND s.sheet = c.sheet AND s."row" = c."row"
			 WHERE s.status = 'current'`},
		{"local units", "SELECT * FROM local_units", "SELECT * FROM local_units_source"},
		{"coverage by submitter", "SELECT * FROM coverage_by_submitter", "SELECT * FROM coverage_by_submitter_source"},
	}
	compare := func(stage string) {
		for _, c := range checks {
			var onlyDerived, onlyLive, total int
			q := "SELECT (SELECT count(*) FROM (" + c.derived + " EXCEPT ALL " + c.live + ")), " +
				"(SELECT count(*) FROM (" + c.live + " EXCEPT ALL " + c.derived + ")), (SELECT count(*) FROM (" + c.derived + "))"
			if err := db.QueryRowContext(ctx, q).Scan(&onlyDerived, &onlyLive, &total); err != nil {
				t.Fatalf("%s %s: %v", stage, c.name, err)
			}
			if onlyDerived != 0 || onlyLive != 0 || total == 0 {
				t.Errorf("%s %s: %d rows only derived, %d only live, %d in all", stage, c.name, onlyDerived, onlyLive, total)
			}
		}
	}
	compare("fixture")
	// 大连市 sends a corrected version: its v1 (id 3) becomes superseded.
	if _, err := db.ExecContext(ctx, `
		INSERT INTO files (submission_id, run_id, file_name, sha256, size_bytes, submitter, kind, modified_at, ingested_at, rejected)
		VALUES (8, 2, '大连(修改).xlsx', 'sha8', 900, '大连市', 'city', TIMESTAMP '2021-09-24 09:00:00', TIMESTAMP '2021-09-26 09:00:00', false);
		INSERT INTO measure_rows (submission_id, sheet, "row", printed_no, area_text, task_text, task_no, match_method, match_score, measure, goal, owner, due, due_date, ongoing) VALUES
		    (8, '清单', 4, '1', NULL, NULL, 1, 'content', 1.0, '选派技术管理人才', '配备2名', '市教育局、市人社局', '2021.12', DATE '2021-12-31', false);
		INSERT INTO commitment_rows VALUES (8, '清单', 4, 1, 1, NULL, 2, '名', '配备2名');`); err != nil {
		t.Fatal(err)
	}
	if err := db.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	compare("after resubmission")
	var status string
	if err := db.QueryRowContext(ctx, `SELECT status FROM submissions WHERE submission_id = 3`).Scan(&status); err != nil || status != "superseded" {
		t.Errorf("大连 v1 = %q, %v; want superseded", status, err)
	}
}
