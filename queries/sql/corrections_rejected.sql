-- corrections_rejected: every rejected file ($1: of one submitter, '' = all), newest first.
SELECT file_name, coalesce(submitter, ''), reason_code, reason, ingested_at
FROM submissions
WHERE status = 'rejected' AND ($1 = '' OR submitter = $1)
ORDER BY ingested_at DESC, submission_id DESC
