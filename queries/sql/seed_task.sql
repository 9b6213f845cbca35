INSERT INTO tasks VALUES (?, ?, ?, ?, list_filter(string_split(?, '|'), k -> k <> ''), ?, ?, ?, ?)
