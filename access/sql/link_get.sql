SELECT link_id, role, subject, created_at, expires_at, revoked_at, created_by
FROM access_links
WHERE link_id = ?
