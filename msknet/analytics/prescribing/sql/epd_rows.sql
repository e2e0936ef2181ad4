-- The stored prescribing rows of one month ($month): practice x presentation
-- for the BNF codes the measures use, items and TOTAL_QUANTITY summed over
-- pack sizes and files. Reads the view `epd_status`.
SELECT
    month,
    practice_code,
    bnf_code,
    SUM(items) AS items,
    SUM(total_quantity) AS total_quantity,
    SUM(rows) AS source_rows
FROM epd_status
WHERE status = 'kept' AND month = $month
GROUP BY month, practice_code, bnf_code
ORDER BY practice_code, bnf_code
