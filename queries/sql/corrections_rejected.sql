-- report_rejected: every rejected file, newest first.
SELECT file_name, coalesce(submitter, ''), reason_code, reason, ingested_at
FROM submissions
WHERE status = 'rejected'
ORDER BY ingested_at DESC, submission_id DESC
