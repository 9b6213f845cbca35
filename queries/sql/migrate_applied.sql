-- migrate: 1 if schema version $1 has been applied, else 0.
SELECT count(*) FROM schema_migrations WHERE version = ?
