-- The BNF presentations the measures use that were prescribed in one month
-- ($month), with their descriptions. Reads the view `epd_status`.
SELECT month, bnf_code, MAX(bnf_description) AS bnf_description
FROM epd_status
WHERE status = 'kept' AND rows > 0 AND month = $month
GROUP BY month, bnf_code
