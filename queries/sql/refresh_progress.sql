-- Refresh, second part: the derived tables of progress rounds (schema/0005_rounds.sql). Runs after
-- refresh_derived.sql, inside the caller's transaction.

-- The measure key: the submitter, the task and the measure's text with everything but letters and
-- digits removed, hashed. A new plan version keeps the key of every measure it did not reword; a
-- second identical measure of the same task gets "-2", "-3" in sheet order.
DELETE FROM measure_key_rows;
INSERT INTO measure_key_rows
WITH k AS (
    SELECT submission_id, sheet, "row", item,
           'M' || substr(md5(submitter || '|' || coalesce(task_no, 0)::VARCHAR || '|' ||
                             regexp_replace(lower(measure), '[^\p{L}\p{N}]', '', 'g')), 1, 12) AS base,
           row_number() OVER (PARTITION BY submitter, coalesce(task_no, 0),
                                           regexp_replace(lower(measure), '[^\p{L}\p{N}]', '', 'g')
                              ORDER BY sheet, "row", item) AS n
    FROM current_measure_rows
    WHERE submitter IS NOT NULL
)
SELECT submission_id, sheet, "row", CASE WHEN n = 1 THEN base ELSE base || '-' || n::VARCHAR END, item
FROM k;

DELETE FROM current_progress_rows;
INSERT INTO current_progress_rows
-- progress_rows and progress_quantity_rows hold every version: probed, never built (as in
-- refresh_derived.sql).
WITH cf AS (SELECT * FROM submissions WHERE status = 'current'),  -- the current files, with their unit's city
q AS (
    SELECT q.submission_id, q.sheet, q."row", q.value, q.unit
    FROM progress_quantity_rows q
    JOIN cf USING (submission_id)
    WHERE q.seq = 1
)
SELECT r.round_id, p.submission_id, cf.submitter, cf.kind, cf.city, p.measure_key, p.link_method, p.link_score,
       p.task_no, p.measure, p.status, p.status_text, p.percent, p.achieved_text, q.value, q.unit,
       p.note, p.evidence, p.lag_reason, p.sheet, p."row", cf.file_name
FROM progress_rows p
JOIN cf USING (submission_id)
JOIN file_rounds r USING (submission_id)
LEFT JOIN q ON q.submission_id = p.submission_id AND q.sheet = p.sheet AND q."row" = p."row";

-- Every current plan measure with the latest status reported for it. "Overdue" is judged at the
-- as-of date of the latest progress round (today when there is none).
DELETE FROM measure_status_rows;
INSERT INTO measure_status_rows
WITH ref AS (
    SELECT coalesce(max(as_of) FILTER (WHERE kind = '进展'), current_date) AS ref_date FROM rounds
), latest AS (
    SELECT p.*, r.as_of
    FROM current_progress_rows p
    JOIN rounds r USING (round_id)
    WHERE p.measure_key IS NOT NULL AND r.kind = '进展'
    QUALIFY row_number() OVER (PARTITION BY p.submitter, p.measure_key
                               ORDER BY r.as_of DESC NULLS LAST, p.round_id DESC, p.sheet, p."row") = 1
)
SELECT k.measure_key, m.submission_id, m.submitter, m.kind, m.city, m.task_no, m.measure, m.goal, m.owner,
       m.due, m.due_date, m.ongoing, m.sheet, m."row",
       coalesce(l.status, '未报告') AS status, l.status_text, l.percent, l.round_id, l.as_of,
       coalesce(m.due_date < ref.ref_date, false) AS overdue,
       coalesce(m.due_date < ref.ref_date, false)
           AND coalesce(l.status, '未报告') NOT IN ('已完成', '已调整', '已取消') AS red,
       l.submission_id, l.sheet, l."row", m.item
FROM current_measure_rows m
JOIN measure_key_rows k USING (submission_id, sheet, "row", item)
CROSS JOIN ref
LEFT JOIN latest l ON l.submitter = m.submitter AND l.measure_key = k.measure_key;

-- Status counts by task, submitter, city and lead department, kinds apart. A measure of a task led by
-- several departments counts for each.
DELETE FROM completion_rows;
INSERT INTO completion_rows
WITH kinds AS (
    SELECT * FROM (VALUES ('city'), ('school')) k(kind)
), dims AS (
    -- every member of each dimension, so a unit or task with nothing reported shows its zeros
    SELECT 'task' AS dim, task_no::VARCHAR AS key, kind FROM tasks, kinds
    UNION ALL SELECT 'submitter', submitter, kind FROM submitters
    UNION ALL SELECT 'city', s.city, kinds.kind FROM submitters s, kinds WHERE s.kind = 'city'
    UNION ALL SELECT 'department', department, kind FROM departments, kinds
), base AS (
    SELECT 'task' AS dim, task_no::VARCHAR AS key, kind, status, overdue, red FROM measure_status_rows WHERE task_no IS NOT NULL
    UNION ALL
    SELECT 'submitter', submitter, kind, status, overdue, red FROM measure_status_rows
    UNION ALL
    SELECT 'city', city, kind, status, overdue, red FROM measure_status_rows WHERE city IS NOT NULL
    UNION ALL
    SELECT 'department', d.department, m.kind, m.status, m.overdue, m.red
    FROM measure_status_rows m JOIN task_departments d USING (task_no)
), c AS (
    SELECT dim, key, kind, count(*) AS measures,
           count(*) FILTER (WHERE status = '已完成') AS done, count(*) FILTER (WHERE status = '按期推进') AS on_track,
           count(*) FILTER (WHERE status = '滞后') AS late, count(*) FILTER (WHERE status = '未启动') AS not_started,
           count(*) FILTER (WHERE status = '已调整') AS adjusted, count(*) FILTER (WHERE status = '已取消') AS cancelled,
           count(*) FILTER (WHERE status = '未报告') AS not_reported,
           count(*) FILTER (WHERE overdue) AS overdue, count(*) FILTER (WHERE red) AS red
    FROM base
    GROUP BY ALL
)
SELECT d.dim, d.key, d.kind,
       coalesce(COLUMNS(c.* EXCLUDE (dim, key, kind)), 0),
       c.done / NULLIF(c.measures, 0),
       (c.measures - c.not_reported) / NULLIF(c.measures, 0)
FROM dims d
LEFT JOIN c USING (dim, key, kind);
