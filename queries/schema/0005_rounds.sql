-- Rounds (轮次): each collection the province runs. Round 1 is the plan round every database already
-- holds: a file not listed in file_rounds belongs to it, so databases made before rounds existed need
-- no step of their users. Progress rounds (进展) are added with `lnvedash round add`.
CREATE TABLE rounds (
    round_id   INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL UNIQUE,
    kind       VARCHAR NOT NULL,       -- 方案 / 进展
    as_of      DATE,                   -- the date the figures stand at
    deadline   DATE,                   -- returns due by the end of this day
    created_at TIMESTAMP NOT NULL
);
INSERT INTO rounds VALUES (1, '2021年任务落实举措清单', '方案', DATE '2021-09-20', DATE '2021-09-20', TIMESTAMP '2021-08-25 00:00:00');

-- The round of every file that is not a plan (round 1) file. Kept apart from files so the plan
-- pipeline's tables stay as they were.
CREATE TABLE file_rounds (
    submission_id INTEGER PRIMARY KEY,
    round_id      INTEGER NOT NULL
);

-- One row per row of every progress return (every version), cells verbatim beside what was read.
CREATE TABLE progress_rows (
    submission_id  INTEGER NOT NULL,
    sheet          VARCHAR NOT NULL,
    "row"          INTEGER NOT NULL,
    measure_key    VARCHAR,            -- the plan measure the row reports on; NULL for a new measure
    link_method    VARCHAR NOT NULL,   -- key / text / text_weak / new
    link_score     DOUBLE,
    task_no        INTEGER,
    measure        VARCHAR,            -- 具体举措 as written in the return
    status         VARCHAR,            -- 已完成 / 按期推进 / 滞后 / 未启动 / 已调整 / 已取消; NULL when unreadable or blank
    status_text    VARCHAR,            -- 完成状态 as written
    percent        DOUBLE,             -- a percentage given as the status ("80%")
    achieved_text  VARCHAR,            -- 已完成数量 as written
    note           VARCHAR,            -- 完成情况说明
    evidence       VARCHAR,            -- 佐证材料
    lag_reason     VARCHAR,            -- 滞后原因及整改措施
    PRIMARY KEY (submission_id, sheet, "row")
);
-- The quantities of 已完成数量, read by the rules of 完成目标 and attributed to target metrics alike.
CREATE TABLE progress_quantity_rows (
    submission_id INTEGER NOT NULL,
    sheet         VARCHAR NOT NULL,
    "row"         INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    task_no       INTEGER,
    metric        VARCHAR,
    value         DOUBLE NOT NULL,
    unit          VARCHAR,
    source        VARCHAR NOT NULL
);

-- Derived (rebuilt by queries.Refresh with sql/refresh_progress.sql).
-- Every current plan measure with its stable key (submitter, task and normalised text).
CREATE TABLE measure_key_rows (
    submission_id INTEGER NOT NULL,
    sheet         VARCHAR NOT NULL,
    "row"         INTEGER NOT NULL,
    measure_key   VARCHAR NOT NULL
);
CREATE TABLE current_progress_rows (
    round_id       INTEGER NOT NULL,
    submission_id  INTEGER NOT NULL,
    submitter      VARCHAR,
    kind           VARCHAR,
    city           VARCHAR,
    measure_key    VARCHAR,
    link_method    VARCHAR,
    link_score     DOUBLE,
    task_no        INTEGER,
    measure        VARCHAR,
    status         VARCHAR,
    status_text    VARCHAR,
    percent        DOUBLE,
    achieved_text  VARCHAR,
    achieved_value DOUBLE,
    achieved_unit  VARCHAR,
    note           VARCHAR,
    evidence       VARCHAR,
    lag_reason     VARCHAR,
    sheet          VARCHAR NOT NULL,
    "row"          INTEGER NOT NULL,
    file_name      VARCHAR
);
CREATE TABLE measure_status_rows (
    measure_key   VARCHAR NOT NULL,
    submission_id INTEGER NOT NULL,
    submitter     VARCHAR,
    kind          VARCHAR,
    city          VARCHAR,
    task_no       INTEGER,
    measure       VARCHAR,
    goal          VARCHAR,
    owner         VARCHAR,
    due           VARCHAR,
    due_date      DATE,
    ongoing       BOOLEAN,
    sheet         VARCHAR,
    "row"         INTEGER,
    status        VARCHAR NOT NULL,
    status_text   VARCHAR,
    percent       DOUBLE,
    round_id      INTEGER,
    as_of         DATE,
    overdue       BOOLEAN NOT NULL,
    red           BOOLEAN NOT NULL,
    progress_submission_id INTEGER,
    progress_sheet VARCHAR,
    progress_row  INTEGER
);
-- Status counts per task, submitter, city and lead department, each by kind (the views completion_by_*).
CREATE TABLE completion_rows (
    dim          VARCHAR NOT NULL,    -- task / submitter / city / department
    key          VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    measures     BIGINT NOT NULL,
    done         BIGINT NOT NULL,
    on_track     BIGINT NOT NULL,
    late         BIGINT NOT NULL,
    not_started  BIGINT NOT NULL,
    adjusted     BIGINT NOT NULL,
    cancelled    BIGINT NOT NULL,
    not_reported BIGINT NOT NULL,
    overdue      BIGINT NOT NULL,
    red          BIGINT NOT NULL,
    done_rate     DOUBLE,             -- done ÷ measures; NULL without measures
    reported_rate DOUBLE              -- (measures − not_reported) ÷ measures
);
