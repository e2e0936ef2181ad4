-- Each BNF presentation in the chosen months with one description
-- (descriptions can change between months; any one identifies the strength).
SELECT bnf_code, MAX(bnf_description) AS bnf_description
FROM presentations
GROUP BY bnf_code
ORDER BY bnf_code
