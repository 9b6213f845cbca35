-- existing_files: what is already in the database, so byte-identical files are not loaded twice.
SELECT sha256, submission_id, coalesce(submitter, '') FROM files
