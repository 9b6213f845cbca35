-- progress.red_departments: lead departments whose tasks hold measures past their 完成时间 and not
-- done, cities and colleges together, most first.
SELECT key AS department, sum(red)::BIGINT AS red, sum(overdue)::BIGINT, sum(measures)::BIGINT
FROM completion_rows
WHERE dim = 'department'
GROUP BY key
HAVING sum(red) > 0
ORDER BY red DESC, department
