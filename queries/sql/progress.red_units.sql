-- progress.red_units: units with measures past their 完成时间 and not done, most first.
SELECT s.submitter, s.kind, s.city, c.red, c.overdue, c.measures, c.not_reported
FROM completion_rows c
JOIN submitters s ON c.dim = 'submitter' AND c.key = s.submitter
WHERE c.red > 0
ORDER BY c.red DESC, s.submitter
