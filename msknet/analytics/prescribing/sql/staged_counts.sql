-- Rows per month and status in a staging directory (read from the view `staging`).
SELECT month, status, COUNT(*) AS n
FROM staging
GROUP BY month, status
ORDER BY month, status
