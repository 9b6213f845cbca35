-- Progress rounds on top of fixture.sql (loaded after it and a Refresh, so the plan measures have their
-- keys in measure_key_rows). Every expected number in progress_test.go is worked out from this file and
-- fixture.sql by hand; keep the comments in step when you change it.
--
-- Rounds: 2 (as of 2022-06-30, deadline 2022-07-15) and 3 (as of 2022-12-31, deadline 2023-01-15).
-- Overdue is judged at the latest as-of date, 2022-12-31.
--
-- Progress files (submission_id: submitter, round, verdict) and what they report (plan sheet row → status):
--    8 沈阳市 round 2, current:   row 5 按期推进, row 7 未启动
--    9 沈阳市 round 3, current:   row 5 已完成, row 6 按期推进, row 7 滞后, and one new measure (按期推进)
--   10 大连市 round 2, current:   row 4 已完成, row 5 滞后             (nothing in round 3)
--   11 沈阳职院 round 3, current:  row 5 已完成, row 6 已调整, row 8 已取消, row 9 未启动
--   12 沈阳职院 round 3, superseded by 11 (modified earlier): row 7 已完成 — never counted
--   辽宁轻工职业学院 reports nothing.
INSERT INTO rounds VALUES
    (2, '2022年上半年进展', '进展', DATE '2022-06-30', DATE '2022-07-15', TIMESTAMP '2022-06-01 00:00:00'),
    (3, '2022年下半年进展', '进展', DATE '2022-12-31', DATE '2023-01-15', TIMESTAMP '2022-12-01 00:00:00');

INSERT INTO ingest_runs VALUES
    (3, TIMESTAMP '2022-07-10 10:00:00', TIMESTAMP '2022-07-10 10:01:00', 'cli', 2),
    (4, TIMESTAMP '2023-01-20 10:00:00', TIMESTAMP '2023-01-20 10:01:00', 'cli', 3);

INSERT INTO files (submission_id, run_id, file_name, sha256, size_bytes, submitter, kind, modified_at, ingested_at, rejected, reason, sheet, unit_cell, identity_source) VALUES
    (8,  3, '沈阳市_2022年上半年进展.xlsx',   'sha8',  500, '沈阳市', 'city', TIMESTAMP '2022-07-09 09:00:00', TIMESTAMP '2022-07-10 10:00:00', false, NULL, '进展', '沈阳市', 'template'),
    (9,  4, '沈阳市_2022年下半年进展.xlsx',   'sha9',  500, '沈阳市', 'city', TIMESTAMP '2023-01-10 09:00:00', TIMESTAMP '2023-01-20 10:00:00', false, NULL, '进展', '沈阳市', 'template'),
    (10, 3, '大连市进展.xlsx',               'sha10', 500, '大连市', 'city', TIMESTAMP '2022-07-08 09:00:00', TIMESTAMP '2022-07-10 10:00:00', false, NULL, '清单', NULL, 'file_name'),
    (11, 4, '沈阳职院进展(修改).xlsx',        'sha11', 500, '沈阳职业技术学院', 'school', TIMESTAMP '2023-01-12 09:00:00', TIMESTAMP '2023-01-20 10:00:00', false, NULL, '进展', '沈阳职业技术学院', 'template'),
    (12, 4, '沈阳职院进展.xlsx',              'sha12', 500, '沈阳职业技术学院', 'school', TIMESTAMP '2023-01-05 09:00:00', TIMESTAMP '2023-01-20 10:00:00', false, NULL, '进展', '沈阳职业技术学院', 'template');

INSERT INTO file_rounds VALUES (8, 2), (9, 3), (10, 2), (11, 3), (12, 3);

-- Columns: submission_id, sheet, row, measure_key, link_method, link_score, task_no, measure, status,
-- status_text, percent, achieved_text, note, evidence, lag_reason. The key is the plan row's own.
INSERT INTO progress_rows
SELECT p.sid, '进展', p.r, k.measure_key, 'key', 1.0, m.task_no, m.measure, p.status, p.status, NULL, NULL, NULL, NULL, NULL
FROM (VALUES
    (8, 4, 2, 5, '按期推进'), (8, 5, 2, 7, '未启动'),
    (9, 4, 2, 5, '已完成'), (9, 5, 2, 6, '按期推进'), (9, 6, 2, 7, '滞后'),
    (10, 4, 3, 4, '已完成'), (10, 5, 3, 5, '滞后'),
    (11, 4, 4, 5, '已完成'), (11, 5, 4, 6, '已调整'), (11, 6, 4, 8, '已取消'), (11, 7, 4, 9, '未启动'),
    (12, 4, 4, 7, '已完成')
) p(sid, r, plan_sid, plan_row, status)
JOIN measure_rows m ON m.submission_id = p.plan_sid AND m."row" = p.plan_row
JOIN measure_key_rows k ON k.submission_id = p.plan_sid AND k."row" = p.plan_row;

INSERT INTO progress_rows VALUES
    (9, '进展', 7, NULL, 'new', NULL, 5, '新建涉农实训基地', '按期推进', '推进中', NULL, NULL, NULL, NULL, NULL);
