-- How many files the Submissions filter keeps; $1–$6 as in submissions.sql.
SELECT count(*)
FROM submissions s
WHERE ($1 = '' OR s.submitter = $1)
  AND ($2 = '' OR s.kind = $2)
  AND ($3 = '' OR s.city = $3)
  AND ($4 = '' OR s.status = $4)
  AND ($5 = '' OR s.reason_code = $5)
  AND ($6 = 0 OR s.submission_id = $6)
