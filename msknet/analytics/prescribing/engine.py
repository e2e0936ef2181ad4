"""Run measures over the store with DuckDB (the default) or Spark.

The measure logic is SQL in files (``measures/*.sql`` for numerators,
``sql/practice_values.sql`` and ``sql/levels.sql`` for denominators and
aggregation), written in portable SQL over four tables: ``prescribing``,
``practice_orgs``, ``list_sizes`` and ``measure_presentations``. Only the
registration of those tables is engine-specific; :mod:`.spark` runs the same
files, transpiled by SQLGlot from DuckDB's dialect to Spark SQL.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from . import ome
from .errors import MeasureError, PrescribingError
from .importer import MEMORY_LIMIT, connect
from .measures import Measure, load_measure
from .sqlfiles import render
from .store import Store

LEVELS = ("practice", "sub_icb", "icb", "region", "national")
ENGINES = ("duckdb", "spark")
COLUMNS = ("month", "org_code", "numerator", "denominator", "value")

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class MeasureResult:
    """One measure at one level: a row per month and organisation.

    ``table`` has the columns ``month`` (YYYY-MM), ``org_code``, ``numerator``,
    ``denominator`` (registered patients) and ``value`` (per ``measure.per``
    patients; null when the denominator is zero). ``unvalued`` lists the
    measure's presentations whose strength could not be worked out; they
    count as zero and should be fixed in ome.py or with a dm+d extract.
    """

    measure: Measure
    level: str
    table: pa.Table

    unvalued: tuple[ome.Presentation, ...] = ()

    def to_records(self) -> list[dict[str, Any]]:
        """The rows as dicts (JSON-ready)."""
        records: list[dict[str, Any]] = self.table.select(list(COLUMNS)).to_pylist()
        return records


@contextmanager
def _connection(memory_limit: str) -> Iterator[duckdb.DuckDBPyConnection]:
    with tempfile.TemporaryDirectory(prefix="msknet-prescribing-") as spill:
        con = connect(Path(spill), memory_limit)
        try:
            yield con
        finally:
            con.close()


def _months(store: Store, start: str | None, end: str | None) -> list[str]:
    return [
        m for m in store.months("epd")
        if (start is None or m >= start) and (end is None or m <= end)
    ]


def presentation_columns(
    measure: Measure,
    rows: list[tuple[str, str]],
    dmd: dict[str, list[ome.DmdIngredient]] | None,
) -> tuple[dict[str, list[Any]], tuple[ome.Presentation, ...]]:
    """The measure's presentations (BNF code, description) valued, as columns.

    Strengths and OME factors are worked out here, in Python, from the BNF
    descriptions (or the dm+d extract), whichever engine then runs the SQL:
    ``bnf_code``, ``mg_per_unit``, ``ome_mg_per_unit`` and ``daily_ome_mg``,
    and the presentations that could not be valued.
    """
    codes: list[str] = []
    mg: list[float | None] = []
    ome_mg: list[float | None] = []
    daily: list[float | None] = []
    unvalued: list[ome.Presentation] = []
    rows = [(code, text) for code, text in rows if measure.includes(code)]
    if measure.strength == "opioid":
        for p in ome.classify(rows, dmd):
            codes.append(p.bnf_code)
            mg.append(p.mg_per_unit)
            ome_mg.append(p.ome_mg_per_unit)
            daily.append(p.daily_ome_mg)
            if p.problem is not None:
                unvalued.append(p)
    else:
        for code, text in rows:
            strength = ome.plain_strength(text) if measure.strength == "plain" else None
            codes.append(code)
            mg.append(strength)
            ome_mg.append(None)
            daily.append(None)
            if measure.strength == "plain" and strength is None:
                unvalued.append(ome.Presentation(
                    code, text, None, None, None, None, None, False, "description",
                    "no strength in the description",
                ))
    columns: dict[str, list[Any]] = {
        "bnf_code": codes, "mg_per_unit": mg, "ome_mg_per_unit": ome_mg,
        "daily_ome_mg": daily,
    }
    return columns, tuple(unvalued)


def load_dmd(store: Store) -> dict[str, list[ome.DmdIngredient]] | None:
    """The store's dm+d extract, if it has one."""
    dmd_path = store.dmd_path()
    return ome.load_dmd_extract(dmd_path) if dmd_path is not None else None


def measure_presentations(
    store: Store,
    measure: Measure,
    months: list[str],
    con: duckdb.DuckDBPyConnection,
) -> tuple[pa.Table, tuple[ome.Presentation, ...]]:
    """The measure's presentations with their strengths and OME, and failures.

    Also leaves them in ``con`` as the temporary table ``measure_presentations``.
    """
    files = store.files("presentations", months)
    rows: list[tuple[str, str]] = []
    if files:
        con.read_parquet(files).create_view("presentations", replace=True)
        rows = [
            (str(code), str(text or ""))
            for code, text in con.sql(render("distinct_presentations.sql")).fetchall()
        ]
    columns, unvalued = presentation_columns(measure, rows, load_dmd(store))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE measure_presentations AS "
        + render("measure_presentations.sql"),
        columns,
    )
    table = con.table("measure_presentations").to_arrow_table()
    return table, unvalued


