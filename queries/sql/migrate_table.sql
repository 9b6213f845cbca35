-- migrate: the record of applied schema/NNNN_*.sql files, created before the first of them runs.
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)
