-- LoadSeeds: every task at once, from a JSON array ($1) of the seed rows (one statement, not one per row).
INSERT INTO tasks
SELECT r.no, r.area_no, r.area, r.content, list_filter(r.departments, k -> k <> ''), nullif(r.city_scope, ''),
       r.expects_cities, r.expects_schools, r.reason
FROM (SELECT unnest(from_json($1::JSON, '[{"no":"INTEGER","area_no":"INTEGER","area":"VARCHAR","content":"VARCHAR","departments":["VARCHAR"],"city_scope":"VARCHAR","expects_cities":"BOOLEAN","expects_schools":"BOOLEAN","reason":"VARCHAR"}]')) AS r)
