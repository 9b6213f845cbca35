-- DashboardCommitments: quantities read from 完成目标 cells, with where they were read. Current submissions
-- only, unless one submission is asked for ($2), whatever its status.
-- $1 task_no (0: all), $2 submission_id (0: current ones), $3 sheet ('' : all), $4 row (0: all), $5 metric ('' : all)
SELECT c.submission_id, coalesce(s.submitter, ''), coalesce(s.kind, ''), coalesce(c.task_no, 0),
       coalesce(c.metric, ''), c.value, coalesce(c.unit, ''), c.source, c.sheet, c."row", c.seq
FROM commitment_rows c
JOIN submissions s USING (submission_id)
WHERE ($1 = 0 OR c.task_no = $1)
  AND (($2 = 0 AND s.status = 'current') OR c.submission_id = $2)
  AND ($3 = '' OR c.sheet = $3)
  AND ($4 = 0 OR c."row" = $4)
  AND ($5 = '' OR c.metric = $5)
ORDER BY s.submitter, c.sheet, c."row", c.seq
