-- Values at one level: total numerator over total denominator of the member
-- practices (a ratio of sums, as OpenPrescribing computes them).
-- Table: practice_values (practice_values.sql). Parameters: $level, $per.
-- National rows use England's ONS code, E92000001.
SELECT
    month,
    org_code,
    numerator,
    denominator,
    CASE WHEN denominator > 0 THEN $per * numerator / denominator END AS value
FROM (
    SELECT month, 'practice' AS level, practice_code AS org_code,
           numerator, denominator
    FROM practice_values
    UNION ALL
    SELECT month, 'sub_icb', sub_icb_code, SUM(numerator), SUM(denominator)
    FROM practice_values GROUP BY month, sub_icb_code
    UNION ALL
    SELECT month, 'icb', icb_code, SUM(numerator), SUM(denominator)
    FROM practice_values GROUP BY month, icb_code
    UNION ALL
    SELECT month, 'region', region_code, SUM(numerator), SUM(denominator)
    FROM practice_values GROUP BY month, region_code
    UNION ALL
    SELECT month, 'national', 'E92000001', SUM(numerator), SUM(denominator)
    FROM practice_values GROUP BY month
) AS all_levels
WHERE level = $level
ORDER BY month, org_code
