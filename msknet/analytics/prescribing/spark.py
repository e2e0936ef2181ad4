"""Run the measures on Spark: the same SQL files, transpiled by SQLGlot.

    from msknet.analytics.prescribing import Store, spark
    with spark.local_session() as session:
        by_level = spark.compute_levels(Store("var/data/prescribing"), "opioid_ome",
                                        session=session)

The measure logic is written once, in DuckDB's dialect: the numerators
(``measures/*.sql``), the denominators with the list-size month fallback
(``sql/practice_values.sql``) and the roll-up to sub-ICB, ICB, region and
England (``sql/levels.sql``). :func:`transpile` turns each file into Spark SQL
with SQLGlot and refuses anything it cannot translate; the store's Parquet
files become temporary views named as the SQL names its tables. Strengths and
OME factors are worked out in Python from the BNF descriptions, as for DuckDB
(:func:`.engine.presentation_columns`), and reach Spark as the view
``measure_presentations``. Method: ``docs/methods/prescribing-engines.md``.

Needs ``pyspark`` (``pip install 'msknet[spark]'``) and Java 17 or later.
The views are made in the session given (``prescribing``, ``practice_orgs``,
``list_sizes``, ``presentations``, ``measure_presentations``, ``numerators``,
``practice_values``), replacing any of the same name: run one measure at a
time in a session.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from .engine import (
    LEVELS,
    MeasureResult,
    load_dmd,
    measure_months,
    presentation_columns,
)
from .errors import MeasureError, PrescribingError
from .measures import Measure, load_measure
from .ome import DmdIngredient, Presentation
from .sqlfiles import render
from .store import Store

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

NEEDS = "the Spark engine needs pyspark (pip install 'msknet[spark]') and Java 17 or later"

#: The columns of a result, typed as the DuckDB engine types them.
RESULT_SCHEMA = pa.schema([
    ("month", pa.string()),
    ("org_code", pa.string()),
    ("numerator", pa.float64()),
    ("denominator", pa.float64()),
    ("value", pa.float64()),
])

_PRESENTATIONS_SCHEMA = (
    "bnf_code STRING, mg_per_unit DOUBLE, ome_mg_per_unit DOUBLE, daily_ome_mg DOUBLE"
)


@cache
def transpile(sql: str) -> tuple[str, frozenset[str]]:
    """One DuckDB statement as Spark SQL, with the names of its parameters.

    DuckDB's ``$name`` parameters become Spark's ``:name`` markers. Anything
    SQLGlot cannot express in Spark SQL raises :class:`MeasureError`.

    >>> transpile("SELECT $per * SUM(x) FROM t")
    ('SELECT :per * SUM(x) FROM t', frozenset({'per'}))
    """
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel, SqlglotError

    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
        if len(statements) != 1:
            raise MeasureError(f"expected one SQL statement, found {len(statements)}")
        tree = statements[0]
        names = frozenset(p.name for p in tree.find_all(exp.Placeholder))
        text = tree.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE,
                        comments=False)
    except SqlglotError as exc:
        raise MeasureError(f"SQL does not transpile to Spark SQL: {exc}") from exc
    return text, names


def start_local_session(
    cores: int = 1, config: dict[str, str] | None = None
) -> SparkSession:
    """A SparkSession on this machine only (``local[cores]``), no web UI.

    The driver binds to 127.0.0.1 and nothing listens beyond it. ``config``
    adds or overrides Spark settings (those of the JVM only take effect when
    no session is running yet in this process).
    """
    try:
        from pyspark.errors import PySparkException
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise PrescribingError(NEEDS) from exc
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder: Any = SparkSession.builder
    try:
        session: SparkSession = (
            builder.master(f"local[{cores}]")
            .appName("msknet-prescribing")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", str(cores))
            .config("spark.sql.session.timeZone", "UTC")
            .config(map=dict(config or {}))
            .getOrCreate()
        )
    except PySparkException as exc:
        raise PrescribingError(f"Spark did not start ({exc}); {NEEDS}") from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


@contextmanager
def local_session(
    cores: int = 1, config: dict[str, str] | None = None
) -> Iterator[SparkSession]:
    """:func:`start_local_session`, stopped when the block ends."""
    session = start_local_session(cores, config)
    try:
        yield session
    finally:
        session.stop()


def _require_pyspark() -> None:
    try:
        import pyspark.sql  # noqa: F401
    except ImportError as exc:
        raise PrescribingError(NEEDS) from exc


@contextmanager
def _session(session: SparkSession | None) -> Iterator[SparkSession]:
    """The session given, else this process's active one, else a local one
    for the block (only that one is stopped after)."""
    if session is None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise PrescribingError(NEEDS) from exc
        session = SparkSession.getActiveSession()
    if session is not None:
        yield session
        return
    with local_session() as local:
        yield local


def _sql(session: SparkSession, sql: str, values: dict[str, Any]) -> DataFrame:
    text, names = transpile(sql)
    missing = names - set(values)
    if missing:
        raise MeasureError(f"SQL needs parameter(s) {sorted(missing)} not given")
    return session.sql(text, args={k: values[k] for k in names})


def _view(session: SparkSession, name: str, files: list[str]) -> None:
    session.read.parquet(*files).createOrReplaceTempView(name)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _register_store(
    store: Store, months: list[str], session: SparkSession
) -> list[tuple[str, str]]:
    """The store's tables as views; the presentations (BNF code, description)."""
    _view(session, "prescribing", store.files("epd", months))
    _view(session, "practice_orgs", store.files("orgs", months))
    _view(session, "list_sizes", store.files("list_sizes"))
    files = store.files("presentations", months)
    if not files:
        return []
    _view(session, "presentations", files)
    return [
        (str(row[0]), str(row[1] or ""))
        for row in _sql(session, render("distinct_presentations.sql"), {}).collect()
    ]


