INSERT INTO departments VALUES (?, list_filter(string_split(?, '|'), k -> k <> ''))
