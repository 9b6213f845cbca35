-- Overview: the headline counts in one row. Coverage is pooled per kind over the whole roster:
-- addressed (submitter, task) pairs over expected pairs. Open findings are those of current submissions.
-- $1 as-of date for the overdue count.
SELECT
    (SELECT count(*) FROM coverage_by_submitter WHERE kind = 'city') AS cities_expected,
    (SELECT count(*) FROM coverage_by_submitter WHERE kind = 'city' AND returned) AS cities_returned,
    (SELECT count(*) FROM coverage_by_submitter WHERE kind = 'school') AS schools_expected,
    (SELECT count(*) FROM coverage_by_submitter WHERE kind = 'school' AND returned) AS schools_returned,
    (SELECT count(*) FROM coverage_pairs WHERE kind = 'city' AND expected) AS city_pairs_expected,
    (SELECT count(*) FROM coverage_pairs WHERE kind = 'city' AND expected AND addressed) AS city_pairs_addressed,
    (SELECT count(*) FROM coverage_pairs WHERE kind = 'school' AND expected) AS school_pairs_expected,
    (SELECT count(*) FROM coverage_pairs WHERE kind = 'school' AND expected AND addressed) AS school_pairs_addressed,
    (SELECT count(*) FROM measures) AS measures,
    (SELECT count(*) FROM measures WHERE task_no IS NULL) AS unmatched_measures,
    (SELECT count(*) FROM commitments) AS commitments,
    (SELECT count(*) FROM commitments WHERE metric IS NOT NULL) AS attributed_commitments,
    (SELECT count(*) FROM submissions) AS files,
    (SELECT count(*) FROM submissions WHERE status = 'rejected') AS rejected_files,
    (SELECT count(*) FROM findings WHERE status = 'current' AND severity = 'error') AS open_errors,
    (SELECT count(*) FROM findings WHERE status = 'current' AND severity = 'warning') AS open_warnings,
    (SELECT count(*) FROM measures WHERE NOT ongoing AND due_date < $1::DATE) AS overdue_measures
