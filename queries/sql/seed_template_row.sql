-- LoadSeeds: the notice's template rows at once, from a JSON array ($1).
INSERT INTO template_rows
SELECT r.position, r.printed_no, r.area, r.content, r.departments, r.task_nos, r.note
FROM (SELECT unnest(from_json($1::JSON, '[{"position":"INTEGER","printed_no":"VARCHAR","area":"VARCHAR","content":"VARCHAR","departments":"VARCHAR","task_nos":["INTEGER"],"note":"VARCHAR"}]')) AS r)
