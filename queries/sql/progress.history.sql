-- progress.history: what every progress round's current return said about one measure (by key), with
-- the source cell; rounds the unit did not report it in are absent.
SELECT p.round_id, r.name, r.as_of, p.submission_id, p.file_name, p.sheet, p."row", coalesce(p.status, ''),
       coalesce(p.status_text, ''), p.percent, coalesce(p.achieved_text, ''), coalesce(p.note, ''),
       coalesce(p.evidence, ''), coalesce(p.lag_reason, ''), p.link_method
FROM current_progress_rows p
JOIN rounds r USING (round_id)
WHERE p.measure_key = $1
ORDER BY r.as_of, p.round_id, p.sheet, p."row"
