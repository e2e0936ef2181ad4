-- Each group of epd_groups.sql (view `epd_groups`) with its month and status.
--
-- problems: rows that refuse the file (an unreadable YEAR_MONTH, an empty
-- BNF code, or text in QUANTITY, ITEMS, TOTAL_QUANTITY, NIC or ACTUAL_COST);
-- rows: the group's other rows, whose status is the first that applies (as
-- OpenPrescribing excludes):
--   unidentified          UNIDENTIFIED = 'Y' or PRACTICE_CODE '-'
--   non_practice_setting  PRACTICE_CODE LIKE '%998' or not a GP practice code
--                         (one letter and five digits)
--   bnf_4_10              BNF section 4.10, drugs used in substance dependence
--   outside_measures      a BNF code no measure uses: counted, not stored
--   kept                  stored
SELECT
    CASE WHEN ym_ok THEN substr(ym, 1, 4) || '-' || substr(ym, 5, 2)
         ELSE '0000-00' END AS month,
    CASE
        WHEN is_unidentified THEN 'unidentified'
        WHEN practice_code LIKE '%998'
            OR NOT regexp_full_match(practice_code, '[A-Z][0-9]{5}')
            THEN 'non_practice_setting'
        WHEN bnf_4_10 THEN 'bnf_4_10'
        WHEN bnf_code IS NULL THEN 'outside_measures'
        ELSE 'kept'
    END AS status,
    CASE WHEN ym_ok AND NOT no_bnf_code THEN n_missing ELSE n END AS problems,
    CASE WHEN ym_ok AND NOT no_bnf_code THEN n - n_missing ELSE 0 END AS rows,
    practice_code,
    practice_name,
    sub_icb_code,
    icb_code,
    region_code,
    bnf_code,
    bnf_description,
    items,
    total_quantity
FROM (
    SELECT
        coalesce(regexp_full_match(ym, '[0-9]{6}'), FALSE) AS ym_ok,
        *
    FROM (
        SELECT
            regexp_replace(
                regexp_replace(trim(CAST(year_month AS VARCHAR)), '[.]0+$', ''),
                '[-/]', '', 'g'
            ) AS ym,
            *
        FROM epd_groups
    ) AS normalised
) AS checked
