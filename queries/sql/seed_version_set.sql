-- LoadSeeds: $1 the fingerprint the tables were just built from, $2 when.
INSERT INTO seed_version VALUES (?, ?)
