-- corrections_current: the current submission of each submitter ($1: one submitter, '' = all), for the
-- sheets of the correction list.
SELECT submitter, file_name FROM submissions
WHERE status = 'current' AND ($1 = '' OR submitter = $1)
ORDER BY submitter
