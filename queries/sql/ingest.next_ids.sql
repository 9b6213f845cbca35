-- next_ids: the last submission and run numbers, read inside the run's transaction.
SELECT (SELECT coalesce(max(submission_id), 0) FROM files), (SELECT coalesce(max(run_id), 0) FROM ingest_runs)
