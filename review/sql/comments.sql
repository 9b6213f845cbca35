SELECT c.comment_id, c.round_id, c.submission_id, f.file_name, c.submitter, c.sheet, c."row",
       COALESCE(m.measure, ''), c.reviewer, c.comment, c.created_at
FROM review_comments c
JOIN files f USING (submission_id)
LEFT JOIN measure_rows m ON m.submission_id = c.submission_id AND m.sheet = c.sheet AND m."row" = c."row"
WHERE (? = '' OR c.submitter = ?) AND (? = 0 OR c.submission_id = ?)
ORDER BY c.submission_id DESC, c.sheet, c."row", c.comment_id
