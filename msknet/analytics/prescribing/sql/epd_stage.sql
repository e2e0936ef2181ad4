-- Stage one EPD file: typed columns, the month, and each row's status.
--
-- Template slots (filled by importer.py with quoted identifiers, never with
-- data): {source} is the file's scan (read_csv / read_parquet), {c_<field>}
-- the file's header for each canonical field (layouts.EPD_ALIASES) and
-- {unidentified} a boolean expression over the UNIDENTIFIED flag.
--
-- status is 'problem' for a malformed row (the file is then refused), else
-- the first exclusion that applies (as OpenPrescribing excludes), else 'kept':
--   unidentified          UNIDENTIFIED = 'Y' or PRACTICE_CODE '-'
--   non_practice_setting  PRACTICE_CODE LIKE '%998' or not a GP practice code
--                         (one letter and five digits)
--   bnf_4_10              BNF section 4.10, drugs used in substance dependence
SELECT
    month,
    CASE
        WHEN problem <> '' THEN 'problem'
        WHEN is_unidentified THEN 'unidentified'
        WHEN practice_code LIKE '%998'
            OR NOT regexp_full_match(practice_code, '[A-Z][0-9]{5}')
            THEN 'non_practice_setting'
        WHEN bnf_code LIKE '0410%' THEN 'bnf_4_10'
        ELSE 'kept'
    END AS status,
    problem,
    practice_code,
    practice_name,
    LEFT(pco_code, 3) AS sub_icb_code,
    icb_code,
    region_code,
    bnf_code,
    bnf_description,
    quantity,
    CAST(ROUND(items) AS BIGINT) AS items,
    total_quantity,
    nic,
    actual_cost,
    snomed_code
FROM (
    SELECT
        CASE
            WHEN regexp_full_match(ym, '[0-9]{6}')
                THEN substr(ym, 1, 4) || '-' || substr(ym, 5, 2)
            ELSE '0000-00'
        END AS month,
        concat_ws(
            ',',
            CASE WHEN NOT regexp_full_match(ym, '[0-9]{6}') THEN 'YEAR_MONTH' END,
            CASE WHEN bnf_code = '' THEN 'BNF_CODE' END,
            CASE WHEN quantity IS NULL THEN 'QUANTITY' END,
            CASE WHEN items IS NULL THEN 'ITEMS' END,
            CASE WHEN total_quantity IS NULL THEN 'TOTAL_QUANTITY' END,
            CASE WHEN nic IS NULL THEN 'NIC' END,
            CASE WHEN actual_cost IS NULL THEN 'ACTUAL_COST' END
        ) AS problem,
        *
    FROM (
        SELECT
            regexp_replace(
                regexp_replace(trim(CAST({c_year_month} AS VARCHAR)), '[.]0+$', ''),
                '[-/]', '', 'g'
            ) AS ym,
            upper(trim(CAST({c_practice_code} AS VARCHAR))) AS practice_code,
            CAST({c_practice_name} AS VARCHAR) AS practice_name,
            upper(trim(CAST({c_pco_code} AS VARCHAR))) AS pco_code,
            upper(trim(CAST({c_icb_code} AS VARCHAR))) AS icb_code,
            upper(trim(CAST({c_region_code} AS VARCHAR))) AS region_code,
            coalesce(trim(CAST({c_bnf_code} AS VARCHAR)), '') AS bnf_code,
            trim(CAST({c_bnf_description} AS VARCHAR)) AS bnf_description,
            TRY_CAST(trim(CAST({c_quantity} AS VARCHAR)) AS DOUBLE) AS quantity,
            TRY_CAST(trim(CAST({c_items} AS VARCHAR)) AS DOUBLE) AS items,
            TRY_CAST(trim(CAST({c_total_quantity} AS VARCHAR)) AS DOUBLE)
                AS total_quantity,
            TRY_CAST(trim(CAST({c_nic} AS VARCHAR)) AS DOUBLE) AS nic,
            TRY_CAST(trim(CAST({c_actual_cost} AS VARCHAR)) AS DOUBLE) AS actual_cost,
            CAST({c_snomed_code} AS VARCHAR) AS snomed_code,
            ({unidentified}) OR trim(CAST({c_practice_code} AS VARCHAR)) = '-'
                AS is_unidentified
        FROM {source}
    ) AS typed
) AS checked
