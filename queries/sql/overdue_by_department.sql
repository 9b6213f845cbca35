-- overdue_by_department: current measures due before $6 (not ongoing), counted per lead department of
-- their task (a task led by two departments counts for both; unmatched rows under '').
-- $1..$5 as in Filter; $7 due quarter ('' = any).
SELECT coalesce(td.department, '') AS department, count(*) AS measures, count(DISTINCT m.submitter) AS submitters
FROM measures m
LEFT JOIN tasks t USING (task_no)
LEFT JOIN task_departments td ON td.task_no = m.task_no
WHERE NOT m.ongoing AND m.due_date < $6::DATE
  AND ($1 = '' OR m.kind = $1)
  AND ($2 = '' OR m.city = $2)
  AND ($3 = 0 OR m.task_no = $3)
  AND ($4 = 0 OR t.area_no = $4)
  AND ($5 = '' OR td.department = $5)
  AND ($7 = '' OR strftime(m.due_date, '%Y') || 'Q' || quarter(m.due_date)::VARCHAR = $7)
GROUP BY ALL
ORDER BY measures DESC, department
