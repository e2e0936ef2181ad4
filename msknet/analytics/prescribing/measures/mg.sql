-- Milligrams of the measure's drug per practice and month:
-- TOTAL_QUANTITY (tablets, capsules or ml) x mg per unit.
SELECT
    rx.month,
    rx.practice_code,
    SUM(rx.total_quantity * mp.mg_per_unit) AS numerator
FROM prescribing AS rx
INNER JOIN measure_presentations AS mp ON mp.bnf_code = rx.bnf_code
GROUP BY rx.month, rx.practice_code
