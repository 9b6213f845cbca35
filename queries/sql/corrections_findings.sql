-- corrections_findings: what each submitter ($1: one, '' = all) should correct in its current
-- submission, worst first, with the cell as the submitter wrote it (the value the finding is about:
-- the date for due_*, the goal for goal_*, the printed number for number_mismatch, else the task text).
SELECT f.submitter, f.file_name, coalesce(f.sheet, ''), coalesce(f."row", 0), f.severity, f.code, f.message,
       coalesce(CASE WHEN f.code LIKE 'due%' THEN m.due
                     WHEN f.code LIKE 'goal%' THEN m.goal
                     WHEN f.code = 'number_mismatch' THEN m.printed_no
                     ELSE coalesce(m.task_text, m.measure) END, '')
FROM findings f
LEFT JOIN measure_rows m ON m.submission_id = f.submission_id AND m.sheet = f.sheet AND m."row" = f."row"
WHERE f.status = 'current' AND ($1 = '' OR f.submitter = $1)
ORDER BY f.submitter,
         CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
         f."row" NULLS LAST, f.code, f.message
