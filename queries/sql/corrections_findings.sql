-- corrections_findings: what each submitter ($1: one, '' = all) should correct in its current
-- submission, worst first, with the cell as the submitter wrote it (the value the finding is about:
-- the date for due_*, the goal for goal_*, the printed number for number_mismatch, else the task text).
-- Beside the checklist's own findings, the stamped copy (view stamped_copies): stamped_missing when a
-- unit with a current checklist sent no stamped copy, stamped_stale when its stamped copy is older than
-- the current checklist (the signed paper no longer matches); both errors on the sheet 盖章扫描件, row 0.
SELECT * FROM (
    SELECT f.submitter, f.file_name, coalesce(f.sheet, '') AS sheet, coalesce(f."row", 0) AS "row", f.severity, f.code, f.message,
           coalesce(CASE WHEN f.code LIKE 'due%' THEN m.due
                         WHEN f.code LIKE 'goal%' THEN m.goal
                         WHEN f.code = 'number_mismatch' THEN m.printed_no
                         ELSE coalesce(m.task_text, m.measure) END, '') AS value
    FROM findings f
    LEFT JOIN measure_rows m ON m.submission_id = f.submission_id AND m.sheet = f.sheet AND m."row" = f."row"
    WHERE f.status = 'current' AND ($1 = '' OR f.submitter = $1)
    UNION ALL
    SELECT submitter, checklist_file_name, '盖章扫描件', 0, 'error',
           CASE WHEN stamped_received THEN 'stamped_stale' ELSE 'stamped_missing' END,
           CASE WHEN stamped_received
                THEN '盖章扫描件（修改于' || strftime(stamped_modified_at, '%Y-%m-%d') || '）早于现行清单（修改于'
                     || strftime(checklist_modified_at, '%Y-%m-%d') || '），签字盖章的纸质版与现行清单已不一致：请将现行清单打印、签字盖章后重新扫描成PDF文件上传。'
                ELSE '未收到盖章扫描件：请将签字盖章的纸质版扫描成PDF文件，与电子版清单一并上传（文件名中写明单位名称）。' END,
           coalesce(stamped_file_name, '')
    FROM stamped_copies
    WHERE checklist_received AND (NOT stamped_received OR stamped_stale) AND ($1 = '' OR submitter = $1)
) f
ORDER BY f.submitter,
         CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
         f."row" NULLS LAST, f.code, f.message
