-- opioid_ome: mg oral morphine equivalent per practice and month.
-- measure_presentations holds the measure's presentations with
-- ome_mg_per_unit (mg OME per unit of TOTAL_QUANTITY); presentations the
-- engine could not value have NULL there and are reported, not guessed.
SELECT
    rx.month,
    rx.practice_code,
    SUM(rx.total_quantity * mp.ome_mg_per_unit) AS numerator
FROM prescribing AS rx
INNER JOIN measure_presentations AS mp ON mp.bnf_code = rx.bnf_code
GROUP BY rx.month, rx.practice_code
