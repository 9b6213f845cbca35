-- measure_rows loses its PRIMARY KEY. DuckDB keeps a key's index (an ART) in memory and cannot evict
-- it: inside one ingest run it grew ≈4 KiB per file (≈50 MiB at 10,000 files, ≈500 MiB at 100,000),
-- which alone broke the run's memory budget (docs/BENCHMARKS.md, "Ingest memory"). The key never
-- decided anything: ingest numbers (sheet, row, item) itself and writes a file's rows once, and the
-- test TestMeasureRowsUnique checks that no run writes a duplicate. DuckDB drops a key only by
-- rebuilding the table, as in 0008; the rows are copied as they are.
CREATE TABLE measure_rows_0010 (
    submission_id INTEGER NOT NULL,
    sheet         VARCHAR NOT NULL,
    "row"         INTEGER NOT NULL,
    printed_no    VARCHAR,
    area_text     VARCHAR,
    task_text     VARCHAR,
    task_no       INTEGER,
    match_method  VARCHAR,
    match_score   DOUBLE,
    measure       VARCHAR NOT NULL,
    goal          VARCHAR,
    owner         VARCHAR,
    due           VARCHAR,
    due_date      DATE,
    ongoing       BOOLEAN NOT NULL,
    item          INTEGER NOT NULL DEFAULT 0,
    cell          VARCHAR
);
INSERT INTO measure_rows_0010 SELECT * FROM measure_rows ORDER BY submission_id, sheet, "row", item;
DROP TABLE measure_rows;
ALTER TABLE measure_rows_0010 RENAME TO measure_rows;
