-- progress_plans: every current plan measure with its key and first committed quantity, read inside
-- the run's transaction after the run's plan files are in (a unit may send plan and progress at once).
SELECT k.measure_key, m.submitter, coalesce(m.task_no, 0), m.measure, coalesce(m.goal, ''),
       coalesce(c.metric, ''), coalesce(c.unit, ''), c.value IS NOT NULL
FROM measure_key_rows k
JOIN current_measure_rows m USING (submission_id, sheet, "row", item)
LEFT JOIN current_commitment_rows c ON c.submission_id = m.submission_id AND c.sheet = m.sheet
                                   AND c."row" = m."row" AND c.seq = 1
ORDER BY m.submitter, m.sheet, m."row", m.item
