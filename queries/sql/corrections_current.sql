-- corrections_current: the current submissions of each submitter ($1: one submitter, '' = all), for the
-- sheets of the correction list: the plan first, then its progress returns by round ('' for the plan).
SELECT s.submitter, s.file_name, CASE WHEN s.round_id = 1 THEN '' ELSE coalesce(r.name, '') END
FROM submissions s
LEFT JOIN rounds r USING (round_id)
WHERE s.status = 'current' AND s.doc_kind = 'checklist' AND ($1 = '' OR s.submitter = $1)
ORDER BY s.submitter, s.round_id
