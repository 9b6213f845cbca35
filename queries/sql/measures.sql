-- Measures: measures with their provenance. Current submissions only, unless $6 names a submission (then
-- that version, whatever its status). $1..$5 as in Filter; $7 submitter; $8 text searched, case-
-- insensitively and literally (no wildcards), in measure, goal, owner and the task text as written;
-- $9 limit, $10 offset.
SELECT m.submission_id, m.submitter, m.kind, m.city, coalesce(m.task_no, 0), coalesce(m.printed_no, ''),
       coalesce(m.area_text, ''), coalesce(m.task_text, ''), m.measure, coalesce(m.goal, ''), coalesce(m.owner, ''),
       coalesce(m.due, ''), m.due_date, m.ongoing, m.sheet, m."row", m.file_name, coalesce(m.match_method, ''),
       coalesce(m.match_score, 0), m.status
FROM all_measures m
LEFT JOIN tasks t USING (task_no)
WHERE (CASE WHEN $6 = 0 THEN m.status = 'current' ELSE m.submission_id = $6 END)
  AND ($1 = '' OR m.kind = $1)
  AND ($2 = '' OR m.city = $2)
  AND ($3 = 0 OR m.task_no = $3)
  AND ($4 = 0 OR t.area_no = $4)
  AND ($5 = '' OR m.task_no IN (SELECT td.task_no FROM task_departments td JOIN unit_aliases a USING (department) WHERE a.alias = $5))
  AND ($7 = '' OR m.submitter = $7)
  AND ($8 = '' OR contains(lower(m.measure), lower($8)) OR contains(lower(coalesce(m.goal, '')), lower($8))
               OR contains(lower(coalesce(m.owner, '')), lower($8)) OR contains(lower(coalesce(m.task_text, '')), lower($8)))
ORDER BY m.submitter, m.task_no NULLS LAST, m.sheet, m."row"
LIMIT $9 OFFSET $10
