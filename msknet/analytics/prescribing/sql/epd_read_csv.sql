-- The scan of an EPD CSV (plain or .gz) with every column's type given, so
-- DuckDB skips sniffing and parses each field once, converting only the
-- columns a query asks for. A row it cannot type (text in a number, too few
-- fields, bytes not in {encoding}) goes to the table {rejects} instead of
-- stopping the scan. Slots: {path}, {encoding}, {columns} (a struct of
-- quoted name: type), {rejects}, {rejects_scan}: quoted literals.
read_csv(
    {path},
    header = true,
    auto_detect = false,
    delim = ',',
    quote = '"',
    escape = '"',
    encoding = {encoding},
    columns = {columns},
    store_rejects = true,
    rejects_table = {rejects},
    rejects_scan = {rejects_scan}
)
