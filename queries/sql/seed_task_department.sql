-- LoadSeeds: every (task_no, department) pair of the tasks' lead departments, from a JSON array ($1).
INSERT INTO task_departments
SELECT r.task_no, r.department
FROM (SELECT unnest(from_json($1::JSON, '[{"task_no":"INTEGER","department":"VARCHAR"}]')) AS r)
