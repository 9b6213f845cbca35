-- Deadlines: current measures counted by due month and by status against the as-of date $6.
-- Buckets are exclusive: ongoing, no_date, overdue (due_date < as-of), due_by_target
-- (as-of ≤ due_date ≤ 2022-12-31), later. $1..$5 as in Filter; $7 one submitter's own plan ('' = all).
SELECT coalesce(d.due_month, '') AS due_month,
       CASE WHEN d.ongoing THEN 'ongoing'
            WHEN d.due_date IS NULL THEN 'no_date'
            WHEN d.due_date < $6::DATE THEN 'overdue'
            WHEN d.due_date <= DATE '2022-12-31' THEN 'due_by_target'
            ELSE 'later' END AS bucket,
       count(*) AS measures
FROM deadlines d
LEFT JOIN tasks t USING (task_no)
WHERE ($1 = '' OR d.kind = $1)
  AND ($2 = '' OR d.city = $2)
  AND ($3 = 0 OR d.task_no = $3)
  AND ($4 = 0 OR t.area_no = $4)
  AND ($7 = '' OR d.submitter = $7)
  AND ($5 = '' OR d.task_no IN (SELECT td.task_no FROM task_departments td WHERE td.department = $5))
GROUP BY ALL
ORDER BY 1, 2
