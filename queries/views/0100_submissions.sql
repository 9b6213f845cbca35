-- submissions: one row per file ever received. doc_kind is checklist (an xlsx) or stamped (the signed,
-- stamped copy; status 'received', pages its page count). Current is, per submitter, the accepted checklist with the
-- latest modified_at, ties broken by ingest order (submission_id); the status is computed by Refresh
-- (sql/refresh_derived.sql) into file_status whenever files change.
CREATE OR REPLACE VIEW submissions AS
SELECT f.submission_id, f.file_name, f.sha256, f.submitter, f.kind,
       s.city,
       f.modified_at, f.ingested_at,
       fs.status,
       f.reason,
       CASE WHEN f.reason IS NULL THEN NULL ELSE split_part(f.reason, ':', 1) END AS reason_code,
       f.size_bytes, f.sheet, f.unit_cell, f.identity_source, f.archive_path, f.run_id,
       coalesce(r.round_id, 1) AS round_id,
       coalesce(f.doc_kind, 'checklist') AS doc_kind, f.pages
FROM files f
JOIN file_status fs USING (submission_id)
LEFT JOIN file_rounds r USING (submission_id)
LEFT JOIN submitters s ON s.submitter = f.submitter;

CREATE OR REPLACE VIEW all_measures AS
SELECT m.submission_id, s.submitter, s.kind, s.city, m.task_no, m.printed_no, m.measure, m.goal, m.owner,
       m.due, m.due_date, m.ongoing, m.sheet, m."row", s.status,
       m.area_text, m.task_text, m.match_method, m.match_score, s.file_name, s.modified_at, m.item, m.cell
FROM measure_rows m
JOIN submissions s USING (submission_id);

-- measures: the current versions' rows, kept as a table by Refresh (the same columns as all_measures
-- without status).
CREATE OR REPLACE VIEW measures AS
SELECT * FROM current_measure_rows;

-- commitments: the current versions' quantities, kept as a table by Refresh.
CREATE OR REPLACE VIEW commitments AS
SELECT * FROM current_commitment_rows;

CREATE OR REPLACE VIEW findings AS
SELECT f.submission_id, s.file_name, f.sheet, f."row", f.severity, f.code, f.message,
       s.submitter, s.kind, s.status
FROM finding_rows f
JOIN submissions s USING (submission_id);
