-- A tiny hand-made fixture for the query tests. Every expected number in the tests is worked out from
-- this file by hand; keep the comments in step when you change it.
--
-- Files (submission_id: submitter, verdict):
--   1 沈阳市 v1, superseded by 2 (modified 09-10 < 09-25)
--   2 沈阳市 v2, current
--   3 大连市, current
--   4 沈阳职业技术学院 (沈阳), current
--   5 大连职业技术学院 (大连), rejected legacy_xls: 大连职院 has NOT returned
--   6 辽宁轻工职业学院 (大连), current, ingested after the deadline but modified before it
--   7 unknown submitter, rejected
-- Every other rostered city (12, e.g. 鞍山市) and college (46) has sent nothing.
INSERT INTO ingest_runs VALUES
    (1, TIMESTAMP '2021-09-15 10:00:00', TIMESTAMP '2021-09-15 10:01:00', 'cli', 4),
    (2, TIMESTAMP '2021-09-26 09:00:00', TIMESTAMP '2021-09-26 09:01:00', 'inbox', 3);

INSERT INTO files (submission_id, run_id, file_name, sha256, size_bytes, submitter, kind, modified_at, ingested_at, rejected, reason, sheet, unit_cell, identity_source) VALUES
    (1, 1, '沈阳市任务落实举措清单.xlsx',   'sha1', 1000, '沈阳市', 'city', TIMESTAMP '2021-09-10 09:00:00', TIMESTAMP '2021-09-15 10:00:00', false, NULL, 'Sheet1', '沈阳市教育局', 'unit'),
    (2, 2, '沈阳市任务落实举措清单(修改).xlsx', 'sha2', 1100, '沈阳市', 'city', TIMESTAMP '2021-09-25 09:00:00', TIMESTAMP '2021-09-26 09:00:00', false, NULL, 'Sheet1', '沈阳市教育局', 'unit'),
    (3, 1, '大连.xlsx',                     'sha3', 900, '大连市', 'city', TIMESTAMP '2021-09-18 09:00:00', TIMESTAMP '2021-09-19 12:00:00', false, NULL, '清单', NULL, 'file_name'),
    (4, 1, '沈阳职院一校一案清单.xlsx',       'sha4', 950, '沈阳职业技术学院', 'school', TIMESTAMP '2021-09-19 09:00:00', TIMESTAMP '2021-09-20 18:00:00', false, NULL, 'Sheet1', '沈阳职业技术学院', 'unit'),
    (5, 1, '大连职院.xls',                  'sha5', 800, '大连职业技术学院', 'school', NULL, TIMESTAMP '2021-09-20 10:00:00', true, 'legacy_xls: 旧版 .xls 文件', NULL, NULL, 'file_name'),
    (6, 2, '辽宁轻工职业学院.xlsx',          'sha6', 700, '辽宁轻工职业学院', 'school', TIMESTAMP '2021-09-15 09:00:00', TIMESTAMP '2021-09-22 08:00:00', false, NULL, 'Sheet1', '辽宁轻工职业学院', 'unit'),
    (7, 2, '不知道是谁.xlsx',               'sha7', 600, NULL, NULL, NULL, TIMESTAMP '2021-09-21 08:00:00', true, 'unknown_submitter: 无法识别报送单位', NULL, NULL, NULL);

