-- The BNF presentations prescribed in one month and their descriptions.
-- Reads the view `staged` (kept rows of one month).
SELECT month, bnf_code, MAX(bnf_description) AS bnf_description
FROM staged
GROUP BY month, bnf_code
