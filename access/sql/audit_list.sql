SELECT audit_id, logged_at, actor_role, COALESCE(actor, ''), action, COALESCE(submitter, ''), COALESCE(submission_id, 0), round_id, COALESCE(detail, '')
FROM audit_log
WHERE (? = '' OR submitter = ?)
ORDER BY audit_id DESC
LIMIT ?
