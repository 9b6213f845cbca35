-- Task: the submitters whose current submission addresses task $1, expected or not, most measures first.
SELECT submitter, kind, city, expected, measures
FROM coverage_pairs
WHERE task_no = $1 AND addressed
ORDER BY kind, measures DESC, submitter
