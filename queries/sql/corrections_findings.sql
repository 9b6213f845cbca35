-- report_findings: what each submitter should correct in its current submission, worst first.
SELECT f.submitter, f.file_name, coalesce(f.sheet, ''), coalesce(f."row", 0), f.severity, f.code, f.message
FROM findings f
WHERE f.status = 'current'
ORDER BY f.submitter,
         CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
         f."row" NULLS LAST, f.code, f.message