def _parameters(sql: str, values: dict[str, Any]) -> dict[str, Any]:
    wanted = set(_PARAM.findall(sql))
    missing = wanted - set(values)
    if missing:
        raise MeasureError(f"SQL needs parameter(s) {sorted(missing)} not given")
    return {k: values[k] for k in wanted}


def _check_imported_codes(store: Store, measure: Measure, months: list[str]) -> None:
    """Refuse months whose import did not keep all the measure's BNF codes.

    An import stores only rows under the BNF prefixes the measures of its day
    used (``loads.json`` ``bnf_prefixes``); a measure added since needs those
    months imported again, rather than silently counting zero.
    """
    loads = store.loads()
    stale = []
    for month in months:
        prefixes = loads.get(month, {}).get("bnf_prefixes")
        if prefixes is None:
            continue  # stored before imports filtered by BNF code: every row
        if not all(code.startswith(tuple(prefixes)) for code in measure.bnf_codes):
            stale.append(month)
    if stale:
        raise MeasureError(
            f"{measure.id}: months {', '.join(stale)} were imported before this "
            "measure's BNF codes were kept; import those months again"
        )


def measure_months(
    store: Store, measure: Measure, start: str | None, end: str | None
) -> list[str]:
    """The stored months a measure runs over, refusing a store it cannot use."""
    months = _months(store, start, end)
    if not months:
        raise PrescribingError(f"no prescribing data in {store.path} for those months")
    if not store.files("list_sizes"):
        raise PrescribingError(f"no list sizes in {store.path}; import some with --list-sizes")
    _check_imported_codes(store, measure, months)
    return months


def practice_values(
    store: Store,
    measure: Measure | str,
    *,
    start: str | None = None,
    end: str | None = None,
    memory_limit: str = MEMORY_LIMIT,
) -> tuple[pa.Table, tuple[ome.Presentation, ...]]:
    """Practice rows with their sub-ICB, ICB and region, and unvalued presentations.

    Columns: month, practice_code, sub_icb_code, icb_code, region_code,
    numerator, denominator, value.
    """
    if isinstance(measure, str):
        measure = load_measure(measure)
    months = measure_months(store, measure, start, end)
    list_files = store.files("list_sizes")
    with _connection(memory_limit) as con:
        _, unvalued = measure_presentations(store, measure, months, con)
        con.read_parquet(store.files("epd", months)).create_view("prescribing")
        con.read_parquet(store.files("orgs", months)).create_view("practice_orgs")
        con.read_parquet(list_files).create_view("list_sizes")
        sql = measure.sql_text
        con.execute(f"CREATE TEMP TABLE numerators AS {sql}",
                    _parameters(sql, measure.parameters))
        pv_sql = render("practice_values.sql")
        table = con.sql(pv_sql, params=_parameters(pv_sql, {"per": measure.per}))
        return table.to_arrow_table(), unvalued


def compute(
    store: Store,
    measure_id: str,
    level: str = "practice",
    *,
    start: str | None = None,
    end: str | None = None,
    memory_limit: str = MEMORY_LIMIT,
    engine: str = "duckdb",
) -> MeasureResult:
    """One measure at one level (practice, sub_icb, icb, region or national).

    ``engine="spark"`` runs the same SQL, transpiled, on a local SparkSession
    (``msknet[spark]``; see :mod:`.spark` to use a session of your own).

    >>> compute(Store("var/data/prescribing"), "opioid_ome", "icb")  # doctest: +SKIP
    """
    if level not in LEVELS:
        raise MeasureError(f"level must be one of {', '.join(LEVELS)}")
    if engine not in ENGINES:
        raise MeasureError(f"engine must be one of {', '.join(ENGINES)}")
    if engine == "spark":
        from . import spark

        return spark.compute(store, measure_id, level, start=start, end=end)
    measure = load_measure(measure_id)
    table, unvalued = practice_values(
        store, measure, start=start, end=end, memory_limit=memory_limit
    )
    return MeasureResult(measure, level, aggregate(table, measure, level), unvalued)


def aggregate(practice_table: pa.Table, measure: Measure, level: str) -> pa.Table:
    """Roll practice values up to a level (ratio of sums; levels.sql)."""
    con = duckdb.connect()
    try:
        con.register("practice_values", practice_table)
        sql = render("levels.sql")
        params = _parameters(sql, {"level": level, "per": measure.per})
        return con.sql(sql, params=params).to_arrow_table()
    finally:
        con.close()
