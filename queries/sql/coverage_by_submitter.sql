-- CoverageBySubmitter: coverage_by_submitter over the tasks the filter keeps ($3 task, $4 area,
-- $5 department), for the submitters it keeps ($1 kind, $2 city). measures counts the measures matched to
-- those tasks; unmatched_measures (not matched to any task) is unaffected by the task filter.
WITH p AS (
    SELECT p.submitter,
           count(*) FILTER (WHERE p.expected) AS tasks_expected,
           count(*) FILTER (WHERE p.expected AND p.addressed) AS tasks_addressed,
           coalesce(sum(p.measures), 0)::BIGINT AS measures
    FROM coverage_pairs p
    WHERE ($3 = 0 OR p.task_no = $3)
      AND ($4 = 0 OR p.area_no = $4)
      AND ($5 = '' OR p.task_no IN (SELECT td.task_no FROM task_departments td WHERE td.department = $5))
    GROUP BY p.submitter
)
SELECT v.submitter, v.kind, v.city, v.returned,
       coalesce(v.submission_id, 0), coalesce(v.file_name, ''), v.modified_at, v.ingested_at,
       p.tasks_expected, p.tasks_addressed, p.measures, v.unmatched_measures, v.versions, v.rejected_files,
       rank() OVER (PARTITION BY v.kind
                    ORDER BY coalesce(p.tasks_addressed / NULLIF(p.tasks_expected, 0), 0) DESC, p.measures DESC) AS rank
FROM coverage_by_submitter v
JOIN p USING (submitter)
WHERE ($1 = '' OR v.kind = $1)
  AND ($2 = '' OR v.city = $2)
ORDER BY v.kind, rank, v.submitter
