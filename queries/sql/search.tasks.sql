-- Search: tasks whose number, text, area or departments contain $1.
SELECT task_no, area, content
FROM tasks
WHERE task_no::VARCHAR = $1 OR contains(content, $1) OR contains(area, $1)
   OR contains(array_to_string(departments, '、'), $1)
ORDER BY task_no
LIMIT $2
