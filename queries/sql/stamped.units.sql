-- stamped.units: per rostered unit ($1: one submitter, '' = all), the checklist that counts beside its
-- stamped copy (view stamped_copies), in roster order: cities, then colleges, each by city and name.
SELECT submitter, kind, coalesce(city, ''),
       coalesce(checklist_submission_id, 0), coalesce(checklist_file_name, ''), checklist_modified_at,
       coalesce(stamped_submission_id, 0), coalesce(stamped_file_name, ''), coalesce(stamped_pages, 0),
       stamped_modified_at, stamped_copies, complete, stamped_stale
FROM stamped_copies
WHERE $1 = '' OR submitter = $1
ORDER BY kind, city, submitter
