-- checkFilter: resolves a Filter's names. $1 city (a city's roster name or alias), $2 department (name,
-- alias or short form), $3 task_no, $4 area_no. NULL/false where the name or number is unknown.
SELECT (SELECT submitter FROM submitters
        WHERE kind = 'city' AND (submitter = $1 OR list_contains(aliases, $1))
        ORDER BY submitter <> $1 LIMIT 1) AS city,
       (SELECT department FROM unit_aliases WHERE alias = $2) AS department,
       EXISTS (SELECT 1 FROM tasks WHERE task_no = $3) AS task_ok,
       EXISTS (SELECT 1 FROM tasks WHERE area_no = $4) AS area_ok
