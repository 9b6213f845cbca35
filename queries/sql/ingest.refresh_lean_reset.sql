-- Undoes ingest.refresh_lean.sql.
RESET disabled_optimizers;
RESET threads;
