-- every link still usable: the caller compares the code's hash with each in constant time
SELECT link_id, role, subject, code_hash, created_at, expires_at, created_by
FROM access_links
WHERE revoked_at IS NULL AND expires_at > ?
