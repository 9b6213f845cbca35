-- progress.delivery: the delivery picture by kind: every current plan measure by its latest status.
SELECT kind, sum(measures)::BIGINT, sum(done)::BIGINT, sum(on_track)::BIGINT, sum(late)::BIGINT,
       sum(not_started)::BIGINT, sum(adjusted)::BIGINT, sum(cancelled)::BIGINT, sum(not_reported)::BIGINT,
       sum(overdue)::BIGINT, sum(red)::BIGINT
FROM completion_rows
WHERE dim = 'submitter'
GROUP BY kind
ORDER BY kind
