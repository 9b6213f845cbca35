INSERT INTO reviews (review_id, round_id, submission_id, submitter, reviewer, decision, reasons, decided_at)
SELECT COALESCE(MAX(review_id), 0) + 1, ?, ?, ?, ?, ?, ?, ? FROM reviews
RETURNING review_id
