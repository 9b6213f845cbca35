-- Submissions: every file received, newest first, with its verdict and what was read from it.
-- $1 submitter, $2 kind, $3 city, $4 status, $5 reason code, $6 submission id ('' / 0: all).
WITH m AS (SELECT submission_id, count(*) AS measures FROM measure_rows GROUP BY submission_id),
     fi AS (SELECT submission_id,
                   count(*) AS findings,
                   count(*) FILTER (WHERE severity = 'error') AS errors,
                   count(*) FILTER (WHERE severity = 'warning') AS warnings
            FROM finding_rows GROUP BY submission_id)
SELECT s.submission_id, s.file_name, s.sha256, coalesce(s.submitter, ''), coalesce(s.kind, ''), coalesce(s.city, ''),
       s.modified_at, s.ingested_at, s.status, coalesce(s.reason, ''), coalesce(s.reason_code, ''),
       s.size_bytes, coalesce(s.sheet, ''), coalesce(s.unit_cell, ''), coalesce(s.identity_source, ''),
       coalesce(s.archive_path, ''), s.run_id,
       coalesce(m.measures, 0), coalesce(fi.findings, 0), coalesce(fi.errors, 0), coalesce(fi.warnings, 0)
FROM submissions s
LEFT JOIN m USING (submission_id)
LEFT JOIN fi USING (submission_id)
WHERE ($1 = '' OR s.submitter = $1)
  AND ($2 = '' OR s.kind = $2)
  AND ($3 = '' OR s.city = $3)
  AND ($4 = '' OR s.status = $4)
  AND ($5 = '' OR s.reason_code = $5)
  AND ($6 = 0 OR s.submission_id = $6)
ORDER BY s.ingested_at DESC, s.submission_id DESC
