-- A 具体举措 cell that lists several measures is one measure per item (schema 0008): each item has its
-- own stable key and its own latest status, so the progress tables that name a plan measure by its
-- (submission, sheet, row) name the item too. Both tables are derived (rebuilt by Refresh).
ALTER TABLE measure_key_rows ADD COLUMN item INTEGER DEFAULT 0;
ALTER TABLE measure_status_rows ADD COLUMN item INTEGER DEFAULT 0;
