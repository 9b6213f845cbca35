-- stamped.universities: files from the province's undergraduate universities (files.kind 'university'),
-- accepted as their own kind and kept out of every roster count: per university, its current checklist
-- and its latest stamped copy.
SELECT u.submitter, u.city,
       coalesce(arg_max(s.submission_id, (s.modified_at, s.submission_id)) FILTER (WHERE s.status = 'current'), 0),
       coalesce(arg_max(s.file_name, (s.modified_at, s.submission_id)) FILTER (WHERE s.status = 'current'), ''),
       coalesce(arg_max(s.submission_id, (s.modified_at, s.submission_id)) FILTER (WHERE s.status = 'received'), 0),
       coalesce(arg_max(s.file_name, (s.modified_at, s.submission_id)) FILTER (WHERE s.status = 'received'), '')
FROM universities u
JOIN submissions s ON s.submitter = u.submitter AND s.kind = 'university'
GROUP BY u.submitter, u.city
ORDER BY u.city, u.submitter
