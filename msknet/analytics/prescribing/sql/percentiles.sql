-- Each organisation's percentile (0-100, ascending, whatever the polarity)
-- within its month, over organisations with a value; NULL values get NULL.
-- Table: measure_values.
SELECT mv.month, mv.org_code, mv.value, ranked.percentile
FROM measure_values AS mv
LEFT JOIN (
    SELECT
        month,
        org_code,
        100.0 * PERCENT_RANK() OVER (PARTITION BY month ORDER BY value) AS percentile
    FROM measure_values
    WHERE value IS NOT NULL
) AS ranked
    ON ranked.month = mv.month AND ranked.org_code = mv.org_code
ORDER BY mv.month, mv.org_code
