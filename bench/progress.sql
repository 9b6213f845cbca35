-- A progress round over a benchmark database (BenchmarkProgress): 1,000 progress returns spread
-- round-robin over the rostered units that returned a plan, all but one per unit superseded, 1 in 20
-- units sending nothing. Every return reports on every current plan measure of its unit, the status
-- chosen by a hash of the row (deterministic across runs), 1 row in 10 left blank, and a quantity
-- achieved for every measure with a commitment. As ingest would write it; Refresh follows.
INSERT INTO rounds VALUES (2, '基准进展轮次', '进展', DATE '2022-06-30', DATE '2022-07-15', TIMESTAMP '2022-06-01 00:00:00');

CREATE TEMP TABLE bench_units AS
SELECT row_number() OVER (ORDER BY submitter) - 1 AS idx, submitter, kind
FROM (SELECT DISTINCT submitter, kind FROM current_measure_rows WHERE submitter IS NOT NULL)
WHERE hash(submitter, 'silent') % 20 <> 0;

INSERT INTO ingest_runs
SELECT (SELECT max(run_id) FROM ingest_runs) + 1, TIMESTAMP '2022-07-10', TIMESTAMP '2022-07-10 00:05:00', 'cli', 1000;

CREATE TEMP TABLE bench_files AS
SELECT (SELECT max(submission_id) FROM files) + i AS submission_id, u.submitter, u.kind, i
FROM range(1, 1001) t(i)
JOIN bench_units u ON u.idx = i % (SELECT count(*) FROM bench_units);

INSERT INTO files (submission_id, run_id, file_name, sha256, size_bytes, submitter, kind, modified_at, ingested_at,
                   rejected, reason, sheet, identity_source)
SELECT submission_id, (SELECT max(run_id) FROM ingest_runs), 'progress-' || i || '.xlsx', sha256('progress' || i),
       20000, submitter, kind, TIMESTAMP '2022-07-01' + to_seconds(i * 600), TIMESTAMP '2022-07-01' + to_seconds(i * 600 + 60),
       false, NULL, '进展情况', 'template'
FROM bench_files;

INSERT INTO file_rounds SELECT submission_id, 2 FROM bench_files;

INSERT INTO progress_rows
SELECT f.submission_id, '进展情况', row_number() OVER (PARTITION BY f.submission_id ORDER BY m.sheet, m."row") + 3,
       k.measure_key, 'key', 1.0, m.task_no, m.measure,
       s.status, s.status, NULL, NULL, '按计划推进', NULL, NULL
FROM bench_files f
JOIN current_measure_rows m ON m.submitter = f.submitter
JOIN measure_key_rows k ON k.submission_id = m.submission_id AND k.sheet = m.sheet AND k."row" = m."row"
CROSS JOIN LATERAL (SELECT CASE hash(f.i, m.sheet, m."row") % 10
                               WHEN 0 THEN NULL WHEN 1 THEN '滞后' WHEN 2 THEN '未启动' WHEN 3 THEN '已调整'
                               WHEN 4 THEN '已取消' WHEN 5 THEN '按期推进' WHEN 6 THEN '按期推进'
                               ELSE '已完成' END AS status) s;

INSERT INTO progress_quantity_rows
SELECT p.submission_id, p.sheet, p."row", 1, c.task_no, c.metric, c.value * (hash(p.submission_id, p."row") % 100) / 100.0,
       c.unit, 'generated'
FROM progress_rows p
JOIN bench_files f ON f.submission_id = p.submission_id
JOIN measure_key_rows k ON k.measure_key = p.measure_key
JOIN current_commitment_rows c ON c.submission_id = k.submission_id AND c.sheet = k.sheet AND c."row" = k."row" AND c.seq = 1
WHERE p.status IS NOT NULL;
