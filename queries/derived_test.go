package queries

import (
	"context"
	"testing"
)

// Each derived table must hold the values worked out by hand from testdata/fixture.sql, and again after
// a resubmission changes who is current; it must also equal what its view computes live from the base
// tables (which catches a missing refresh, not a wrong value: the hand values do that).
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
			`SELECT c.submission_id, s.submitter, s.kind, s.city, c.task_no, c.metric, c.value, c.unit, c.source, c.sheet, c."row", c.seq, c.unit_written
			 FROM commitment_rows c JOIN all_measures s ON s.submission_id = c.submission_id AND s.sheet = c.sheet AND s."row" = c."row"
			 WHERE s.status = 'current'`},
		{"local units", "SELECT * FROM local_units", "SELECT * FROM local_units_source"},
		{"coverage by submitter", "SELECT * FROM coverage_by_submitter", "SELECT * FROM coverage_by_submitter_source"},
	}
	// hand compares one aggregate per derived table with the values worked out by hand.
	hand := func(stage string, want map[string]string) {
		t.Helper()
		qs := map[string]string{
			"file_status": `SELECT string_agg(submission_id || ':' || status, ' ' ORDER BY submission_id) FROM file_status`,
			"measures":    `SELECT string_agg(submission_id || ':' || n, ' ' ORDER BY submission_id) FROM (SELECT submission_id, count(*) AS n FROM measures GROUP BY ALL)`,
			"commitments": `SELECT string_agg(submission_id || ':' || n || ':' || v, ' ' ORDER BY submission_id) FROM (SELECT submission_id, count(*) AS n, sum(value)::BIGINT AS v FROM commitments GROUP BY ALL)`,
			"local_units": `SELECT string_agg(submission_id || ':' || "row" || ':' || unit || ':' || coalesce(department, '-'), ' ' ORDER BY submission_id, "row", unit)
			                FROM local_units WHERE submitter = '大连市'`,
			"coverage_pairs": `SELECT count(*) FILTER (WHERE expected AND addressed) || ' ' || count(*) FILTER (WHERE NOT expected AND addressed) FROM coverage_pairs`,
			"coverage_by_submitter": `SELECT string_agg(submitter || ':' || tasks_addressed || '/' || tasks_expected || ':' || measures, ' ' ORDER BY submitter)
			                FROM coverage_by_submitter WHERE measures > 0`,
		}
		for name, w := range want {
			var got string
			if err := db.QueryRowContext(ctx, qs[name]).Scan(&got); err != nil {
				t.Fatalf("%s %s: %v", stage, name, err)
			}
			if got != w {
				t.Errorf("%s %s:\n got %s\nwant %s", stage, name, got, w)
			}
		}
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
	hand("fixture", map[string]string{
		// 沈阳市 v1 (1) is older than v2 (2); 5 and 7 were rejected.
		"file_status": "1:superseded 2:current 3:current 4:current 5:rejected 6:current 7:rejected",
		"measures":    "2:5 3:3 4:5 6:2",
		// The current files' commitments: 沈阳 v2 one (2), 大连 two (3 + 12000), 沈阳职院 three (5 + 3 + 100), 轻工 two (90 + 2).
		"commitments": "2:1:2 3:2:12003 4:3:108 6:2:92",
		// 大连市 row 4 "市教育局（牵头）、省人社厅": the remark dropped, 省人社厅 → its department; row 5 "市总工会"
		// is a city body, kept as written; row 6 has no 责任单位.
		"local_units": "3:4:市教育局:- 3:4:省人力资源社会保障厅:省人力资源社会保障厅 3:5:市总工会:-",
		// Expected and addressed: 沈阳市 1, 5, 37; 大连市 1; 沈阳职院 1, 2, 3; 轻工 1, 24. Addressed but not
		// expected: 大连市 2 and 37, 沈阳职院 43.
		"coverage_pairs":        "9 3",
		"coverage_by_submitter": "大连市:1/42:3 沈阳市:3/43:5 沈阳职业技术学院:3/38:5 辽宁轻工职业学院:2/38:2",
	})
	// 大连市 sends a corrected version: its v1 (id 3) becomes superseded.
	if _, err := db.ExecContext(ctx, `
		INSERT INTO files (submission_id, run_id, file_name, sha256, size_bytes, submitter, kind, modified_at, ingested_at, rejected)
		VALUES (8, 2, '大连(修改).xlsx', 'sha8', 900, '大连市', 'city', TIMESTAMP '2021-09-24 09:00:00', TIMESTAMP '2021-09-26 09:00:00', false);
		INSERT INTO measure_rows VALUES
		    (8, '清单', 4, '1', NULL, NULL, 1, 'content', 1.0, '选派技术管理人才', '配备2名', '市教育局、市人社局', '2021.12', DATE '2021-12-31', false);
		INSERT INTO commitment_rows (submission_id, sheet, "row", seq, task_no, metric, value, unit, source) VALUES (8, '清单', 4, 1, 1, NULL, 2, '名', '配备2名');`); err != nil {
		t.Fatal(err)
	}
	if err := db.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	compare("after resubmission")
	hand("after resubmission", map[string]string{
		"file_status":           "1:superseded 2:current 3:superseded 4:current 5:rejected 6:current 7:rejected 8:current",
		"measures":              "2:5 4:5 6:2 8:1",
		"commitments":           "2:1:2 4:3:108 6:2:92 8:1:2",
		"local_units":           "8:4:市人社局:- 8:4:市教育局:-",
		"coverage_pairs":        "9 1", // 大连市 v8 has task 1 only: 沈阳职院 43 is left
		"coverage_by_submitter": "大连市:1/42:1 沈阳市:3/43:5 沈阳职业技术学院:3/38:5 辽宁轻工职业学院:2/38:2",
	})
	var status string
	if err := db.QueryRowContext(ctx, `SELECT status FROM submissions WHERE submission_id = 3`).Scan(&status); err != nil || status != "superseded" {
		t.Errorf("大连 v1 = %q, %v; want superseded", status, err)
	}
}
