-- Issue 14's stamped copies and one university, on top of fixture.sql (see its header for files 1–7).
-- Every expected figure in stamped_test.go is worked out from these rows by hand:
--    8 沈阳市 stamped copy, modified 09-12: older than its current checklist (2, modified 09-25) → stale
--    9 大连市 stamped copy, modified 09-19: newer than its checklist (3, modified 09-18) → complete
--   10 鞍山市 stamped copy only, no checklist → stamped, not complete
--   11 大连理工大学 (university) checklist, committing 100 个 产业学院 (task 24) → in no target, no roster
--   12 大连理工大学 stamped copy
--   13 a stamped copy naming nobody: rejected stamped_unnamed
-- So cities: roster 14, checklists 2, stamped 3, complete 2, stale 1; colleges: roster 52, checklists 2
-- (沈阳职业技术学院, 辽宁轻工职业学院), stamped 0, complete 0. Correction list: stamped_stale for 沈阳市,
-- stamped_missing for 沈阳职业技术学院 and 辽宁轻工职业学院, nothing about 大连市's stamped copy.
INSERT INTO files (submission_id, run_id, file_name, archive_path, sha256, size_bytes, submitter, kind, modified_at, ingested_at, rejected, reason, doc_kind, pages) VALUES
    (8,  2, '沈阳市-盖章版.pdf',   'archive/s8/sha8.pdf',   'sha8',  5000, '沈阳市', 'city', TIMESTAMP '2021-09-12 09:00:00', TIMESTAMP '2021-09-26 09:00:00', false, NULL, 'stamped', 3),
    (9,  2, '大连市-盖章版.pdf',   'archive/s9/sha9.pdf',   'sha9',  4000, '大连市', 'city', TIMESTAMP '2021-09-19 09:00:00', TIMESTAMP '2021-09-26 09:00:00', false, NULL, 'stamped', 2),
    (10, 2, '鞍山市盖章件.png',    'archive/s10/sha10.png', 'sha10', 3000, '鞍山市', 'city', TIMESTAMP '2021-09-18 09:00:00', TIMESTAMP '2021-09-26 09:00:00', false, NULL, 'stamped', 1),
    (12, 2, '大连理工大学-盖章版.pdf', 'archive/s12/sha12.pdf', 'sha12', 3000, '大连理工大学', 'university', TIMESTAMP '2021-09-18 09:00:00', TIMESTAMP '2021-09-26 09:00:00', false, NULL, 'stamped', 1),
    (13, 2, '盖章扫描件.pdf',      'archive/s13/sha13.pdf', 'sha13', 3000, NULL, NULL, TIMESTAMP '2021-09-18 09:00:00', TIMESTAMP '2021-09-26 09:00:00', true, 'stamped_unnamed: 上传时请在文件名中写明单位名称', 'stamped', 1);
INSERT INTO files (submission_id, run_id, file_name, sha256, size_bytes, submitter, kind, modified_at, ingested_at, rejected, reason, sheet, unit_cell, identity_source) VALUES
    (11, 2, '大连理工大学任务落实举措清单.xlsx', 'sha11', 900, '大连理工大学', 'university', TIMESTAMP '2021-09-17 09:00:00', TIMESTAMP '2021-09-26 09:00:00', false, NULL, 'Sheet1', '大连理工大学', 'unit');
INSERT INTO measure_rows (submission_id, sheet, "row", printed_no, area_text, task_text, task_no, match_method, match_score, measure, goal, owner, due, due_date, ongoing) VALUES
    (11, 'Sheet1', 5, '24', NULL, '推进产教融合', 24, 'content', 1.0, '共建产业学院', '共建100个产业学院', '学校', '2022年', DATE '2022-12-31', false);
INSERT INTO commitment_rows (submission_id, sheet, "row", seq, task_no, metric, value, unit, source) VALUES
    (11, 'Sheet1', 5, 1, 24, '产业学院', 100, '个', '共建100个产业学院');
