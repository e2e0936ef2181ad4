-- The rows a CSV scan rejected (epd_read_csv.sql); {rejects} a quoted name.
SELECT line, error_type, error_message FROM {rejects} ORDER BY line
