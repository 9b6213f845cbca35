-- target_progress: the province's quantitative targets against what the current submissions commit to.
-- Commitments count toward a target when their metric is the target's and their unit equals its unit
-- (a mismatched unit is counted in unit_mismatches, never added). Cities and colleges stay apart: a
-- city's plan may already count its colleges' work, so upper_bound = cities + colleges may double count
-- and is an upper bound only. Universities' commitments (kind 'university') are in neither and never in
-- upper_bound: they are shown apart and counted towards no target. For a percentage target (unit '%', task 54) summing is meaningless: the
-- committed figures are the mean of the percentages committed (aggregate = 'mean'). deadline_basis:
-- 原文 when the document states the deadline, 推定 when it is assumed (targets.deadline_basis).
CREATE OR REPLACE VIEW target_progress AS
WITH mismatch AS (
    SELECT t.metric, count(*) AS unit_mismatches
    FROM targets t
    JOIN commitments c ON c.metric = t.metric AND c.unit IS DISTINCT FROM t.unit AND c.kind IN ('city', 'school')
    GROUP BY t.metric
)
SELECT t.task_no, t.metric, t.unit, t.target, t.kind AS target_kind, t.deadline,
       CASE WHEN t.unit = '%' THEN 'mean' ELSE 'sum' END AS aggregate,
       coalesce(CASE WHEN t.unit = '%' THEN avg(c.value) FILTER (WHERE c.kind = 'city')
                     ELSE sum(c.value) FILTER (WHERE c.kind = 'city') END, 0) AS committed_by_cities,
       coalesce(CASE WHEN t.unit = '%' THEN avg(c.value) FILTER (WHERE c.kind = 'school')
                     ELSE sum(c.value) FILTER (WHERE c.kind = 'school') END, 0) AS committed_by_schools,
       committed_by_cities / NULLIF(t.target, 0) AS city_ratio,
       committed_by_schools / NULLIF(t.target, 0) AS school_ratio,
       coalesce(CASE WHEN t.unit = '%' THEN avg(c.value) ELSE sum(c.value) END, 0) AS upper_bound,
       upper_bound / NULLIF(t.target, 0) AS upper_bound_ratio,
       count(c.value) FILTER (WHERE c.kind = 'city') AS city_commitments,
       count(c.value) FILTER (WHERE c.kind = 'school') AS school_commitments,
       count(DISTINCT c.submitter) FILTER (WHERE c.kind = 'city') AS cities_committing,
       count(DISTINCT c.submitter) FILTER (WHERE c.kind = 'school') AS schools_committing,
       coalesce(any_value(mm.unit_mismatches), 0) AS unit_mismatches,
       t.deadline_basis
FROM targets t
LEFT JOIN commitments c ON c.metric = t.metric AND c.unit = t.unit AND c.kind IN ('city', 'school')
LEFT JOIN mismatch mm ON mm.metric = t.metric
GROUP BY t.task_no, t.metric, t.unit, t.target, t.kind, t.deadline, t.deadline_basis;
