-- progress.completion: status counts of one dimension ($1: task / submitter / city / department) by
-- kind, tasks in number order.
SELECT key, kind, measures, done, on_track, late, not_started, adjusted, cancelled, not_reported, overdue, red
FROM completion_rows
WHERE dim = $1
ORDER BY try_cast(key AS INTEGER) NULLS LAST, key, kind
