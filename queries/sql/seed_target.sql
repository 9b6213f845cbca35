INSERT INTO targets (task_no, metric, target, unit, deadline, kind, keywords, source, deadline_basis, also_units)
VALUES (?, ?, ?, ?, ?, ?, list_filter(string_split(?, '|'), k -> k <> ''), ?, ?, list_filter(string_split(?, '|'), k -> k <> ''))
