-- Submissions: every file received, newest first, with its verdict and what was read from it; one page.
-- $1 submitter, $2 kind, $3 city, $4 status, $5 reason code, $6 submission id ('' / 0: all),
-- $7 limit, $8 offset. The last column is how many files the filter keeps before paging.
-- The counts are taken for the page's files only: at 10,000 files every version's rows are ~0.6 M.
WITH page AS (
    SELECT s.*, count(*) OVER () AS total
    FROM submissions s
    WHERE ($1 = '' OR s.submitter = $1)
      AND ($2 = '' OR s.kind = $2)
      AND ($3 = '' OR s.city = $3)
      AND ($4 = '' OR s.status = $4)
      AND ($5 = '' OR s.reason_code = $5)
      AND ($6 = 0 OR s.submission_id = $6)
    ORDER BY s.ingested_at DESC, s.submission_id DESC
    LIMIT $7 OFFSET $8
),
m AS (SELECT submission_id, count(*) AS measures FROM measure_rows
      WHERE submission_id IN (SELECT submission_id FROM page) GROUP BY submission_id),
fi AS (SELECT submission_id,
              count(*) AS findings,
              count(*) FILTER (WHERE severity = 'error') AS errors,
              count(*) FILTER (WHERE severity = 'warning') AS warnings
       FROM finding_rows WHERE submission_id IN (SELECT submission_id FROM page) GROUP BY submission_id)
SELECT s.submission_id, s.file_name, s.sha256, coalesce(s.submitter, ''), coalesce(s.kind, ''), coalesce(s.city, ''),
       s.modified_at, s.ingested_at, s.status, coalesce(s.reason, ''), coalesce(s.reason_code, ''),
       s.size_bytes, coalesce(s.sheet, ''), coalesce(s.unit_cell, ''), coalesce(s.identity_source, ''),
       coalesce(s.archive_path, ''), s.run_id,
       coalesce(m.measures, 0), coalesce(fi.findings, 0), coalesce(fi.errors, 0), coalesce(fi.warnings, 0),
       s.total
FROM page s
LEFT JOIN m USING (submission_id)
LEFT JOIN fi USING (submission_id)
ORDER BY s.ingested_at DESC, s.submission_id DESC
