INSERT INTO review_comments (comment_id, round_id, submission_id, submitter, sheet, "row", reviewer, comment, created_at)
SELECT COALESCE(MAX(comment_id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ? FROM review_comments
RETURNING comment_id
