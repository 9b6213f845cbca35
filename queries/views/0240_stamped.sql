-- stamped_copies: per rostered submitter (cities, colleges, universities), the checklist that counts
-- (the current xlsx version) beside the latest stamped copy received (纸质版扫描成PDF, doc_kind 'stamped',
-- latest by modified_at then submission_id). complete is true only with both; stamped_stale is true when
-- the stamped copy is older (modified_at) than the current checklist version — the signed paper no
-- longer matches what counts.
CREATE OR REPLACE VIEW stamped_copies AS
WITH c AS (
    SELECT submitter, submission_id, file_name, modified_at
    FROM submissions
    WHERE status = 'current'
), p AS (
    SELECT submitter,
           arg_max(submission_id, (modified_at, submission_id)) AS submission_id,
           arg_max(file_name, (modified_at, submission_id)) AS file_name,
           arg_max(pages, (modified_at, submission_id)) AS pages,
           max(modified_at) AS modified_at,
           count(*) AS copies
    FROM submissions
    WHERE status = 'received' AND submitter IS NOT NULL
    GROUP BY submitter
)
SELECT s.submitter, s.kind, s.city, s.level, s.ownership,
       c.submission_id AS checklist_submission_id,
       c.file_name AS checklist_file_name,
       c.modified_at AS checklist_modified_at,
       p.submission_id AS stamped_submission_id,
       p.file_name AS stamped_file_name,
       p.pages AS stamped_pages,
       p.modified_at AS stamped_modified_at,
       coalesce(p.copies, 0)::BIGINT AS stamped_copies,
       c.submission_id IS NOT NULL AS checklist_received,
       p.submission_id IS NOT NULL AS stamped_received,
       c.submission_id IS NOT NULL AND p.submission_id IS NOT NULL AS complete,
       coalesce(c.submission_id IS NOT NULL AND p.submission_id IS NOT NULL
                AND p.modified_at < c.modified_at, false) AS stamped_stale
FROM submitters s
LEFT JOIN c USING (submitter)
LEFT JOIN p USING (submitter);

-- completion_rate: per kind of rostered submitter, how many returned a checklist, a stamped copy, both
-- (complete) — the reporting rate counts a return complete only with both — over the roster of that
-- kind (roster is the denominator; universities are listed but expected of nobody).
CREATE OR REPLACE VIEW completion_rate AS
SELECT kind,
       count(*) AS roster,
       count(*) FILTER (WHERE checklist_received) AS checklists,
       count(*) FILTER (WHERE stamped_received) AS stamped,
       count(*) FILTER (WHERE complete) AS complete,
       count(*) FILTER (WHERE stamped_stale) AS stale,
       count(*) FILTER (WHERE complete) / count(*) AS complete_rate
FROM stamped_copies
GROUP BY kind;

-- unattributed_commitments: quantities of current checklists whose task has province-wide targets but
-- that no target's keywords (and unit) claimed — what the attribution keywords missed, for an analyst
-- to read and, where a keyword is wanting, to add it to seeds/targets.csv.
CREATE OR REPLACE VIEW unattributed_commitments AS
SELECT c.submitter, c.kind, c.city, c.task_no, c.value, c.unit, c.unit_written, c.source,
       m.goal, c.submission_id, c.sheet, c."row", c.seq
FROM commitments c
LEFT JOIN measures m ON m.submission_id = c.submission_id AND m.sheet = c.sheet AND m."row" = c."row"
WHERE c.metric IS NULL
  AND c.task_no IN (SELECT task_no FROM targets WHERE task_no IS NOT NULL);
