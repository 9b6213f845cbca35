INSERT INTO submitters VALUES (?, ?, ?, list_filter(string_split(?, '|'), k -> k <> ''))
