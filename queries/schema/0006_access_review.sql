-- Issue 18: personal links, expert review (审核确认) and the audit log. round_id carries the round a
-- review belongs to (the plan data is round 1) so these tables join the rounds table once it exists.

-- A personal link: who it is for. The code itself is never stored; code_hash is its SHA-256 (hex),
-- blanked in the analysts' snapshot.
CREATE TABLE access_links (
    link_id    INTEGER PRIMARY KEY,
    role       VARCHAR NOT NULL,      -- unit / reviewer / viewer / analyst
    subject    VARCHAR,               -- the unit's roster name, the reviewer's name; NULL for viewer/analyst
    code_hash  VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    created_by VARCHAR NOT NULL       -- cli / admin
);
-- One decision on one version (files.submission_id) of a unit's plan.
CREATE TABLE reviews (
    review_id     INTEGER PRIMARY KEY,
    round_id      INTEGER NOT NULL DEFAULT 1,
    submission_id INTEGER NOT NULL,
    submitter     VARCHAR NOT NULL,
    reviewer      VARCHAR NOT NULL,
    decision      VARCHAR NOT NULL,   -- 通过 / 退回修改
    reasons       VARCHAR,            -- the reviewer's words, verbatim
    decided_at    TIMESTAMP NOT NULL
);
-- A reviewer's comment on one measure (sheet, row) of one version.
CREATE TABLE review_comments (
    comment_id    INTEGER PRIMARY KEY,
    round_id      INTEGER NOT NULL DEFAULT 1,
    submission_id INTEGER NOT NULL,
    submitter     VARCHAR NOT NULL,
    sheet         VARCHAR NOT NULL,
    "row"         INTEGER NOT NULL,
    reviewer      VARCHAR NOT NULL,
    comment       VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
-- Every decision, comment, upload through a link, link issued or revoked. Appended only.
CREATE TABLE audit_log (
    audit_id      INTEGER PRIMARY KEY,
    logged_at     TIMESTAMP NOT NULL,
    actor_role    VARCHAR NOT NULL,   -- admin / reviewer / unit / cli
    actor         VARCHAR,            -- reviewer's or unit's name; NULL for admin / cli
    action        VARCHAR NOT NULL,   -- link_issued / link_revoked / upload / upload_refused / comment / decision
    submitter     VARCHAR,            -- the unit concerned
    submission_id INTEGER,            -- the version concerned
    round_id      INTEGER NOT NULL DEFAULT 1,
    detail        VARCHAR
);
