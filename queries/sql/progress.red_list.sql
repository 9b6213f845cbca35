-- progress.red_list: the measures past their 完成时间 and not done; $1 a submitter or '' for all,
-- $2 a lead department or '' for all.
SELECT m.measure_key, m.submitter, m.kind, m.city, coalesce(m.task_no, 0), m.measure, coalesce(m.due, ''),
       m.due_date, m.status, coalesce(m.status_text, ''), coalesce(m.round_id, 0)
FROM measure_status_rows m
WHERE m.red
  AND ($1 = '' OR m.submitter = $1)
  AND ($2 = '' OR m.task_no IN (SELECT task_no FROM task_departments WHERE department = $2))
ORDER BY m.due_date, m.submitter, m.sheet, m."row"
LIMIT 2000
