-- finish_run: stamps run $2 finished at $1, just before its transaction commits.
UPDATE ingest_runs SET finished_at = ? WHERE run_id = ?
