-- submissions: one row per file ever received. Current is, per submitter, the accepted file with the
-- latest modified_at, ties broken by ingest order (submission_id).
CREATE OR REPLACE VIEW submissions AS
SELECT f.submission_id, f.file_name, f.sha256, f.submitter, f.kind,
       s.city,
       f.modified_at, f.ingested_at,
       CASE WHEN f.rejected THEN 'rejected'
            WHEN row_number() OVER (PARTITION BY f.submitter, f.rejected
                                    ORDER BY f.modified_at DESC NULLS LAST, f.submission_id DESC) = 1 THEN 'current'
            ELSE 'superseded' END AS status,
       f.reason,
       CASE WHEN f.reason IS NULL THEN NULL ELSE split_part(f.reason, ':', 1) END AS reason_code,
       f.size_bytes, f.sheet, f.unit_cell, f.identity_source, f.archive_path, f.run_id
FROM files f
LEFT JOIN submitters s ON s.submitter = f.submitter;

CREATE OR REPLACE VIEW all_measures AS
SELECT m.submission_id, s.submitter, s.kind, s.city, m.task_no, m.printed_no, m.measure, m.goal, m.owner,
       m.due, m.due_date, m.ongoing, m.sheet, m."row", s.status,
       m.area_text, m.task_text, m.match_method, m.match_score, s.file_name, s.modified_at
FROM measure_rows m
JOIN submissions s USING (submission_id);

CREATE OR REPLACE VIEW measures AS
SELECT * EXCLUDE (status) FROM all_measures WHERE status = 'current';

CREATE OR REPLACE VIEW commitments AS
SELECT c.submission_id, s.submitter, s.kind, s.city, c.task_no, c.metric, c.value, c.unit, c.source,
       c.sheet, c."row", c.seq
FROM commitment_rows c
JOIN submissions s USING (submission_id)
WHERE s.status = 'current';

CREATE OR REPLACE VIEW findings AS
SELECT f.submission_id, s.file_name, f.sheet, f."row", f.severity, f.code, f.message,
       s.submitter, s.kind, s.status
FROM finding_rows f
JOIN submissions s USING (submission_id);
