SELECT count(*) FROM measure_rows WHERE submission_id = ? AND sheet = ? AND "row" = ?
