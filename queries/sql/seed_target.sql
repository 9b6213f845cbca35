-- LoadSeeds: every target at once, from a JSON array ($1); task_no 0 is NULL (a headline or ministry target).
INSERT INTO targets (task_no, metric, target, unit, deadline, kind, keywords, source, deadline_basis, also_units)
SELECT nullif(r.task_no, 0), r.metric, r.target, r.unit, r.deadline, r.kind, list_filter(r.keywords, k -> k <> ''),
       r.source, r.deadline_basis, list_filter(r.also_units, k -> k <> '')
FROM (SELECT unnest(from_json($1::JSON, '[{"task_no":"INTEGER","metric":"VARCHAR","target":"DOUBLE","unit":"VARCHAR","deadline":"DATE","kind":"VARCHAR","keywords":["VARCHAR"],"source":"VARCHAR","deadline_basis":"VARCHAR","also_units":["VARCHAR"]}]')) AS r)
