-- Progress rounds (定期考核): what was reported against each unit's plan measures. The rules are in
-- docs/SCHEMA.md ("Progress rounds"); the tables behind these views are rebuilt by Refresh
-- (sql/refresh_progress.sql).

-- every row of the current progress return of each (unit, round)
CREATE OR REPLACE VIEW progress AS
SELECT * FROM current_progress_rows;

-- every current plan measure with its latest reported status
CREATE OR REPLACE VIEW measure_status AS
SELECT * FROM measure_status_rows;

CREATE OR REPLACE VIEW completion_by_task AS
SELECT t.task_no, t.area_no, t.content, c.* EXCLUDE (dim, key)
FROM completion_rows c
JOIN tasks t ON c.dim = 'task' AND c.key = t.task_no::VARCHAR;

CREATE OR REPLACE VIEW completion_by_submitter AS
SELECT s.submitter, s.city, c.* EXCLUDE (dim, key)
FROM completion_rows c
JOIN submitters s ON c.dim = 'submitter' AND c.key = s.submitter;

-- kind city: the city's own plan; kind school: its colleges' plans
CREATE OR REPLACE VIEW completion_by_city AS
SELECT c.key AS city, c.* EXCLUDE (dim, key)
FROM completion_rows c
WHERE c.dim = 'city';

CREATE OR REPLACE VIEW completion_by_department AS
SELECT c.key AS department, c.* EXCLUDE (dim, key)
FROM completion_rows c
WHERE c.dim = 'department';

-- per progress round, the status of every current plan measure as reported in that round itself
-- (未报告 when the unit's return of that round does not report it): the trend across rounds
CREATE OR REPLACE VIEW completion_by_round AS
WITH r AS (
    SELECT round_id, name, as_of FROM rounds WHERE kind = '进展'
), s AS (
    SELECT r.round_id, m.kind, coalesce(p.status, '未报告') AS status
    FROM r
    CROSS JOIN measure_status_rows m
    LEFT JOIN (SELECT DISTINCT ON (round_id, submitter, measure_key) round_id, submitter, measure_key, status
               FROM current_progress_rows WHERE measure_key IS NOT NULL
               ORDER BY round_id, submitter, measure_key, sheet, "row") p
           ON p.round_id = r.round_id AND p.submitter = m.submitter AND p.measure_key = m.measure_key
)
SELECT r.round_id, r.name, r.as_of, s.kind, count(*) AS measures,
       count(*) FILTER (WHERE status = '已完成') AS done, count(*) FILTER (WHERE status = '按期推进') AS on_track,
       count(*) FILTER (WHERE status = '滞后') AS late, count(*) FILTER (WHERE status = '未启动') AS not_started,
       count(*) FILTER (WHERE status = '已调整') AS adjusted, count(*) FILTER (WHERE status = '已取消') AS cancelled,
       count(*) FILTER (WHERE status = '未报告') AS not_reported
FROM r JOIN s USING (round_id)
GROUP BY ALL
ORDER BY r.as_of, r.round_id, s.kind;

-- per target: the province's target, what cities and colleges committed (target_progress) and what
-- they report achieved in their latest progress return, kinds apart. Percent targets average.
CREATE OR REPLACE VIEW target_achievement AS
WITH latest AS (
    SELECT p.submitter, p.round_id
    FROM (SELECT DISTINCT submitter, round_id FROM current_progress_rows) p
    JOIN rounds r USING (round_id)
    QUALIFY row_number() OVER (PARTITION BY p.submitter ORDER BY r.as_of DESC NULLS LAST, p.round_id DESC) = 1
), q AS (
    SELECT cp.kind, cp.submitter, pq.metric, pq.unit, pq.value
    FROM progress_quantity_rows pq
    JOIN current_progress_rows cp USING (submission_id, sheet, "row")
    JOIN latest l ON l.submitter = cp.submitter AND l.round_id = cp.round_id
    WHERE pq.metric IS NOT NULL
), a AS (
    SELECT t.metric,
           CASE WHEN t.unit = '%' THEN avg(q.value) FILTER (WHERE q.kind = 'city')
                ELSE sum(q.value) FILTER (WHERE q.kind = 'city') END AS achieved_by_cities,
           CASE WHEN t.unit = '%' THEN avg(q.value) FILTER (WHERE q.kind = 'school')
                ELSE sum(q.value) FILTER (WHERE q.kind = 'school') END AS achieved_by_schools,
           count(DISTINCT q.submitter) FILTER (WHERE q.kind = 'city') AS cities_reporting,
           count(DISTINCT q.submitter) FILTER (WHERE q.kind = 'school') AS schools_reporting
    FROM targets t
    JOIN q ON q.metric = t.metric AND q.unit = t.unit
    GROUP BY t.metric, t.unit
)
SELECT tp.task_no, tp.metric, tp.unit, tp.target, tp.deadline, tp.target_kind, tp.aggregate,
       tp.committed_by_cities, tp.committed_by_schools,
       coalesce(a.achieved_by_cities, 0) AS achieved_by_cities,
       coalesce(a.achieved_by_schools, 0) AS achieved_by_schools,
       coalesce(a.achieved_by_cities, 0) / NULLIF(tp.target, 0) AS city_achieved_ratio,
       coalesce(a.achieved_by_schools, 0) / NULLIF(tp.target, 0) AS school_achieved_ratio,
       coalesce(a.cities_reporting, 0) AS cities_reporting,
       coalesce(a.schools_reporting, 0) AS schools_reporting
FROM target_progress tp
LEFT JOIN a USING (metric);
