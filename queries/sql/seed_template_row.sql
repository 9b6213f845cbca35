INSERT INTO template_rows VALUES (?, ?, ?, ?, ?, list_transform(list_filter(string_split(?, '|'), k -> k <> ''), k -> k::INTEGER), ?)
