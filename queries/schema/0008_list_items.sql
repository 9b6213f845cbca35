-- A 具体举措 cell that lists several measures ("1.……；2.……", "（1）……", "①……") is one measure per
-- item. item numbers the measure within its cell (0: the cell is one measure) and cell keeps the whole
-- 具体举措 cell as written beside the item read from it. The key of measure_rows gains item, which
-- DuckDB can only do by rebuilding the table; the rows are copied as they are (item 0). A
-- listed cell's quantities keep its (sheet, row) in commitment_rows, numbered on across its items.
CREATE TABLE measure_rows_0008 (
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
    cell          VARCHAR,
    PRIMARY KEY (submission_id, sheet, "row", item)
);
INSERT INTO measure_rows_0008
SELECT submission_id, sheet, "row", printed_no, area_text, task_text, task_no, match_method, match_score,
       measure, goal, owner, due, due_date, ongoing, 0, NULL
FROM measure_rows;
DROP TABLE measure_rows;
ALTER TABLE measure_rows_0008 RENAME TO measure_rows;

ALTER TABLE current_measure_rows ADD COLUMN item INTEGER DEFAULT 0;
ALTER TABLE current_measure_rows ADD COLUMN cell VARCHAR;
