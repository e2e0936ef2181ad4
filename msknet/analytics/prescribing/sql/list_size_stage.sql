-- Stage one NHS Digital list-size file (practice totals only).
--
-- Template slots (importer.py): {source} the file's scan, {c_<COLUMN>} its
-- quoted headers, {gp_only} a boolean expression (ORG_TYPE = 'GP' when the
-- file has ORG_TYPE). The month is that of EXTRACT_DATE, which NHS Digital
-- writes as 01SEP2017, 01-Apr-17 or 2024-01-01.
--
-- status: 'problem' (refused), 'breakdown' (a SEX or AGE_GROUP_5 split, or
-- not a GP practice row) or 'kept' (SEX = ALL, AGE_GROUP_5 = ALL).
SELECT
    CASE WHEN extract_date IS NULL THEN '0000-00'
         ELSE strftime(extract_date, '%Y-%m') END AS month,
    CASE
        WHEN problem <> '' THEN 'problem'
        WHEN sex = 'ALL' AND age_group = 'ALL' AND gp_row THEN 'kept'
        ELSE 'breakdown'
    END AS status,
    problem,
    practice_code,
    CAST(list_size AS BIGINT) AS list_size,
    CAST(extract_date AS DATE) AS extract_date
FROM (
    SELECT
        concat_ws(
            ',',
            CASE WHEN extract_date IS NULL THEN 'EXTRACT_DATE' END,
            CASE WHEN list_size IS NULL OR list_size < 0
                 THEN 'NUMBER_OF_PATIENTS' END
        ) AS problem,
        *
    FROM (
        SELECT
            try_strptime(
                trim(CAST({c_EXTRACT_DATE} AS VARCHAR)),
                ['%d%b%Y', '%d-%b-%y', '%d-%b-%Y', '%Y-%m-%d', '%d/%m/%Y']
            ) AS extract_date,
            upper(trim(CAST({c_ORG_CODE} AS VARCHAR))) AS practice_code,
            upper(trim(CAST({c_SEX} AS VARCHAR))) AS sex,
            upper(trim(CAST({c_AGE_GROUP_5} AS VARCHAR))) AS age_group,
            TRY_CAST(trim(CAST({c_NUMBER_OF_PATIENTS} AS VARCHAR)) AS BIGINT)
                AS list_size,
            {gp_only} AS gp_row
        FROM {source}
    ) AS typed
) AS checked
