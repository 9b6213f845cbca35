-- Task: the submitters that addressed task $1 or were expected to, most measures first within each kind.
-- Go splits them into responders (addressed, expected or not) and missing (expected, not addressed).
SELECT submitter, kind, city, expected, returned, measures
FROM coverage_pairs
WHERE task_no = $1 AND (addressed OR expected)
ORDER BY kind, measures DESC, city, submitter
