-- Write a staged query to Parquet, one directory per month and status.
-- Slots: {query} (a staging query from this folder), {target} (a quoted path).
COPY ({query}) TO {target} (
    FORMAT parquet,
    COMPRESSION zstd,
    PARTITION_BY (month, status),
    WRITE_PARTITION_COLUMNS true,
    OVERWRITE_OR_IGNORE true
)
