-- Each practice's sub-ICB location, ICB and region in one month ($month),
-- taken from its own EPD rows (PCO_CODE, ICB_CODE, REGIONAL_OFFICE_CODE):
-- every row that passed the exclusions, whether or not a measure uses its BNF
-- code, so a practice that prescribed none of a measure's drugs still counts
-- (as zero) with its list size. Reads the view `epd_status`.
SELECT
    month,
    practice_code,
    MAX(practice_name) AS practice_name,
    MAX(sub_icb_code) AS sub_icb_code,
    MAX(icb_code) AS icb_code,
    MAX(region_code) AS region_code
FROM epd_status
WHERE status IN ('kept', 'outside_measures') AND rows > 0 AND month = $month
GROUP BY month, practice_code
