-- Write a query's rows to one Parquet file.
-- Slots: {query} (a query from this folder), {target} (a quoted path).
COPY ({query}) TO {target} (FORMAT parquet, COMPRESSION zstd)
