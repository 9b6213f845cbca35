-- Measures of named versions ($1 and $2, any status; the same id twice for one): the columns of
-- measures.sql for one version, read from the base tables. measures.sql takes a version through the
-- all_measures view and its generic filters, a plan several times this one's cost (≈5 ms a statement
-- at any size), and the submission and diff pages ask for nothing but the versions.
SELECT m.submission_id, f.submitter, f.kind, s.city, coalesce(m.task_no, 0), coalesce(m.printed_no, ''),
       coalesce(m.area_text, ''), coalesce(m.task_text, ''), m.measure, coalesce(m.goal, ''), coalesce(m.owner, ''),
       coalesce(m.due, ''), m.due_date, m.ongoing, m.sheet, m."row", f.file_name, coalesce(m.match_method, ''),
       coalesce(m.match_score, 0), fs.status, coalesce(m.item, 0), coalesce(m.cell, ''), coalesce(ms.measure_key, ''),
       -- the latest progress status, once a progress round exists ('' before: no round, nothing to say)
       CASE WHEN EXISTS (SELECT 1 FROM rounds WHERE kind = '进展') THEN coalesce(ms.status, '') ELSE '' END
FROM measure_rows m
JOIN files f ON f.submission_id = m.submission_id
JOIN file_status fs ON fs.submission_id = m.submission_id
LEFT JOIN submitters s ON s.submitter = f.submitter
LEFT JOIN measure_status_rows ms ON ms.submission_id = m.submission_id AND ms.sheet = m.sheet AND ms."row" = m."row"
                                AND ms.item = coalesce(m.item, 0)
WHERE m.submission_id IN ($1, $2)
ORDER BY m.submission_id, m.task_no NULLS LAST, m.sheet, m."row", m.item
