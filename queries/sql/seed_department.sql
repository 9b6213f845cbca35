-- LoadSeeds: every department at once, from a JSON array ($1).
INSERT INTO departments
SELECT r.name, list_filter(r.aliases, k -> k <> '')
FROM (SELECT unnest(from_json($1::JSON, '[{"name":"VARCHAR","aliases":["VARCHAR"]}]')) AS r)
