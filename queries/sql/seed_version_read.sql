-- Open: the fingerprint of what the reference and derived tables were last built from (no row: never built).
SELECT fingerprint FROM seed_version
