-- progress.returns: per rostered unit, its progress return in round $1: the first accepted file (by
-- ingest time), how many accepted and rejected, and the current one's file.
WITH f AS (
    SELECT f.*, fs.status FROM files f
    JOIN file_rounds r USING (submission_id)
    JOIN file_status fs USING (submission_id)
    WHERE r.round_id = $1 AND f.submitter IS NOT NULL
), first AS (
    SELECT submitter, min(ingested_at) AS first_at, count(*) AS accepted,
           any_value(submission_id) FILTER (WHERE status = 'current') AS current_id
    FROM f WHERE NOT rejected GROUP BY submitter
), rej AS (
    SELECT submitter, count(*) AS rejected FROM f WHERE rejected GROUP BY submitter
)
SELECT s.submitter, s.kind, s.city, first.first_at, coalesce(first.accepted, 0), coalesce(rej.rejected, 0),
       coalesce(first.current_id, 0)
FROM submitters s
LEFT JOIN first USING (submitter)
LEFT JOIN rej USING (submitter)
ORDER BY s.kind, s.city, s.submitter
