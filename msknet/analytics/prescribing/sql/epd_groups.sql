-- One pass over an EPD file. Every row is read, checked and counted here,
-- once; only what the measures and the import summary need leaves the pass.
--
-- Template slots (filled by importer.py with quoted identifiers and
-- literals, never with data): {source} a subquery giving the file's rows
-- under canonical names (year_month, practice_code, practice_name, pco_code,
-- icb_code, region_code, bnf_code, bnf_description and unidentified as text;
-- quantity, items, total_quantity, nic and actual_cost as DOUBLE, NULL where
-- the text is not a number) and {in_measures}, a boolean over bnf_code that
-- is true for the BNF prefixes some measure uses (measures.import_prefixes).
--
-- Rows are grouped by everything that decides their status (epd_status.sql):
-- the raw YEAR_MONTH, the practice code, the UNIDENTIFIED flag, an empty BNF
-- code and BNF 4.10. Rows the measures can use are grouped by BNF code too,
-- so they come out as practice x presentation x month (pack-size rows summed:
-- every measure sums items or TOTAL_QUANTITY x a per-presentation factor);
-- the rest come out as one row per practice and status, which still carries
-- the practice's sub-ICB, ICB and region and the rows to count.
SELECT
    year_month,
    practice_code,
    is_unidentified,
    bnf_code = '' AS no_bnf_code,
    bnf_code LIKE '0410%' AS bnf_4_10,
    CASE WHEN in_measures THEN bnf_code END AS bnf_code,
    COUNT(*) AS n,
    COUNT(*) FILTER (
        WHERE quantity IS NULL OR items IS NULL OR total_quantity IS NULL
            OR nic IS NULL OR actual_cost IS NULL
    ) AS n_missing,
    SUM(CAST(ROUND(items) AS BIGINT)) AS items,
    SUM(total_quantity) AS total_quantity,
    MAX(practice_name) AS practice_name,
    MAX(LEFT(upper(trim(pco_code)), 3)) AS sub_icb_code,
    MAX(upper(trim(icb_code))) AS icb_code,
    MAX(upper(trim(region_code))) AS region_code,
    MAX(CASE WHEN in_measures THEN trim(bnf_description) END) AS bnf_description
FROM (
    SELECT
        *,
        {in_measures} AS in_measures
    FROM (
        SELECT
            year_month,
            upper(trim(practice_code)) AS practice_code,
            coalesce(upper(trim(unidentified)) = 'Y', FALSE)
                OR coalesce(trim(practice_code) = '-', FALSE) AS is_unidentified,
            coalesce(trim(bnf_code), '') AS bnf_code,
            practice_name,
            pco_code,
            icb_code,
            region_code,
            bnf_description,
            quantity,
            items,
            total_quantity,
            nic,
            actual_cost
        FROM ({source}) AS source
    ) AS clean
) AS scoped
GROUP BY ALL
