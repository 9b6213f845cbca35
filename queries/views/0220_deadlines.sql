-- deadlines: every current measure with its due period. status is against today (current_date); the Go
-- function Deadlines takes any as-of date instead. Buckets are exclusive:
--   ongoing (长期/持续推进…), no_date (unreadable or blank), overdue (due_date < today),
--   due_by_target (today ≤ due_date ≤ 2022-12-31, the reform's target year), later (after 2022).
-- within_target_year is due_date ≤ 2022-12-31 whatever today is.
CREATE OR REPLACE VIEW deadlines AS
SELECT submission_id, submitter, kind, city, task_no, measure, due, due_date, ongoing, sheet, "row",
       year(due_date) AS due_year,
       CASE WHEN due_date IS NOT NULL THEN year(due_date)::VARCHAR || 'Q' || quarter(due_date)::VARCHAR END AS due_quarter,
       strftime(due_date, '%Y-%m') AS due_month,
       due_date <= DATE '2022-12-31' AS within_target_year,
       CASE WHEN ongoing THEN 'ongoing'
            WHEN due_date IS NULL THEN 'no_date'
            WHEN due_date < current_date THEN 'overdue'
            WHEN due_date <= DATE '2022-12-31' THEN 'due_by_target'
            ELSE 'later' END AS status
FROM measures;
