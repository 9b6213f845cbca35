-- stamped.completion: the complete-return rate per kind (view completion_rate): cities, then colleges.
SELECT kind, roster, checklists, stamped, complete, stale
FROM completion_rate
ORDER BY kind
