INSERT INTO audit_log (audit_id, logged_at, actor_role, actor, action, submitter, submission_id, round_id, detail)
SELECT COALESCE(MAX(audit_id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ? FROM audit_log
