INSERT INTO ingest_runs (run_id, started_at, finished_at, source, files) VALUES (?, ?, ?, ?, ?)
