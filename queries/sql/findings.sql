-- Findings: what ingest could not read, guessed or wants corrected, in file and row order.
-- $1 submission id (0: all), $2 submitter, $3 severity, $4 code, $5 current submissions only,
-- $6 limit.
SELECT f.submission_id, f.file_name, coalesce(f.submitter, ''), coalesce(f.kind, ''), f.status,
       coalesce(f.sheet, ''), coalesce(f."row", 0), f.severity, f.code, f.message
FROM findings f
WHERE ($1 = 0 OR f.submission_id = $1)
  AND ($2 = '' OR f.submitter = $2)
  AND ($3 = '' OR f.severity = $3)
  AND ($4 = '' OR f.code = $4)
  AND (NOT $5 OR f.status = 'current')
ORDER BY f.submission_id, f.sheet NULLS FIRST, f."row" NULLS FIRST,
         CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.code
LIMIT $6
