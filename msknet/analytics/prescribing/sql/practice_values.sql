-- Practice numerators, denominators and values for each month.
--
-- Tables: practice_orgs (month, practice_code, sub_icb_code, icb_code,
-- region_code), list_sizes (month, practice_code, list_size) and numerators
-- (month, practice_code, numerator; from the measure's own SQL).
-- Parameter: $per (1000 for "per 1,000 patients").
--
-- Each prescribing month takes the list-size extract of the same month, or
-- the latest earlier extract when that month has none. Practices without a
-- list size in that extract have no denominator and are left out at every
-- level; practices with no numerator count as zero (as OpenPrescribing does).
WITH prescribing_months AS (
    SELECT DISTINCT month FROM practice_orgs
),
extract_months AS (
    SELECT DISTINCT month AS extract_month FROM list_sizes
),
chosen AS (
    SELECT pm.month, MAX(em.extract_month) AS extract_month
    FROM prescribing_months AS pm
    INNER JOIN extract_months AS em ON em.extract_month <= pm.month
    GROUP BY pm.month
),
sizes AS (
    SELECT c.month, ls.practice_code, MAX(ls.list_size) AS list_size
    FROM chosen AS c
    INNER JOIN list_sizes AS ls ON ls.month = c.extract_month
    GROUP BY c.month, ls.practice_code
)
SELECT
    po.month,
    po.practice_code,
    po.sub_icb_code,
    po.icb_code,
    po.region_code,
    CAST(COALESCE(n.numerator, 0) AS DOUBLE) AS numerator,
    CAST(s.list_size AS DOUBLE) AS denominator,
    CASE
        WHEN s.list_size > 0
            THEN $per * CAST(COALESCE(n.numerator, 0) AS DOUBLE) / s.list_size
    END AS value
FROM practice_orgs AS po
INNER JOIN sizes AS s
    ON s.month = po.month AND s.practice_code = po.practice_code
LEFT JOIN numerators AS n
    ON n.month = po.month AND n.practice_code = po.practice_code
