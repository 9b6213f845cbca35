-- corrections_findings: what each submitter ($1: one, '' = all) should correct in its current
-- submission, worst first.
SELECT f.submitter, f.file_name, coalesce(f.sheet, ''), coalesce(f."row", 0), f.severity, f.code, f.message
FROM findings f
WHERE f.status = 'current' AND ($1 = '' OR f.submitter = $1)
ORDER BY f.submitter,
         CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
         f."row" NULLS LAST, f.code, f.message
