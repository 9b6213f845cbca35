SELECT r.submitter, r.kind, COALESCE(r.city, ''), r.submission_id, r.state,
       COALESCE(r.reviewed_submission_id, 0), COALESCE(r.last_decision, ''), COALESCE(r.last_reviewer, ''),
       COALESCE(r.last_reasons, ''), r.last_decided_at
FROM review_states r
WHERE (? = '' OR r.submitter = ?)
ORDER BY r.kind, r.submitter
