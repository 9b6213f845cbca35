-- stamped.file: one stamped copy received ($1 its submission_id) and where the archive holds it. A
-- rejected file (stamped_unnamed) is not served: it names nobody.
SELECT file_name, coalesce(submitter, ''), coalesce(archive_path, '')
FROM submissions
WHERE submission_id = $1 AND doc_kind = 'stamped' AND status = 'received'
