-- progress_rounds: the rounds a progress return may belong to, latest as-of first.
SELECT round_id, name, kind FROM rounds ORDER BY kind = '进展' DESC, as_of DESC NULLS LAST, round_id DESC
