SELECT r.review_id, r.round_id, r.submission_id, f.file_name, r.submitter, r.reviewer, r.decision,
       COALESCE(r.reasons, ''), r.decided_at
FROM reviews r
JOIN files f USING (submission_id)
WHERE (? = '' OR r.submitter = ?)
ORDER BY r.decided_at DESC, r.review_id DESC
