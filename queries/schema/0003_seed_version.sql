-- The fingerprint of what the reference tables and the derived tables were last built from: the seed
-- files, the views and the refresh SQL. Open reloads them only when it differs, so an unchanged
-- database is opened without writing (a reload wrote ≥1 MiB of WAL on every start; on a nearly full
-- disk even serve failed — docs/BENCHMARKS.md, fault tests).
CREATE TABLE seed_version (
    fingerprint VARCHAR NOT NULL,
    loaded_at   TIMESTAMP NOT NULL
);
