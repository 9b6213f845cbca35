-- round_add: a new round numbered after the last; returns its number.
INSERT INTO rounds (round_id, name, kind, as_of, deadline, created_at)
SELECT coalesce(max(round_id), 0) + 1, $1, $2, $3, $4, $5 FROM rounds
RETURNING round_id
