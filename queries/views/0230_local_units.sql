-- unit_aliases: names of provincial bodies as people write them → the canonical department. From
-- departments (the name itself and its aliases) plus a few short forms seen in 责任单位 cells that are
-- unambiguous in a Liaoning provincial context. Where two sources give the same text, the first wins
-- (department, then alias, then mapping).
CREATE OR REPLACE VIEW unit_aliases AS
WITH all_aliases AS (
    SELECT department AS alias, department, 'department' AS method, 1 AS prio FROM departments
    UNION ALL
    SELECT unnest(aliases) AS alias, department, 'alias' AS method, 2 AS prio FROM departments
    UNION ALL
    SELECT alias, department, 'mapping' AS method, 3 AS prio
    FROM (VALUES ('人社厅', '省人力资源社会保障厅'), ('省人社', '省人力资源社会保障厅'),
                 ('发改委', '省发展改革委'), ('省发改', '省发展改革委'),
                 ('工信厅', '省工业和信息化厅'), ('财政厅', '省财政厅'), ('审计厅', '省审计厅'),
                 ('国资委', '省国资委'), ('商务厅', '省商务厅'), ('外事办', '省政府外事办'),
                 ('税务局', '省税务局'), ('总工会', '省总工会'), ('教育工委', '省委教育工委'))
         AS m(alias, department)
)
SELECT DISTINCT ON (alias) alias, department, method
FROM all_aliases
ORDER BY alias, prio;

-- local_units: the 责任单位（部门） cells of current measures split into one row per unit. The cell is
-- split on 、，,/;；and white space outside brackets only: "各县（市、区）政府" is one unit, not "各县（市"
-- and "区）政府" (the 、，, inside （）()【】《》“” are first set aside as chr(1..3), then put back); a
-- bracketed remark at the end such as "（牵头）" is dropped from the unit;
-- where the remaining text is a known name of a provincial body, unit is its canonical name (department
-- set, normalised_by = department/alias/mapping); otherwise unit is the text as written and department
-- is NULL. owner keeps the whole cell verbatim, unit_raw the piece before normalising.
-- The splitting runs once per change: Refresh stores local_units_source into local_unit_rows, which
-- local_units (below) reads.
CREATE OR REPLACE VIEW local_units_source AS
WITH guarded AS (
    -- Each pass sets aside the last separator of every bracket; three passes cover "（市、县、区、乡）".
    -- Only cells with an opening bracket pay for the regular expressions.
    SELECT submission_id, submitter, kind, city, task_no, sheet, "row", owner,
           CASE WHEN regexp_matches(owner, '[（(【《“]') THEN
               regexp_replace(regexp_replace(regexp_replace(
               regexp_replace(regexp_replace(regexp_replace(
               regexp_replace(regexp_replace(regexp_replace(owner,
                   '([（(【《“][^）)】》”]*)、', '\1' || chr(1), 'g'),
                   '([（(【《“][^）)】》”]*)、', '\1' || chr(1), 'g'),
                   '([（(【《“][^）)】》”]*)、', '\1' || chr(1), 'g'),
                   '([（(【《“][^）)】》”]*)，', '\1' || chr(2), 'g'),
                   '([（(【《“][^）)】》”]*)，', '\1' || chr(2), 'g'),
                   '([（(【《“][^）)】》”]*),', '\1' || chr(3), 'g'),
                   '([（(【《“][^）)】》”]*),', '\1' || chr(3), 'g'),
                   '([（(【《“][^）)】》”]*)/', '\1' || chr(4), 'g'),
                   '([（(【《“][^）)】》”]*)\s', '\1' || chr(5), 'g')
           ELSE owner END AS guarded
    FROM measures
    WHERE owner IS NOT NULL  -- blank pieces are dropped below, after the split
), parts AS (
    SELECT submission_id, submitter, kind, city, task_no, sheet, "row", owner,
           -- translate + string_split rather than a regular expression: several times faster on CJK text
           translate(trim(unnest(string_split(translate(guarded, '、，,/／;；　 ' || chr(9) || chr(10) || chr(13), '||||||||||||'), '|'))),
                     chr(1) || chr(2) || chr(3) || chr(4) || chr(5), '、，,/ ') AS unit_raw
    FROM guarded
), norm AS (
    -- a remark in brackets at the end, "市教育局（牵头）", is not part of the unit's name
    SELECT *, CASE WHEN contains(unit_raw, '（') OR contains(unit_raw, '(')
                   THEN trim(regexp_replace(unit_raw, '[（(][^（）()]*[）)]$', ''))
                   ELSE unit_raw END AS unit_text
    FROM parts
    WHERE unit_raw <> ''
)
-- A name not known as written is looked up again without a leading 中共 and with a leading 辽宁省/辽宁
-- read as 省 ("辽宁省发改委" → "省发改委"), the rule of seeds.DepartmentKey; normalised_by is then 'prefix'.
SELECT n.submission_id, n.submitter, n.kind, n.city, n.task_no, n.sheet, n."row", n.owner, n.unit_raw,
       coalesce(a.department, p.department, n.unit_text) AS unit,
       coalesce(a.department, p.department) AS department,
       CASE WHEN a.department IS NOT NULL THEN a.method WHEN p.department IS NOT NULL THEN 'prefix' END AS normalised_by
FROM norm n
LEFT JOIN unit_aliases a ON a.alias = n.unit_text
LEFT JOIN unit_aliases p ON a.alias IS NULL
     AND p.alias = regexp_replace(regexp_replace(n.unit_text, '^中共', ''), '^辽宁省?', '省')
     AND p.alias <> n.unit_text
WHERE n.unit_text <> '';

CREATE OR REPLACE VIEW local_units AS
SELECT * FROM local_unit_rows;
