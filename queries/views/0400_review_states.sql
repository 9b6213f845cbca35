-- review_states: per unit with a current version, where the expert review (审核确认) stands, round 1.
-- A decision belongs to the version it was made on: when the current version is the reviewed one the
-- state is the decision (通过 / 退回修改); a newer version after 退回修改 is 已修改待复核, after 通过
-- (or with no decision yet) 待审核.
CREATE OR REPLACE VIEW review_states AS
WITH cur AS (
    SELECT submission_id, submitter, kind, city
    FROM submissions
    WHERE status = 'current' AND submitter IS NOT NULL
), last AS (
    SELECT *
    FROM reviews
    WHERE round_id = 1
    QUALIFY row_number() OVER (PARTITION BY submitter ORDER BY decided_at DESC, review_id DESC) = 1
)
SELECT 1 AS round_id, c.submitter, c.kind, c.city, c.submission_id,
       CASE WHEN l.review_id IS NULL THEN '待审核'
            WHEN l.submission_id = c.submission_id THEN l.decision
            WHEN l.decision = '退回修改' THEN '已修改待复核'
            ELSE '待审核' END AS state,
       l.submission_id AS reviewed_submission_id, l.decision AS last_decision, l.reviewer AS last_reviewer,
       l.reasons AS last_reasons, l.decided_at AS last_decided_at
FROM cur c
LEFT JOIN last l ON l.submitter = c.submitter;
