-- Task: the submitters expected to address task $1 that have not, with whether they returned a file at all.
SELECT submitter, kind, city, returned
FROM coverage_pairs
WHERE task_no = $1 AND expected AND NOT addressed
ORDER BY kind, city, submitter
