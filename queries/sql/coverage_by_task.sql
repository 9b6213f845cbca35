-- CoverageByTask: coverage_by_task, recomputed from coverage_pairs so the filter can narrow both the
-- tasks ($3 task, $4 area, $5 department) and the submitters counted ($1 kind, $2 city). Counted by
-- task_no first, joined to the task text after.
WITH c AS (
    SELECT p.task_no,
           count(*) FILTER (WHERE p.kind = 'city' AND p.expected) AS cities_expected,
           count(*) FILTER (WHERE p.kind = 'city' AND p.expected AND p.returned) AS cities_returned,
           count(*) FILTER (WHERE p.kind = 'city' AND p.expected AND p.addressed) AS cities_responded,
           count(*) FILTER (WHERE p.kind = 'school' AND p.expected) AS schools_expected,
           count(*) FILTER (WHERE p.kind = 'school' AND p.expected AND p.returned) AS schools_returned,
           count(*) FILTER (WHERE p.kind = 'school' AND p.expected AND p.addressed) AS schools_responded,
           coalesce(sum(p.measures) FILTER (WHERE p.kind = 'city'), 0)::BIGINT AS city_measures,
           coalesce(sum(p.measures) FILTER (WHERE p.kind = 'school'), 0)::BIGINT AS school_measures
    FROM coverage_pairs p
    WHERE ($1 = '' OR p.kind = $1)
      AND ($2 = '' OR p.city = $2)
      AND ($3 = 0 OR p.task_no = $3)
      AND ($4 = 0 OR p.area_no = $4)
      AND ($5 = '' OR p.task_no IN (SELECT td.task_no FROM task_departments td WHERE td.department = $5))
    GROUP BY p.task_no
)
SELECT t.task_no, t.area_no, t.area, t.content,
       array_to_string(list_filter(t.departments, d -> d <> ''), '|') AS departments,
       coalesce(t.city_scope, '') AS city_scope,
       c.cities_expected, c.cities_returned, c.cities_responded,
       c.schools_expected, c.schools_returned, c.schools_responded,
       c.city_measures, c.school_measures
FROM tasks t
JOIN c USING (task_no)
ORDER BY t.task_no
