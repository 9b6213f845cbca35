package dashboard

import (
	"context"
	"strings"
	"testing"

	"lnvedash/queries"
)

// Hostile texts a submitter could put in a cell; they must come out as text everywhere.
const (
	xssScript = `<script>alert('xss')</script>`
	xssImg    = `<img src=x onerror=alert(1)>`
)

// loadFixture writes a small, hand-countable set of returns into the base tables ingest writes
// (files, measure_rows, commitment_rows, finding_rows), as ingest would:
//   - 大连市: two accepted versions (id 1 older, id 2 current, received 2021-09-18, on time); the
//     current one has 3 measures (tasks 3, 20 and one unmatched), the old one 1 (task 3).
//   - 沈阳职业技术学院: one version (id 3, received 2021-09-25: late) with 2 measures (tasks 9, 3).
//   - bad.xls: rejected (legacy_xls), no submitter.
//   - 鞍山市: one rejected file (id 5, encrypted).
//
// Everyone else has not returned.
func loadFixture(t testing.TB, db *queries.DB) {
	t.Helper()
	ctx := context.Background()
	stmts := []string{
		`INSERT INTO ingest_runs VALUES (1, TIMESTAMP '2021-09-18 09:00:00', TIMESTAMP '2021-09-18 09:00:05', 'cli', 2),
		                               (2, TIMESTAMP '2021-09-25 10:00:00', TIMESTAMP '2021-09-25 10:00:03', 'upload', 3)`,
		`INSERT INTO files (submission_id, run_id, file_name, source_path, archive_path, sha256, size_bytes, submitter, kind, modified_at, ingested_at, rejected, reason, sheet, unit_cell, identity_source) VALUES
		 (1, 1, '大连市任务落实举措清单.xlsx', NULL, NULL, 'sha1', 1000, '大连市', 'city', TIMESTAMP '2021-09-10 08:00:00', TIMESTAMP '2021-09-18 09:00:01', false, NULL, '清单', '大连市教育局', 'unit'),
		 (2, 1, '大连市任务落实举措清单（修改）.xlsx', NULL, NULL, 'sha2', 1100, '大连市', 'city', TIMESTAMP '2021-09-15 08:00:00', TIMESTAMP '2021-09-18 09:00:02', false, NULL, '清单', '大连市教育局', 'unit'),
		 (3, 2, '沈阳职业技术学院.xlsx', NULL, NULL, 'sha3', 900, '沈阳职业技术学院', 'school', TIMESTAMP '2021-09-24 08:00:00', TIMESTAMP '2021-09-25 10:00:01', false, NULL, 'Sheet1', '沈阳职院', 'unit'),
		 (4, 2, 'bad.xls', NULL, NULL, 'sha4', 500, NULL, NULL, NULL, TIMESTAMP '2021-09-25 10:00:02', true, 'legacy_xls: 旧版 Excel 格式', NULL, NULL, NULL),
		 (5, 2, '鞍山市.xlsx', NULL, NULL, 'sha5', 600, '鞍山市', 'city', NULL, TIMESTAMP '2021-09-25 10:00:03', true, 'encrypted: 文件已加密', NULL, NULL, 'file_name')`,
		`INSERT INTO measure_rows (submission_id, sheet, "row", printed_no, area_text, task_text, task_no, match_method, match_score, measure, goal, owner, due, due_date, ongoing) VALUES
		 (1, '清单', 5, '3', '加强党的领导', '思政课', 3, 'content', 0.9, '旧举措：建设思政课示范课堂', '建设10个', '市教育局', '2022年6月', DATE '2022-06-30', false),
		 (2, '清单', 5, '3', '加强党的领导', '思政课', 3, 'content', 0.9, '` + sqlq(xssScript) + `建设思政课示范课堂', '建设20个示范课堂', '市教育局、市财政局', '2022年6月', DATE '2022-06-30', false),
		 (2, '清单', 6, '20', '部门协同', '职业技能培训', 20, 'content', 0.95, '开展职业技能培训', '培训1.2万人次', '市人社局', '长期', NULL, true),
		 (2, '清单', 7, '', '', '', NULL, 'none', 0, '其他工作安排', '', '', '2021年底', DATE '2021-12-31', false),
		 (3, 'Sheet1', 4, '9', '专业布局', '特色专业', 9, 'content', 0.9, '` + xssImg + `建设高水平特色专业群', '建设2个', '教务处', '2021.12', DATE '2021-12-31', false),
		 (3, 'Sheet1', 5, '3', '加强党的领导', '思政课', 3, 'content', 0.9, '推进课程思政', '课程思政教育案例5个', '马克思主义学院', '2022/9', DATE '2022-09-30', false)`,
		`INSERT INTO commitment_rows (submission_id, sheet, "row", seq, task_no, metric, value, unit, source) VALUES
		 (1, '清单', 5, 1, 3, '思想政治课示范课堂', 10, '个', '建设10个'),
		 (2, '清单', 5, 1, 3, '思想政治课示范课堂', 20, '个', '建设20个示范课堂'),
		 (2, '清单', 6, 1, 20, '职业技能培训', 12000, '人次', '培训1.2万人次'),
		 (3, 'Sheet1', 4, 1, 9, '高水平特色专业（群）', 2, '个', '建设2个'),
		 (3, 'Sheet1', 5, 1, 3, '课程思政教育案例', 5, '个', '课程思政教育案例5个')`,
		`INSERT INTO finding_rows VALUES
		 (2, '清单', 7, 'warning', 'task_unmatched', '第7行的任务内容为空，未能对应任务：` + sqlq(xssScript) + `'),
		 (3, 'Sheet1', 5, 'info', 'due_parsed', '“2022/9”按2022年9月30日计'),
		 (4, NULL, NULL, 'error', 'legacy_xls', '文件为旧版 .xls 格式，请另存为 .xlsx 后重新报送')`,
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("fixture: %v\n%s", err, s)
		}
	}
	if err := db.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
}

func sqlq(s string) string { return strings.ReplaceAll(s, "'", "''") }