def _practice_frame(
    session: SparkSession,
    measure: Measure,
    rows: list[tuple[str, str]],
    dmd: dict[str, list[DmdIngredient]] | None,
) -> tuple[DataFrame, tuple[Presentation, ...]]:
    """The measure's practice values (sql/practice_values.sql) as a DataFrame."""
    columns, unvalued = presentation_columns(measure, rows, dmd)
    presentations = [
        (code, _float(mg), _float(ome_mg), _float(daily))
        for code, mg, ome_mg, daily in zip(
            columns["bnf_code"], columns["mg_per_unit"], columns["ome_mg_per_unit"],
            columns["daily_ome_mg"], strict=True,
        )
    ]
    session.createDataFrame(presentations, schema=_PRESENTATIONS_SCHEMA) \
        .createOrReplaceTempView("measure_presentations")
    _sql(session, measure.sql_text, measure.parameters) \
        .createOrReplaceTempView("numerators")
    frame = _sql(session, render("practice_values.sql"), {"per": measure.per})
    return frame, unvalued


def _levels(
    session: SparkSession, measure: Measure, levels: Sequence[str]
) -> dict[str, pa.Table]:
    """sql/levels.sql over the view ``practice_values`` at each level."""
    sql = render("levels.sql")
    return {
        level: _sql(session, sql, {"level": level, "per": measure.per})
        .toArrow()
        .cast(RESULT_SCHEMA)
        for level in levels
    }


def practice_values(
    store: Store,
    measure: Measure | str,
    *,
    start: str | None = None,
    end: str | None = None,
    session: SparkSession | None = None,
) -> tuple[pa.Table, tuple[Presentation, ...]]:
    """:func:`.engine.practice_values` computed by Spark."""
    _require_pyspark()
    if isinstance(measure, str):
        measure = load_measure(measure)
    months = measure_months(store, measure, start, end)
    with _session(session) as spark:
        rows = _register_store(store, months, spark)
        frame, unvalued = _practice_frame(spark, measure, rows, load_dmd(store))
        return frame.toArrow(), unvalued


def compute_measures(
    store: Store,
    measure_ids: Sequence[str],
    levels: Sequence[str] = LEVELS,
    *,
    start: str | None = None,
    end: str | None = None,
    session: SparkSession | None = None,
) -> dict[str, dict[str, MeasureResult]]:
    """Several measures at several levels: ``{measure_id: {level: result}}``.

    The store is read into views once; each measure's practice values are
    computed once and cached for its levels. ``session`` defaults to a local
    one started and stopped for the call.
    """
    for level in levels:
        if level not in LEVELS:
            raise MeasureError(f"level must be one of {', '.join(LEVELS)}")
    _require_pyspark()
    measures = [load_measure(i) for i in measure_ids]
    months = [measure_months(store, m, start, end) for m in measures]
    results: dict[str, dict[str, MeasureResult]] = {}
    if not measures or not levels:
        return results
    with _session(session) as spark:
        rows = _register_store(store, months[0], spark)
        dmd = load_dmd(store)
        for measure in measures:
            frame, unvalued = _practice_frame(spark, measure, rows, dmd)
            frame.cache().createOrReplaceTempView("practice_values")
            try:
                tables = _levels(spark, measure, levels)
            finally:
                frame.unpersist()
            results[measure.id] = {
                level: MeasureResult(measure, level, table, unvalued)
                for level, table in tables.items()
            }
    return results


def compute_levels(
    store: Store,
    measure_id: str,
    levels: Sequence[str] = LEVELS,
    *,
    start: str | None = None,
    end: str | None = None,
    session: SparkSession | None = None,
) -> dict[str, MeasureResult]:
    """One measure at several levels (:func:`compute_measures`)."""
    return compute_measures(store, [measure_id], levels, start=start, end=end,
                            session=session)[measure_id]


def compute(
    store: Store,
    measure_id: str,
    level: str = "practice",
    *,
    start: str | None = None,
    end: str | None = None,
    session: SparkSession | None = None,
) -> MeasureResult:
    """:func:`.engine.compute` computed by Spark."""
    return compute_levels(store, measure_id, (level,), start=start, end=end,
                          session=session)[level]
