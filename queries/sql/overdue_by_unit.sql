-- overdue_by_unit: current measures due before $6 (not ongoing), counted per submitter, most first.
-- $1..$5 as in Filter; $7 due quarter ('' = any).
SELECT m.submitter, m.kind, m.city, count(*) AS measures, min(m.due_date) AS earliest
FROM measures m
LEFT JOIN tasks t USING (task_no)
WHERE NOT m.ongoing AND m.due_date < $6::DATE
  AND ($1 = '' OR m.kind = $1)
  AND ($2 = '' OR m.city = $2)
  AND ($3 = 0 OR m.task_no = $3)
  AND ($4 = 0 OR t.area_no = $4)
  AND ($5 = '' OR m.task_no IN (SELECT td.task_no FROM task_departments td WHERE td.department = $5))
  AND ($7 = '' OR strftime(m.due_date, '%Y') || 'Q' || quarter(m.due_date)::VARCHAR = $7)
GROUP BY ALL
ORDER BY measures DESC, m.submitter
