-- Undoes optimizer_as_written.sql.
RESET disabled_optimizers;
