-- Search: rostered submitters whose name, city or an alias contains $1.
SELECT submitter, kind, city
FROM submitters
WHERE contains(submitter, $1) OR contains(city, $1) OR len(list_filter(aliases, a -> contains(a, $1))) > 0
ORDER BY kind, city, submitter
LIMIT $2
