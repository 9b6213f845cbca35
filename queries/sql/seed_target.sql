INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?, list_filter(string_split(?, '|'), k -> k <> ''), ?)
