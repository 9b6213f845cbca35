-- Refresh: rebuild the derived tables of schema/0002_derived.sql from the base tables. Runs inside the
-- caller's transaction.
DELETE FROM file_status;
-- Current is, per submitter and round, the accepted checklist with the latest modified_at, ties broken by
-- ingest order. A file not in file_rounds is a plan (round 1) file. A stamped copy (doc_kind 'stamped')
-- is 'received': it never competes with the checklists.
INSERT INTO file_status
SELECT f.submission_id,
       CASE WHEN f.rejected THEN 'rejected'
            WHEN f.doc_kind = 'stamped' THEN 'received'
            WHEN row_number() OVER (PARTITION BY f.submitter, f.rejected, f.doc_kind = 'stamped', coalesce(r.round_id, 1)
                                    ORDER BY f.modified_at DESC NULLS LAST, f.submission_id DESC) = 1 THEN 'current'
            ELSE 'superseded' END
FROM files f
LEFT JOIN file_rounds r USING (submission_id);

-- The row tables hold every version (at 100,000 files, 5.7 million measure rows): they are only ever
-- scanned and probed against the few current files, never built into a hash table. Inside an ingest
-- run DuckDB estimates the run's own rows at 0, so it would otherwise pick measure_rows as the build
-- side: a hash table of every version's rows, 3.7 GiB at 100,000 files. IngestTx.Refresh therefore
-- runs these statements with the join order as written: the big table first, the small side to its
-- right (docs/BENCHMARKS.md, "Ingest memory").
DELETE FROM current_measure_rows;
INSERT INTO current_measure_rows
WITH cf AS (SELECT * FROM submissions WHERE status = 'current')  -- the current files, with their unit's city
SELECT m.submission_id, cf.submitter, cf.kind, cf.city, m.task_no, m.printed_no, m.measure, m.goal, m.owner,
       m.due, m.due_date, m.ongoing, m.sheet, m."row", m.area_text, m.task_text, m.match_method,
       m.match_score, cf.file_name, cf.modified_at, m.item, m.cell
FROM measure_rows m
JOIN cf USING (submission_id);

DELETE FROM current_commitment_rows;
INSERT INTO current_commitment_rows
WITH cf AS (SELECT * FROM submissions WHERE status = 'current')  -- the current files, with their unit's city
SELECT c.submission_id, cf.submitter, cf.kind, cf.city, c.task_no, c.metric, c.value, c.unit, c.source,
       c.sheet, c."row", c.seq, c.unit_written
FROM commitment_rows c
JOIN cf USING (submission_id);

-- after current_measure_rows: local_units_source splits their 责任单位 cells (views/0230_local_units.sql)
DELETE FROM local_unit_rows;
INSERT INTO local_unit_rows SELECT * FROM local_units_source;

-- One row per (task, rostered submitter): 54 × the roster; see views/0200_coverage.sql for the rules.
DELETE FROM coverage_pair_rows;
INSERT INTO coverage_pair_rows
WITH m AS (
    SELECT submitter, task_no, count(*) AS measures
    FROM current_measure_rows
    WHERE task_no IS NOT NULL
    GROUP BY submitter, task_no
), c AS (
    SELECT DISTINCT f.submitter
    FROM files f
    JOIN file_status fs ON fs.submission_id = f.submission_id AND fs.status = 'current'
    WHERE f.submitter IS NOT NULL
      AND f.submission_id NOT IN (SELECT submission_id FROM file_rounds) -- plan files only
)
SELECT t.task_no, t.area_no, s.submitter, s.kind, s.city,
       coalesce(CASE s.kind
                    WHEN 'city' THEN t.expects_cities AND (t.city_scope IN ('各市', '相关市政府') OR t.city_scope = s.city)
                    WHEN 'school' THEN t.expects_schools
                END, false) AS expected,
       c.submitter IS NOT NULL AS returned,
       coalesce(m.measures, 0)::BIGINT AS measures,
       coalesce(m.measures, 0) > 0 AS addressed
FROM tasks t
CROSS JOIN submitters s
LEFT JOIN c ON c.submitter = s.submitter
LEFT JOIN m ON m.submitter = s.submitter AND m.task_no = t.task_no;

-- after coverage_pair_rows: one row per rostered submitter (views/0200_coverage.sql)
DELETE FROM submitter_coverage_rows;
INSERT INTO submitter_coverage_rows SELECT * FROM coverage_by_submitter_source;
