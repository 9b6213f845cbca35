-- MeasureAt: one measure by its provenance (submission, sheet, row, item; $4 < 0: the row's first item),
-- whatever the version's status.
SELECT m.submission_id, m.submitter, m.kind, m.city, coalesce(m.task_no, 0), coalesce(m.printed_no, ''),
       coalesce(m.area_text, ''), coalesce(m.task_text, ''), m.measure, coalesce(m.goal, ''), coalesce(m.owner, ''),
       coalesce(m.due, ''), m.due_date, m.ongoing, m.sheet, m."row", m.file_name, coalesce(m.match_method, ''),
       coalesce(m.match_score, 0), m.status, coalesce(m.item, 0), coalesce(m.cell, ''), coalesce(ms.measure_key, ''),
       -- the latest progress status, once a progress round exists ('' before: no round, nothing to say)
       CASE WHEN EXISTS (SELECT 1 FROM rounds WHERE kind = '进展') THEN coalesce(ms.status, '') ELSE '' END
FROM all_measures m
LEFT JOIN measure_status_rows ms ON ms.submission_id = m.submission_id AND ms.sheet = m.sheet AND ms."row" = m."row"
                                AND ms.item = coalesce(m.item, 0)
WHERE m.submission_id = $1 AND m.sheet = $2 AND m."row" = $3 AND ($4 < 0 OR m.item = $4)
ORDER BY m.item
LIMIT 1
