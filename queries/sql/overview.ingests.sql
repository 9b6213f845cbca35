-- Overview: the latest ingest runs, newest first, with what each added.
SELECT r.run_id, r.started_at, r.finished_at, coalesce(r.source, ''), coalesce(r.files, 0),
       count(f.submission_id) AS new_files,
       count(f.submission_id) FILTER (WHERE f.rejected) AS rejected
FROM ingest_runs r
LEFT JOIN files f USING (run_id)
GROUP BY ALL
ORDER BY r.started_at DESC, r.run_id DESC
LIMIT $1
