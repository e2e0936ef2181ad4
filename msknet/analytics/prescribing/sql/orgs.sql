-- Each practice's sub-ICB location, ICB and region in one month, taken from
-- its own EPD rows (PCO_CODE, ICB_CODE, REGIONAL_OFFICE_CODE). Reads the view
-- `staged` (kept rows of one month).
SELECT
    month,
    practice_code,
    MAX(practice_name) AS practice_name,
    MAX(sub_icb_code) AS sub_icb_code,
    MAX(icb_code) AS icb_code,
    MAX(region_code) AS region_code
FROM staged
GROUP BY month, practice_code
