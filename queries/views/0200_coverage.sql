-- Coverage: who was expected to address which task, and who did.
--
-- Rules (docs/SCHEMA.md says the same for analysts):
--   * expected: a city is expected for a task when the task expects_cities and its city_scope is 各市 or
--     相关市政府, or names that very city (task 37: 沈阳市 only); a college when the task expects_schools.
--   * returned: the submitter has a current (accepted, latest) submission.
--   * addressed: the current submission has at least one measure matched to the task.
--   * coverage = addressed / expected, always per kind: a city and a college are never pooled in one ratio.
-- Every rostered submitter appears, returned or not, so a missing file shows as coverage 0 instead of
-- silently shrinking the denominator.

-- current_submissions: the one current file per rostered submitter.
CREATE OR REPLACE VIEW current_submissions AS
SELECT * FROM submissions WHERE status = 'current' AND submitter IS NOT NULL AND round_id = 1;

-- coverage_pairs: one row per (task, rostered submitter): 54 × the roster. The building block of every
-- coverage figure; measures counts the current measures for the pair.
-- (Computed by Refresh into coverage_pair_rows whenever files or seeds change: sql/refresh_derived.sql.)
CREATE OR REPLACE VIEW coverage_pairs AS
SELECT * FROM coverage_pair_rows;

-- coverage_by_task: per task, cities and colleges apart. *_expected counts the whole roster (returned or
-- not); *_responded those expected that addressed it; coverage is NULL where nobody of that kind is
-- expected. measures counts every current measure of the task, expected submitter or not.
-- (Counted by task_no first and joined to the task text after: grouping by the long texts is slower.)
CREATE OR REPLACE VIEW coverage_by_task AS
WITH c AS (
    SELECT task_no,
           count(*) FILTER (WHERE kind = 'city' AND expected) AS cities_expected,
           count(*) FILTER (WHERE kind = 'city' AND expected AND addressed) AS cities_responded,
           count(*) FILTER (WHERE kind = 'school' AND expected) AS schools_expected,
           count(*) FILTER (WHERE kind = 'school' AND expected AND addressed) AS schools_responded,
           coalesce(sum(measures), 0)::BIGINT AS measures,
           coalesce(sum(measures) FILTER (WHERE kind = 'city'), 0)::BIGINT AS city_measures,
           coalesce(sum(measures) FILTER (WHERE kind = 'school'), 0)::BIGINT AS school_measures,
           -- expected submitters that have returned a file: coverage among those who answered at all
           count(*) FILTER (WHERE kind = 'city' AND expected AND returned) AS cities_returned,
           count(*) FILTER (WHERE kind = 'school' AND expected AND returned) AS schools_returned,
           -- addressed though not expected (e.g. a city writing measures for a college-only task)
           count(*) FILTER (WHERE NOT expected AND addressed) AS unexpected_responders
    FROM coverage_pairs
    GROUP BY task_no
)
SELECT t.task_no, t.area_no, t.area, t.content,
       list_filter(t.departments, d -> d <> '') AS departments,  -- task 43 names no provincial body
       t.city_scope, t.expects_cities, t.expects_schools,
       c.cities_expected, c.cities_responded,
       c.cities_responded / NULLIF(c.cities_expected, 0) AS city_coverage,
       c.schools_expected, c.schools_responded,
       c.schools_responded / NULLIF(c.schools_expected, 0) AS school_coverage,
       c.measures, c.city_measures, c.school_measures,
       c.cities_returned, c.schools_returned, c.unexpected_responders
FROM tasks t
JOIN c USING (task_no);

-- coverage_by_submitter: one row per rostered submitter. A submitter that has not returned a file has
-- returned = false, tasks_addressed 0, coverage 0. rank orders within the kind (1 = best coverage, then
-- most measures). Pairs are counted from coverage_pairs; measures from one pass over measures (mc).
-- Refresh stores coverage_by_submitter_source into submitter_coverage_rows, which coverage_by_submitter
-- reads (coverage_by_city joins it to itself).
CREATE OR REPLACE VIEW coverage_by_submitter_source AS
WITH mc AS MATERIALIZED (
    SELECT submitter, task_no, count(*) AS measures
    FROM measures
    GROUP BY submitter, task_no
), p AS (
    -- the expected rule is stated once, where coverage_pair_rows is built (sql/refresh_derived.sql)
    SELECT submitter,
           count(*) FILTER (WHERE expected) AS tasks_expected,
           count(*) FILTER (WHERE expected AND addressed) AS tasks_addressed,
           count(*) FILTER (WHERE NOT expected AND addressed) AS tasks_unexpected
    FROM coverage_pairs
    GROUP BY submitter
), m AS (
    SELECT submitter, sum(measures)::BIGINT AS measures,
           coalesce(sum(measures) FILTER (WHERE task_no IS NULL), 0)::BIGINT AS unmatched_measures
    FROM mc
    GROUP BY submitter
), v AS (
    SELECT submitter,
           count(*) FILTER (WHERE status IN ('current', 'superseded')) AS versions,
           count(*) FILTER (WHERE status = 'rejected') AS rejected_files,
           any_value(submission_id) FILTER (WHERE status = 'current') AS submission_id,
           any_value(file_name) FILTER (WHERE status = 'current') AS file_name,
           any_value(modified_at) FILTER (WHERE status = 'current') AS modified_at,
           any_value(ingested_at) FILTER (WHERE status = 'current') AS ingested_at
    FROM submissions
    WHERE submitter IS NOT NULL AND round_id = 1
    GROUP BY submitter
)
SELECT s.submitter, s.kind, s.city,
       v.submission_id IS NOT NULL AS returned,
       p.tasks_expected, p.tasks_addressed,
       coalesce(p.tasks_addressed / NULLIF(p.tasks_expected, 0), 0) AS coverage,
       coalesce(m.measures, 0) AS measures,
       p.tasks_unexpected,
       coalesce(m.unmatched_measures, 0) AS unmatched_measures,
       v.submission_id, v.file_name, v.modified_at, v.ingested_at,
       coalesce(v.versions, 0) AS versions,
       coalesce(v.rejected_files, 0) AS rejected_files,
       rank() OVER (PARTITION BY s.kind ORDER BY coalesce(p.tasks_addressed / NULLIF(p.tasks_expected, 0), 0) DESC,
                                                coalesce(m.measures, 0) DESC) AS rank
