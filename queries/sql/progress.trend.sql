-- progress.trend: completion_by_round, both kinds together, per progress round.
SELECT round_id, name, as_of, sum(measures)::BIGINT, sum(done)::BIGINT, sum(on_track)::BIGINT, sum(late)::BIGINT,
       sum(not_started)::BIGINT, sum(adjusted)::BIGINT, sum(cancelled)::BIGINT, sum(not_reported)::BIGINT
FROM completion_by_round
GROUP BY ALL
ORDER BY as_of, round_id
