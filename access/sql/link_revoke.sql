UPDATE access_links SET revoked_at = ? WHERE link_id = ? AND revoked_at IS NULL
