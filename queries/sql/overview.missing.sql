-- Overview: rostered submitters with no current submission, cities first.
SELECT submitter, kind, city
FROM coverage_by_submitter
WHERE NOT returned
ORDER BY kind, city, submitter
