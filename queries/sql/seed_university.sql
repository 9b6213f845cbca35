INSERT INTO universities (submitter, kind, city, aliases, level, ownership, source)
VALUES (?, ?, ?, list_filter(string_split(?, '|'), k -> k <> ''), nullif(?, ''), nullif(?, ''), nullif(?, ''))
