-- A database at the 1,000-checklist scale for BenchmarkViews, generated deterministically (hash of the
-- row's coordinates) so every run measures the same data:
--   * 1,000 files spread round-robin over the 63 rostered submitters (so ~15 versions each, all but one
--     superseded), 1 in 20 rejected;
--   * per accepted file, 3 measures for ~90 % of the 54 tasks (~146 rows per checklist), 1 in 50 matched
--     to no task; due dates over 2021-09 .. 2024-02, 1 in 10 ongoing, 1 in 20 without a date;
--   * a commitment on the first measure of every task that has a target; two findings per file.
CREATE TEMP TABLE bench_roster AS
SELECT row_number() OVER (ORDER BY kind, submitter) - 1 AS idx, submitter, kind FROM submitters;

INSERT INTO ingest_runs
SELECT r, TIMESTAMP '2021-09-01' + to_days(r::INTEGER), TIMESTAMP '2021-09-01' + to_days(r::INTEGER) + to_minutes(5), 'cli', 100
FROM range(1, 11) t(r);

INSERT INTO files (submission_id, run_id, file_name, sha256, size_bytes, submitter, kind, modified_at, ingested_at,
                   rejected, reason, sheet, identity_source)
SELECT i, 1 + i % 10, 'checklist-' || i || '.xlsx', sha256(i::VARCHAR), 10000 + (hash(i) % 5000)::BIGINT,
       r.submitter, r.kind,
       TIMESTAMP '2021-09-01' + to_seconds((hash(i, 'modified') % 2000000)::BIGINT),
       TIMESTAMP '2021-09-01' + to_seconds(i * 1800),
       hash(i, 'rejected') % 20 = 0,
       CASE WHEN hash(i, 'rejected') % 20 = 0 THEN 'corrupt: generated' END,
       'Sheet1', 'unit'
FROM range(1, 1001) t(i)
JOIN bench_roster r ON r.idx = i % (SELECT count(*) FROM submitters);

INSERT INTO measure_rows
SELECT f.submission_id, 'Sheet1', (5 + (t.task_no - 1) * 3 + k)::INTEGER, t.task_no::VARCHAR, t.area, t.content,
       CASE WHEN hash(f.submission_id, t.task_no, k, 'unmatched') % 50 = 0 THEN NULL ELSE t.task_no END,
       'content', 1.0,
       '举措' || t.task_no || '-' || k || '：' || (hash(f.submission_id, t.task_no, k) % 7),
       '建设' || (hash(f.submission_id, t.task_no, k, 'goal') % 10) || '个',
       CASE hash(f.submission_id, t.task_no, k, 'owner') % 4
            WHEN 0 THEN '教务处、人事处' WHEN 1 THEN '市教育局（牵头）/省人社厅'
            WHEN 2 THEN '科研处，招生就业处' ELSE '发展规划处' END,
       CASE WHEN d.bucket = 0 THEN '长期' WHEN d.bucket = 1 THEN '待定' ELSE strftime(d.due_date, '%Y年%m月') END,
       CASE WHEN d.bucket > 1 THEN d.due_date END,
       d.bucket = 0
FROM files f
CROSS JOIN tasks t
CROSS JOIN range(3) m(k)
CROSS JOIN LATERAL (SELECT CASE WHEN hash(f.submission_id, t.task_no, k, 'due') % 20 < 2 THEN 0
                                WHEN hash(f.submission_id, t.task_no, k, 'due') % 20 < 3 THEN 1 ELSE 2 END AS bucket,
                           DATE '2021-09-30' + (hash(f.submission_id, t.task_no, k, 'date') % 880)::INTEGER AS due_date) d
WHERE NOT f.rejected AND hash(f.submission_id, t.task_no) % 10 < 9;

INSERT INTO commitment_rows (submission_id, sheet, "row", seq, task_no, metric, value, unit, source)
SELECT m.submission_id, m.sheet, m."row", 1, m.task_no, tg.metric,
       1 + (hash(m.submission_id, m.task_no) % 5)::DOUBLE, tg.unit, m.goal
FROM measure_rows m
JOIN (SELECT task_no, arg_min(metric, metric) AS metric, arg_min(unit, metric) AS unit
      FROM targets WHERE task_no IS NOT NULL GROUP BY task_no) tg USING (task_no)
WHERE (m."row" - 5) % 3 = 0;

INSERT INTO finding_rows
SELECT submission_id, 'Sheet1', 5, 'warning', 'number_mismatch', '序号与任务内容不一致' FROM files WHERE NOT rejected
UNION ALL
SELECT submission_id, NULL, NULL, CASE WHEN rejected THEN 'error' ELSE 'info' END, 'generated', '生成的数据' FROM files;

DROP TABLE bench_roster;
