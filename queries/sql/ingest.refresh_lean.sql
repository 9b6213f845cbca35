-- The ingest run's refresh (IngestTx.Refresh says why): joins in the order written, the right side
-- built; one thread, so the current rows are inserted as one stream instead of one buffer per thread
-- (at 2,046 units, 116,000 current measure rows: the two threads' buffers broke a 64MB budget, one
-- thread's did not). Both are settings of the connection or the database, not of the transaction:
-- ingest.refresh_lean_reset.sql undoes them.
SET disabled_optimizers = 'join_order,build_side_probe_side';
SET threads = 1;
