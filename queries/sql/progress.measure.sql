-- progress.measure: one current plan measure by its key.
SELECT m.measure_key, m.submission_id, m.submitter, m.kind, m.city, coalesce(m.task_no, 0),
       coalesce(t.content, ''), m.measure, coalesce(m.goal, ''), coalesce(m.owner, ''), coalesce(m.due, ''),
       m.due_date, m.sheet, m."row", m.status, m.overdue, m.red
FROM measure_status_rows m
LEFT JOIN tasks t USING (task_no)
WHERE m.measure_key = $1
