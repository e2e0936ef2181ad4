-- Rows per month and status, and refusing rows, of the view `epd_status`.
SELECT month, status, SUM(rows) AS n, SUM(problems) AS problems
FROM epd_status
GROUP BY month, status
ORDER BY month, status
