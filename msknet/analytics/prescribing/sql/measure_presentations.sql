-- The measure's presentations as a table (engine.measure_presentations):
-- one list parameter per column, unnested side by side. Built in DuckDB
-- rather than with pyarrow, whose arrays from Python lists import pandas
-- (~2 s of start-up).
SELECT
    CAST(UNNEST($bnf_code) AS VARCHAR) AS bnf_code,
    CAST(UNNEST($mg_per_unit) AS DOUBLE) AS mg_per_unit,
    CAST(UNNEST($ome_mg_per_unit) AS DOUBLE) AS ome_mg_per_unit,
    CAST(UNNEST($daily_ome_mg) AS DOUBLE) AS daily_ome_mg
