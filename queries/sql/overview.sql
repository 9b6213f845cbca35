-- Overview: the headline counts in one row, one pass over each view. Coverage is pooled per kind over the
-- whole roster: addressed (submitter, task) pairs over expected pairs, i.e. Σ tasks_addressed over
-- Σ tasks_expected of coverage_by_submitter. Open findings are those of current submissions.
-- $1 as-of date for the overdue count.
WITH s AS (
    SELECT count(*) FILTER (WHERE kind = 'city') AS cities_expected,
           count(*) FILTER (WHERE kind = 'city' AND returned) AS cities_returned,
           count(*) FILTER (WHERE kind = 'school') AS schools_expected,
           count(*) FILTER (WHERE kind = 'school' AND returned) AS schools_returned,
           coalesce(sum(tasks_expected) FILTER (WHERE kind = 'city'), 0)::BIGINT AS city_pairs_expected,
           coalesce(sum(tasks_addressed) FILTER (WHERE kind = 'city'), 0)::BIGINT AS city_pairs_addressed,
           coalesce(sum(tasks_expected) FILTER (WHERE kind = 'school'), 0)::BIGINT AS school_pairs_expected,
           coalesce(sum(tasks_addressed) FILTER (WHERE kind = 'school'), 0)::BIGINT AS school_pairs_addressed
    FROM coverage_by_submitter
), m AS (
    SELECT count(*) AS measures,
           count(*) FILTER (WHERE task_no IS NULL) AS unmatched_measures,
           count(*) FILTER (WHERE NOT ongoing AND due_date < $1::DATE) AS overdue_measures
    FROM measures
), c AS (
    SELECT count(*) AS commitments, count(metric) AS attributed_commitments FROM commitments
), f AS (
    SELECT count(*) AS files, count(*) FILTER (WHERE status = 'rejected') AS rejected_files FROM submissions
), fi AS (
    SELECT count(*) FILTER (WHERE severity = 'error') AS open_errors,
           count(*) FILTER (WHERE severity = 'warning') AS open_warnings
    FROM findings WHERE status = 'current'
)
SELECT s.cities_expected, s.cities_returned, s.schools_expected, s.schools_returned,
       s.city_pairs_expected, s.city_pairs_addressed, s.school_pairs_expected, s.school_pairs_addressed,
       m.measures, m.unmatched_measures, c.commitments, c.attributed_commitments,
       f.files, f.rejected_files, fi.open_errors, fi.open_warnings, m.overdue_measures
FROM s, m, c, f, fi
