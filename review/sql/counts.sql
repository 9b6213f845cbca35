-- per kind (city / school): the roster, who has a current version, and the review states among those
SELECT s.kind,
       count(*) AS roster,
       count(r.submitter) AS returned,
       count(*) FILTER (WHERE r.state = '待审核') AS pending,
       count(*) FILTER (WHERE r.state = '通过') AS approved,
       count(*) FILTER (WHERE r.state = '退回修改') AS returned_for_changes,
       count(*) FILTER (WHERE r.state = '已修改待复核') AS revised
FROM submitters s
LEFT JOIN review_states r ON r.submitter = s.submitter
GROUP BY s.kind
ORDER BY s.kind
