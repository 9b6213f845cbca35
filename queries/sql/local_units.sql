-- LocalUnits: the 责任单位 written by submitters (local_units view), one row per normalised unit, with the
-- spellings seen and who wrote it. $1..$5 as in Filter.
SELECT u.unit, coalesce(u.department, ''), coalesce(any_value(u.normalised_by), ''),
       count(DISTINCT (u.submission_id, u.sheet, u."row")) AS measures,
       count(DISTINCT u.submitter) AS submitters,
       string_agg(DISTINCT u.submitter, '|' ORDER BY u.submitter) AS names,
       string_agg(DISTINCT u.unit_raw, '|' ORDER BY u.unit_raw) AS spellings
FROM local_units u
LEFT JOIN tasks t USING (task_no)
WHERE ($1 = '' OR u.kind = $1)
  AND ($2 = '' OR u.city = $2)
  AND ($3 = 0 OR u.task_no = $3)
  AND ($4 = 0 OR t.area_no = $4)
  AND ($5 = '' OR u.task_no IN (SELECT td.task_no FROM task_departments td JOIN unit_aliases a USING (department) WHERE a.alias = $5))
GROUP BY u.unit, u.department
ORDER BY measures DESC, u.unit
