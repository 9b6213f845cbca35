-- Measures: measures with their provenance. Current submissions only, unless $6 names a submission (then
-- that version, whatever its status). $1..$5 as in Filter; $7 submitter; $8 text searched literally (no
-- wildcards) in measure, goal, owner and the task text as written, case-insensitively when $11 (then
-- $12 is $8 in lower case); $9 limit, $10 offset; $13 overdue as of (a date: due before it and not
-- ongoing; NULL = any); $14 due quarter such as '2022Q2' ('' = any).
SELECT m.submission_id, m.submitter, m.kind, m.city, coalesce(m.task_no, 0), coalesce(m.printed_no, ''),
       coalesce(m.area_text, ''), coalesce(m.task_text, ''), m.measure, coalesce(m.goal, ''), coalesce(m.owner, ''),
       coalesce(m.due, ''), m.due_date, m.ongoing, m.sheet, m."row", m.file_name, coalesce(m.match_method, ''),
       coalesce(m.match_score, 0), m.status, coalesce(m.item, 0), coalesce(m.cell, ''), coalesce(ms.measure_key, ''),
       -- the latest progress status, once a progress round exists ('' before: no round, nothing to say)
       CASE WHEN EXISTS (SELECT 1 FROM rounds WHERE kind = '进展') THEN coalesce(ms.status, '') ELSE '' END
FROM (
    -- current rows from the derived table (a few thousand), a named version from all_measures
    SELECT *, 'current' AS status FROM measures WHERE $6 = 0
    UNION ALL BY NAME
    SELECT * FROM all_measures WHERE $6 <> 0 AND submission_id = $6
) m
LEFT JOIN tasks t USING (task_no)
LEFT JOIN measure_status_rows ms ON ms.submission_id = m.submission_id AND ms.sheet = m.sheet AND ms."row" = m."row"
                                AND ms.item = coalesce(m.item, 0)
WHERE ($1 = '' OR m.kind = $1)
  AND ($2 = '' OR m.city = $2)
  AND ($3 = 0 OR m.task_no = $3)
  AND ($4 = 0 OR t.area_no = $4)
  AND ($5 = '' OR m.task_no IN (SELECT td.task_no FROM task_departments td WHERE td.department = $5))
  AND ($7 = '' OR m.submitter = $7)
  AND ($8 = '' OR contains(m.measure, $8) OR contains(coalesce(m.goal, ''), $8)
               OR contains(coalesce(m.owner, ''), $8) OR contains(coalesce(m.task_text, ''), $8)
               -- lower() is slow on CJK text: fold case only when the query has Latin letters ($11)
               OR ($11 AND (contains(lower(m.measure), $12) OR contains(lower(coalesce(m.goal, '')), $12)
                            OR contains(lower(coalesce(m.owner, '')), $12) OR contains(lower(coalesce(m.task_text, '')), $12))))
  AND ($13::DATE IS NULL OR (NOT m.ongoing AND m.due_date < $13::DATE))
  AND ($14 = '' OR strftime(m.due_date, '%Y') || 'Q' || quarter(m.due_date)::VARCHAR = $14)
ORDER BY m.submitter, m.task_no NULLS LAST, m.sheet, m."row", m.item
LIMIT $9 OFFSET $10
