-- Checkpoint: write what the WAL holds into the database file now, so that a failure (a full disk)
-- is reported to the caller instead of being swallowed by the close.
CHECKPOINT
