-- rounds: every round, the plan round first.
SELECT round_id, name, kind, as_of, deadline, created_at FROM rounds ORDER BY round_id
