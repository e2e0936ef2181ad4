-- Continuous percentiles 10th..90th of value across organisations, per month
-- (OpenPrescribing's global deciles). Table: measure_values.
SELECT
    month,
    COUNT(value) AS organisations,
    PERCENTILE_CONT(0.1) WITHIN GROUP (ORDER BY value) AS p10,
    PERCENTILE_CONT(0.2) WITHIN GROUP (ORDER BY value) AS p20,
    PERCENTILE_CONT(0.3) WITHIN GROUP (ORDER BY value) AS p30,
    PERCENTILE_CONT(0.4) WITHIN GROUP (ORDER BY value) AS p40,
    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY value) AS p50,
    PERCENTILE_CONT(0.6) WITHIN GROUP (ORDER BY value) AS p60,
    PERCENTILE_CONT(0.7) WITHIN GROUP (ORDER BY value) AS p70,
    PERCENTILE_CONT(0.8) WITHIN GROUP (ORDER BY value) AS p80,
    PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY value) AS p90
FROM measure_values
WHERE value IS NOT NULL
GROUP BY month
ORDER BY month
