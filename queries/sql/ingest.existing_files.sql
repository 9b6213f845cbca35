-- existing_files: what is already in the database, so byte-identical files are not loaded twice.
-- A rejected file sent again is answered with its reason, not as a mere duplicate.
SELECT sha256, submission_id, coalesce(submitter, ''), rejected, coalesce(reason, '') FROM files
