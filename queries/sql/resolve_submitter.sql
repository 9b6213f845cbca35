-- The roster name for a name or alias; the name itself wins over an alias.
SELECT submitter FROM submitters
WHERE submitter = $1 OR list_contains(aliases, $1)
ORDER BY submitter <> $1
LIMIT 1
