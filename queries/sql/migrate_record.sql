-- migrate: records schema version $1 (file name $2) as applied at $3, inside that migration's transaction.
INSERT INTO schema_migrations VALUES (?, ?, ?)
