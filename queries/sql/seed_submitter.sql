-- LoadSeeds: the roster at once, from a JSON array ($1) of cities and colleges.
INSERT INTO submitters (submitter, kind, city, aliases, level, ownership, source)
SELECT r.name, r.kind, r.city, list_filter(r.aliases, k -> k <> ''), nullif(r.level, ''), nullif(r.ownership, ''), nullif(r.source, '')
FROM (SELECT unnest(from_json($1::JSON, '[{"name":"VARCHAR","kind":"VARCHAR","city":"VARCHAR","aliases":["VARCHAR"],"level":"VARCHAR","ownership":"VARCHAR","source":"VARCHAR"}]')) AS r)
