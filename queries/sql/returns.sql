-- Returns: per rostered submitter, what it had sent by the as-of time $1: its first accepted file (the
-- earliest ingested, ties by submission_id) with that file's ingested_at and modified_at, how many
-- accepted and rejected files. Files ingested after $1 do not exist yet; files of unknown submitters are
-- not in the roster and so never inflate the rate.
WITH f AS (
    SELECT * FROM files WHERE ingested_at <= $1 AND submitter IS NOT NULL
      AND submission_id NOT IN (SELECT submission_id FROM file_rounds) -- plan (round 1) files
), first AS (
    SELECT submitter,
           arg_min(submission_id, (ingested_at, submission_id)) AS submission_id,
           min(ingested_at) AS ingested_at,
           arg_min(modified_at, (ingested_at, submission_id)) AS modified_at,
           count(*) AS accepted
    FROM f WHERE NOT rejected AND coalesce(doc_kind, 'checklist') = 'checklist'  -- a stamped copy alone is no return
    GROUP BY submitter
), rej AS (
    SELECT submitter, count(*) AS rejected FROM f WHERE rejected GROUP BY submitter
)
SELECT s.submitter, s.kind, s.city,
       coalesce(first.submission_id, 0), first.ingested_at, first.modified_at,
       coalesce(first.accepted, 0), coalesce(rej.rejected, 0)
FROM submitters s
LEFT JOIN first USING (submitter)
LEFT JOIN rej USING (submitter)
ORDER BY s.kind, s.city, s.submitter
