-- Matrix: every (task, submitter) pair of one kind with its measure count, whether the pair is expected
-- and whether the submitter returned a file. $1 kind is required; $2..$5 as in Filter.
SELECT p.task_no, t.area_no, t.content, p.submitter, p.city, p.returned, p.expected, p.measures
FROM coverage_pairs p
JOIN tasks t USING (task_no)
WHERE p.kind = $1
  AND ($2 = '' OR p.city = $2)
  AND ($3 = 0 OR t.task_no = $3)
  AND ($4 = 0 OR t.area_no = $4)
  AND ($5 = '' OR t.task_no IN (SELECT td.task_no FROM task_departments td WHERE td.department = $5))
ORDER BY p.task_no
