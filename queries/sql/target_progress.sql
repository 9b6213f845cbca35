-- TargetProgress: target_progress recomputed under a filter: $1 kind and $2 city restrict whose
-- commitments count; $3 task, $4 area, $5 department restrict the targets (headline and ministry targets,
-- which belong to no task, drop out under a task-side filter). Same rules as the view: metric and unit
-- must both match; '%' targets average instead of summing. Universities' commitments count towards no
-- target (shown apart, never in a denominator or in upper_bound).
WITH c AS (
    SELECT * FROM commitments
    WHERE kind IN ('city', 'school') AND ($1 = '' OR kind = $1) AND ($2 = '' OR city = $2)
), mismatch AS (
    SELECT t.metric, count(*) AS unit_mismatches
    FROM targets t JOIN c ON c.metric = t.metric AND c.unit IS DISTINCT FROM t.unit
    GROUP BY t.metric
)
SELECT coalesce(t.task_no, 0), t.metric, t.unit, t.target, t.kind, t.deadline,
       t.unit = '%' AS mean,
       coalesce(CASE WHEN t.unit = '%' THEN avg(c.value) FILTER (WHERE c.kind = 'city')
                     ELSE sum(c.value) FILTER (WHERE c.kind = 'city') END, 0) AS committed_by_cities,
       coalesce(CASE WHEN t.unit = '%' THEN avg(c.value) FILTER (WHERE c.kind = 'school')
                     ELSE sum(c.value) FILTER (WHERE c.kind = 'school') END, 0) AS committed_by_schools,
       coalesce(CASE WHEN t.unit = '%' THEN avg(c.value) ELSE sum(c.value) END, 0) AS upper_bound,
       count(DISTINCT c.submitter) FILTER (WHERE c.kind = 'city') AS cities_committing,
       count(DISTINCT c.submitter) FILTER (WHERE c.kind = 'school') AS schools_committing,
       count(c.value) AS commitments,
       coalesce(any_value(mm.unit_mismatches), 0) AS unit_mismatches,
       coalesce(t.deadline_basis, '')
FROM targets t
LEFT JOIN tasks tk USING (task_no)
LEFT JOIN c ON c.metric = t.metric AND c.unit = t.unit
LEFT JOIN mismatch mm ON mm.metric = t.metric
WHERE ($3 = 0 OR t.task_no = $3)
  AND ($4 = 0 OR tk.area_no = $4)
  AND ($5 = '' OR t.task_no IN (SELECT td.task_no FROM task_departments td WHERE td.department = $5))
GROUP BY t.task_no, t.metric, t.unit, t.target, t.kind, t.deadline, t.deadline_basis
ORDER BY t.task_no NULLS LAST, t.metric
