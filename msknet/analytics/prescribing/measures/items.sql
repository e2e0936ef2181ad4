-- Items of the measure's presentations per practice and month.
SELECT
    rx.month,
    rx.practice_code,
    SUM(rx.items) AS numerator
FROM prescribing AS rx
INNER JOIN measure_presentations AS mp ON mp.bnf_code = rx.bnf_code
GROUP BY rx.month, rx.practice_code
