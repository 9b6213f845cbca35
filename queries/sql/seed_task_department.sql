-- LoadSeeds: one (task_no $1, department $2) pair of a task's lead departments.
INSERT INTO task_departments VALUES (?, ?)
