-- LocalUnits: the 责任单位 written by submitters (local_units view), one row per normalised unit, with the
-- spellings seen and who wrote it. $1..$5 as in Filter. Counted per (unit, submitter) first, then per
-- unit: cheaper than DISTINCT aggregates over every piece. measures counts measure rows naming the unit
-- (a cell naming it twice counts twice; that is rare and harmless).
WITH per AS (
    SELECT u.unit, u.department, any_value(u.normalised_by) AS normalised_by, u.submitter,
           count(*) AS measures, list(DISTINCT u.unit_raw) AS spellings
    FROM local_units u
    LEFT JOIN tasks t USING (task_no)
    WHERE ($1 = '' OR u.kind = $1)
      AND ($2 = '' OR u.city = $2)
      AND ($3 = 0 OR u.task_no = $3)
      AND ($4 = 0 OR t.area_no = $4)
      AND ($5 = '' OR u.task_no IN (SELECT td.task_no FROM task_departments td WHERE td.department = $5))
    GROUP BY u.unit, u.department, u.submitter
)
SELECT unit, coalesce(department, ''), coalesce(any_value(normalised_by), ''),
       sum(measures)::BIGINT AS measures,
       count(*) AS submitters,
       string_agg(submitter, '|' ORDER BY submitter) AS names,
       array_to_string(list_sort(list_distinct(flatten(list(spellings)))), '|') AS spellings
FROM per
GROUP BY unit, department
ORDER BY measures DESC, unit