-- Measures. Columns: submission_id, sheet, row, printed_no, area_text, task_text, task_no, match_method,
-- match_score, measure, goal, owner, due, due_date, ongoing.
INSERT INTO measure_rows (submission_id, sheet, "row", printed_no, area_text, task_text, task_no, match_method, match_score, measure, goal, owner, due, due_date, ongoing) VALUES
    -- 沈阳市 v1 (superseded): tasks 1, 3, 37
    (1, 'Sheet1', 5, '1', NULL, '采取专兼职结合方式', 1, 'content', 1.0, '配备产业导师', '配备2名', '市教育局', '2021年12月', DATE '2021-12-31', false),
    (1, 'Sheet1', 6, '3', NULL, '遴选建设200个左右思想政治课示范课堂', 3, 'content', 1.0, '建设思政示范课堂', '建设10个示范课堂', '市教育局', '2022年', DATE '2022-12-31', false),
    (1, 'Sheet1', 7, '37', NULL, '推动沈阳中德应用技术学院', 37, 'content', 1.0, '推进中德园培训中心', NULL, '市教育局、市外办', '长期', NULL, true),
    -- 沈阳市 v2 (current): task 1 same text but new goal (changed), 37 unchanged, 5 ×2 new, one unmatched; task 3 dropped
    (2, 'Sheet1', 5, '1', NULL, '采取专兼职结合方式', 1, 'content', 1.0, '配备产业导师。', '配备3名', '市教育局', '2021年12月', DATE '2021-12-31', false),
    (2, 'Sheet1', 6, '37', NULL, '推动沈阳中德应用技术学院', 37, 'content', 1.0, '推进中德园培训中心', NULL, '市教育局、市外办', '长期', NULL, true),
    (2, 'Sheet1', 7, '5', NULL, '优化职业院校专业布局', 5, 'content', 1.0, '优化专业布局', NULL, '市教育局', '2022年6月', DATE '2022-06-30', false),
    (2, 'Sheet1', 8, '6', NULL, '优化职业院校专业布局', 5, 'content', 0.9, '新增涉农专业', '新增2个', '市教育局/市农业农村局', '2023年上半年', DATE '2023-06-30', false),
    (2, 'Sheet1', 9, NULL, NULL, NULL, NULL, 'none', 0.0, '其他工作', NULL, NULL, NULL, NULL, false),
    -- 大连市: task 1 (expected), 2 (cities not expected), 37 (沈阳市 only)
    (3, '清单', 4, '1', NULL, '采取专兼职结合方式', 1, 'content', 1.0, '选派技术管理人才', '共建3个产业学院，培训1.2万人次', '市教育局（牵头）、省人社厅', '2021.12', DATE '2021-12-31', false),
    (3, '清单', 5, '2', NULL, '完善大国工匠和劳动模范担任德育兼职导师制度', 2, 'content', 1.0, '劳模导师', NULL, '市总工会', NULL, NULL, false),
    (3, '清单', 6, '37', NULL, '推动沈阳中德应用技术学院', 37, 'number', 0.5, '对接中德', NULL, NULL, '2022/9', DATE '2022-09-30', false),
    -- 沈阳职业技术学院: task 1 ×2, 2, 3 (expected), 43 (colleges not expected)
    (4, 'Sheet1', 5, '1', NULL, '采取专兼职结合方式', 1, 'content', 1.0, '引进企业高管', NULL, '组织部', '2021年9月', DATE '2021-09-30', false),
    (4, 'Sheet1', 6, '1', NULL, '采取专兼职结合方式', 1, 'content', 1.0, '兼职副院长', NULL, '组织部、人事处', '2021年10月', DATE '2021-10-31', false),
    (4, 'Sheet1', 7, '2', NULL, '完善大国工匠和劳动模范担任德育兼职导师制度', 2, 'content', 1.0, '劳模工作室', NULL, '工会', '持续推进', NULL, true),
    (4, 'Sheet1', 8, '3', NULL, '遴选建设200个左右思想政治课示范课堂', 3, 'content', 1.0, '思政金课', '建设5个示范课堂，3门', '马克思主义学院', '2022年底前', DATE '2022-12-31', false),
    (4, 'Sheet1', 9, '43', NULL, '各市政府要制定一市一策', 43, 'content', 1.0, '一校一策', '100%达标', '发展规划处', '2022年3月', DATE '2022-03-31', false),
    -- 辽宁轻工职业学院: tasks 1, 24
    (6, 'Sheet1', 5, '1', NULL, '采取专兼职结合方式', 1, 'content', 1.0, '产业教授', '达标率90%', '人事处', '2022年1月', DATE '2022-01-31', false),
    (6, 'Sheet1', 6, '24', NULL, '共建20个左右产学研融合的产业学院', 24, 'content', 1.0, '共建产业学院', '共建2个产业学院（含1+X证书试点）', '教务处', NULL, NULL, false);

-- Commitments. Columns: submission_id, sheet, row, seq, task_no, metric, value, unit, source.
INSERT INTO commitment_rows (submission_id, sheet, "row", seq, task_no, metric, value, unit, source) VALUES
    (1, 'Sheet1', 6, 1, 3, '思想政治课示范课堂', 10, '个', '建设10个示范课堂'),              -- superseded: never counted
    (2, 'Sheet1', 8, 1, 5, NULL, 2, '个', '新增2个'),                                          -- matches no target
    (3, '清单', 4, 1, 24, '产业学院', 3, '个', '共建3个产业学院'),                              -- city
    (3, '清单', 4, 2, 20, '职业技能培训', 12000, '人次', '培训1.2万人次'),                      -- city
    (4, 'Sheet1', 8, 1, 3, '思想政治课示范课堂', 5, '个', '建设5个示范课堂'),                   -- school
    (4, 'Sheet1', 8, 2, 3, '思想政治课示范课堂', 3, '门', '3门'),                               -- unit mismatch: left out
    (4, 'Sheet1', 9, 1, 54, '达到国家设置标准的职业院校比例', 100, '%', '100%达标'),           -- school, %
    (6, 'Sheet1', 5, 1, 54, '达到国家设置标准的职业院校比例', 90, '%', '达标率90%'),           -- school, %
    (6, 'Sheet1', 6, 1, 24, '产业学院', 2, '个', '共建2个产业学院');                            -- school

-- Findings. Columns: submission_id, sheet, row, severity, code, message.
INSERT INTO finding_rows VALUES
    (1, 'Sheet1', 7, 'warning', 'due_ongoing', '完成时间“长期”按持续推进处理'),             -- superseded: not open
    (2, 'Sheet1', 8, 'warning', 'number_mismatch', '序号6与任务内容不一致，已按任务内容归入第5项'),
    (2, 'Sheet1', 9, 'info', 'task_unmatched', '该行未能对应任务'),
    (4, 'Sheet1', 9, 'error', 'task_not_expected', '第43项不要求院校填报'),
    (5, NULL, NULL, 'error', 'legacy_xls', '请另存为 .xlsx 后重新报送'),
    (7, NULL, NULL, 'error', 'unknown_submitter', '无法识别报送单位，请在“单位”栏填写全称');
