-- Items of regular long-acting opioids whose daily dose, taken as labelled,
-- is $threshold_mg_per_day mg OME or more (docs/methods/prescribing-ome.md).
SELECT
    rx.month,
    rx.practice_code,
    SUM(rx.items) AS numerator
FROM prescribing AS rx
INNER JOIN measure_presentations AS mp ON mp.bnf_code = rx.bnf_code
WHERE mp.daily_ome_mg >= $threshold_mg_per_day
GROUP BY rx.month, rx.practice_code
