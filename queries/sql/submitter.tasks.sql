-- Submitter: every task with whether the submitter $1 is expected to address it and how many current
-- measures it wrote for it.
SELECT t.task_no, t.area_no, t.area, t.content, p.expected, p.measures
FROM coverage_pairs p
JOIN tasks t USING (task_no)
WHERE p.submitter = $1
ORDER BY t.task_no
