-- progress.plan_measures: a unit's current plan measures in sheet order, with their keys and what they
-- commit, for its progress workbook.
SELECT m.measure_key, coalesce(m.task_no, 0), coalesce(t.content, ''), m.measure, coalesce(m.goal, ''),
       coalesce(m.owner, ''), coalesce(m.due, ''),
       coalesce((SELECT string_agg(c.source, '；' ORDER BY c.seq) FROM current_commitment_rows c
                 WHERE c.submission_id = m.submission_id AND c.sheet = m.sheet AND c."row" = m."row"), '')
FROM measure_status_rows m
LEFT JOIN tasks t USING (task_no)
WHERE m.submitter = $1
ORDER BY m.sheet, m."row"