FROM submitters s
JOIN p USING (submitter)
LEFT JOIN m USING (submitter)
LEFT JOIN v USING (submitter);

CREATE OR REPLACE VIEW coverage_by_submitter AS
SELECT * FROM submitter_coverage_rows;

-- coverage_by_city: a city's own plan (一市一策) beside its colleges (一校一案). schools_expected is every
-- college of the city in the roster; school_coverage is pooled: addressed (college, task) pairs over
-- expected pairs across ALL rostered colleges of the city, so a college that sent nothing pulls it down
-- (school_coverage_returned is the same over returned colleges only). NULL where the city has no college.
-- missing_schools lists the city's rostered colleges with no current submission. One pass over
-- coverage_by_submitter grouped by city (a self-join would compute it twice).
CREATE OR REPLACE VIEW coverage_by_city AS
SELECT city,
       coalesce(bool_or(returned) FILTER (WHERE kind = 'city'), false) AS city_returned,
       coalesce(sum(tasks_expected) FILTER (WHERE kind = 'city'), 0)::BIGINT AS city_tasks_expected,
       coalesce(sum(tasks_addressed) FILTER (WHERE kind = 'city'), 0)::BIGINT AS city_tasks_addressed,
       coalesce(city_tasks_addressed / NULLIF(city_tasks_expected, 0), 0) AS city_coverage,
       coalesce(sum(measures) FILTER (WHERE kind = 'city'), 0)::BIGINT AS city_measures,
       count(*) FILTER (WHERE kind = 'school') AS schools_expected,
       count(*) FILTER (WHERE kind = 'school' AND returned) AS schools_returned,
       coalesce(sum(tasks_expected) FILTER (WHERE kind = 'school'), 0)::BIGINT AS school_pairs_expected,
       coalesce(sum(tasks_addressed) FILTER (WHERE kind = 'school'), 0)::BIGINT AS school_pairs_addressed,
       school_pairs_addressed / NULLIF(school_pairs_expected, 0) AS school_coverage,
       sum(tasks_addressed) FILTER (WHERE kind = 'school' AND returned)
           / NULLIF(sum(tasks_expected) FILTER (WHERE kind = 'school' AND returned), 0) AS school_coverage_returned,
       coalesce(sum(measures) FILTER (WHERE kind = 'school'), 0)::BIGINT AS school_measures,
       coalesce(list(submitter ORDER BY submitter) FILTER (WHERE kind = 'school' AND NOT returned), []) AS missing_schools
FROM coverage_by_submitter
GROUP BY city
-- a city of the roster always has its own row; colleges in a city missing from the roster would not
HAVING count(*) FILTER (WHERE kind = 'city') > 0;

-- coverage_by_department: over the tasks each provincial department leads (task_departments). A task led
-- by several departments counts for each of them. expected_pairs = Σ over its tasks of the expected
-- submitters (cities + colleges); addressed_pairs likewise; the city_/school_ columns keep kinds apart.
CREATE OR REPLACE VIEW coverage_by_department AS
WITH t AS (
    SELECT task_no,
           count(*) FILTER (WHERE kind = 'city' AND expected) AS city_expected,
           count(*) FILTER (WHERE kind = 'city' AND expected AND addressed) AS city_addressed,
           count(*) FILTER (WHERE kind = 'school' AND expected) AS school_expected,
           count(*) FILTER (WHERE kind = 'school' AND expected AND addressed) AS school_addressed,
           sum(measures) AS measures
    FROM coverage_pairs
    GROUP BY task_no
)
SELECT d.department,
       count(t.task_no) AS tasks,
       coalesce(sum(t.city_expected + t.school_expected), 0)::BIGINT AS expected_pairs,
       coalesce(sum(t.city_addressed + t.school_addressed), 0)::BIGINT AS addressed_pairs,
       addressed_pairs / NULLIF(expected_pairs, 0) AS coverage,
       coalesce(sum(t.city_expected), 0)::BIGINT AS city_pairs_expected,
       coalesce(sum(t.city_addressed), 0)::BIGINT AS city_pairs_addressed,
       city_pairs_addressed / NULLIF(city_pairs_expected, 0) AS city_coverage,
       coalesce(sum(t.school_expected), 0)::BIGINT AS school_pairs_expected,
       coalesce(sum(t.school_addressed), 0)::BIGINT AS school_pairs_addressed,
       school_pairs_addressed / NULLIF(school_pairs_expected, 0) AS school_coverage,
       coalesce(sum(t.measures), 0)::BIGINT AS measures
FROM departments d
LEFT JOIN task_departments td USING (department)
LEFT JOIN t USING (task_no)
GROUP BY d.department;
