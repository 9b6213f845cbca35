-- Joins run in the order written, the right side built (IngestTx.Refresh says why). A connection
-- setting, not part of the transaction: optimizer_default.sql undoes it.
SET disabled_optimizers = 'join_order,build_side_probe_side';
