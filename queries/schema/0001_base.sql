-- Reference data, reloaded from seeds/ on every open.
CREATE TABLE tasks (
    task_no         INTEGER PRIMARY KEY,
    area_no         INTEGER NOT NULL,
    area            VARCHAR NOT NULL,
    content         VARCHAR NOT NULL,
    departments     VARCHAR[] NOT NULL,
    city_scope      VARCHAR,          -- 各市 / 相关市政府 / 沈阳市 / NULL
    expects_cities  BOOLEAN NOT NULL,
    expects_schools BOOLEAN NOT NULL,
    expects_reason  VARCHAR
);
CREATE TABLE targets (
    task_no  INTEGER,                 -- NULL for headline and ministry targets
    metric   VARCHAR PRIMARY KEY,
    target   DOUBLE NOT NULL,
    unit     VARCHAR NOT NULL,
    deadline DATE,
    kind     VARCHAR NOT NULL,        -- task / headline / ministry
    keywords VARCHAR[],
    source   VARCHAR
);
CREATE TABLE departments (
    department VARCHAR PRIMARY KEY,
    aliases    VARCHAR[]
);
CREATE TABLE task_departments (
    task_no    INTEGER NOT NULL,
    department VARCHAR NOT NULL,
    PRIMARY KEY (task_no, department)
);
CREATE TABLE submitters (
    submitter VARCHAR PRIMARY KEY,
    kind      VARCHAR NOT NULL,       -- city / school
    city      VARCHAR NOT NULL,
    aliases   VARCHAR[]
);
CREATE TABLE template_rows (
    position   INTEGER PRIMARY KEY,
    printed_no VARCHAR,
    area       VARCHAR,
    content    VARCHAR,
    departments VARCHAR,
    task_nos   INTEGER[],
    note       VARCHAR
);

-- What ingest writes. One ingest run is one transaction over these tables.
CREATE TABLE ingest_runs (
    run_id      INTEGER PRIMARY KEY,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    source      VARCHAR,              -- cli / inbox / upload
    files       INTEGER
);
-- One row per distinct file ever received (byte-identical files are recognised by sha256 and not added again).
CREATE TABLE files (
    submission_id   INTEGER PRIMARY KEY,
    run_id          INTEGER NOT NULL,
    file_name       VARCHAR NOT NULL, -- base name as received
    source_path     VARCHAR,          -- where it was read from
    archive_path    VARCHAR,          -- relative to the data folder: archive/<sha256[:2]>/<sha256>.<ext>
    sha256          VARCHAR NOT NULL UNIQUE,
    size_bytes      BIGINT NOT NULL,
    submitter       VARCHAR,          -- NULL when unknown
    kind            VARCHAR,
    modified_at     TIMESTAMP,        -- docProps modified, else the file's mtime
    ingested_at     TIMESTAMP NOT NULL,
    rejected        BOOLEAN NOT NULL,
    reason          VARCHAR,          -- NULL unless rejected; starts with the reason code
    sheet           VARCHAR,          -- the checklist sheet used
    unit_cell       VARCHAR,          -- the 单位 cell as written
    identity_source VARCHAR           -- how the submitter was identified: template / unit / file_name
);
-- One row per non-blank 具体举措 of every version; cells verbatim (trimmed) beside what was parsed.
CREATE TABLE measure_rows (
    submission_id INTEGER NOT NULL,
    sheet         VARCHAR NOT NULL,
    "row"         INTEGER NOT NULL,   -- 1-based row in the sheet
    printed_no    VARCHAR,
    area_text     VARCHAR,
    task_text     VARCHAR,
    task_no       INTEGER,            -- NULL when it matched no task
    match_method  VARCHAR,            -- content / template / number / measure / none
    match_score   DOUBLE,
    measure       VARCHAR NOT NULL,
    goal          VARCHAR,
    owner         VARCHAR,
    due           VARCHAR,
    due_date      DATE,
    ongoing       BOOLEAN NOT NULL,
    PRIMARY KEY (submission_id, sheet, "row")
);
CREATE TABLE commitment_rows (
    submission_id INTEGER NOT NULL,
    sheet         VARCHAR NOT NULL,
    "row"         INTEGER NOT NULL,
    seq           INTEGER NOT NULL,   -- position of the quantity within the cell
    task_no       INTEGER,
    metric        VARCHAR,
    value         DOUBLE NOT NULL,
    unit          VARCHAR,
    source        VARCHAR NOT NULL    -- the text the quantity was read from
);
CREATE TABLE finding_rows (
    submission_id INTEGER NOT NULL,
    sheet         VARCHAR,
    "row"         INTEGER,
    severity      VARCHAR NOT NULL,   -- error / warning / info
    code          VARCHAR NOT NULL,
    message       VARCHAR NOT NULL    -- Chinese, written for the submitter
);
