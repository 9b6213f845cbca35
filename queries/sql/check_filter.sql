-- checkFilter: resolves a Filter's city and checks its numbers. $1 city (a city's roster name or alias),
-- $2 task_no, $3 area_no. NULL/false where the name or number is unknown. The department is resolved
-- apart (resolve_department.sql), only when one is asked for: unit_aliases is a view over every
-- spelling and would cost every filtered query a few milliseconds.
SELECT (SELECT submitter FROM submitters
        WHERE kind = 'city' AND (submitter = $1 OR list_contains(aliases, $1))
        ORDER BY submitter <> $1 LIMIT 1) AS city,
       EXISTS (SELECT 1 FROM tasks WHERE task_no = $2) AS task_ok,
       EXISTS (SELECT 1 FROM tasks WHERE area_no = $3) AS area_ok
