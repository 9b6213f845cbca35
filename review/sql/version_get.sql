SELECT f.submission_id, f.submitter, fs.status
FROM files f JOIN file_status fs USING (submission_id)
WHERE f.submission_id = ?
