-- VersionDiff: pairs the measures of version $1 (from) and $2 (to) of one submitter. The key is the task
-- (NULL as -1) plus the measure text normalised (lower case; white space and punctuation removed); a key
-- written k times in one version pairs with the k-th occurrence in the other, in sheet/row order.
-- change: added (only in to), removed (only in from), changed (same key, goal/owner/due differ as written,
-- trimmed, NULL = ''), same.
WITH v AS (
    SELECT submission_id, sheet, "row", coalesce(task_no, -1) AS task_key,
           regexp_replace(lower(measure), '[\s　，。、；;,.：:“”"''‘’（）()！!？?]+', '', 'g') AS text_key,
           coalesce(trim(goal), '') AS goal, coalesce(trim(owner), '') AS owner, coalesce(trim(due), '') AS due
    FROM measure_rows
    WHERE submission_id IN ($1, $2)
), k AS (
    SELECT *, row_number() OVER (PARTITION BY submission_id, task_key, text_key ORDER BY sheet, "row") AS occ
    FROM v
), a AS (SELECT * FROM k WHERE submission_id = $1),
   b AS (SELECT * FROM k WHERE submission_id = $2)
SELECT CASE WHEN a.sheet IS NULL THEN 'added'
            WHEN b.sheet IS NULL THEN 'removed'
            WHEN a.goal <> b.goal OR a.owner <> b.owner OR a.due <> b.due THEN 'changed'
            ELSE 'same' END AS change,
       coalesce(a.sheet, ''), coalesce(a."row", 0), coalesce(b.sheet, ''), coalesce(b."row", 0)
FROM a
FULL JOIN b ON a.task_key = b.task_key AND a.text_key = b.text_key AND a.occ = b.occ
ORDER BY coalesce(b.task_key, a.task_key), coalesce(b.sheet, a.sheet), coalesce(b."row", a."row")
