INSERT INTO access_links (link_id, role, subject, code_hash, created_at, expires_at, revoked_at, created_by)
SELECT COALESCE(MAX(link_id), 0) + 1, ?, ?, ?, ?, ?, NULL, ? FROM access_links
RETURNING link_id
