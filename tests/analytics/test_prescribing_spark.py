"""The measure SQL, transpiled to Spark SQL and run on a local Spark, gives
DuckDB's numbers exactly: every measure, every level.

Needs pyspark (a dev dependency) and Java 17+. Without them the Spark tests
skip, unless MSKNET_REQUIRE_SPARK is set (as CI sets it), when they fail.
"""

import csv
import io
import logging
import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from msknet.analytics.prescribing import (
    LEVELS,
    MeasureError,
    Store,
    compute,
    import_files,
    measure_ids,
    synth,
)
from msknet.analytics.prescribing.cli import prescribing

FIXTURES = Path(__file__).parent / "fixtures" / "prescribing"

# PySpark leaves the sockets it collects results through to the garbage
# collector; their ResourceWarnings say nothing about the measures.
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

# For a short run on tiny data: no adaptive re-planning, no code generation,
# and the JVM's quick compiler only (a third of the CPU time of the defaults).
QUICK = {
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
}


def _spark_missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (uv sync installs it with the dev group)"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java (17 or later) on PATH and JAVA_HOME is not set"
    return None


@pytest.fixture(scope="module")
def session():
    missing = _spark_missing()
    if missing:
        if os.environ.get("MSKNET_REQUIRE_SPARK"):
            pytest.fail(f"MSKNET_REQUIRE_SPARK is set but {missing}")
        pytest.skip(missing)
    from msknet.analytics.prescribing import spark

    # py4j logs at INFO when its connections are collected, which can be
    # after pytest has closed the streams the log handlers write to.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    with spark.local_session(config=QUICK) as local:
        yield local


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """January: the hand-made file with real BNF descriptions and a dm+d
    extract; February to April: synthetic practices, with no list-size
    extract for March (it falls back to February's)."""
    tmp = tmp_path_factory.mktemp("spark")
    files = synth.write_synthetic(tmp / "synth", practices=12, months=3, seed=11,
                                  start="2024-02", rows_per_practice=50)
    epd = [p for p in files if p.name.startswith("EPD")]
    sizes = sorted(p for p in files if p.name.startswith("gp-reg"))
    store = Store(tmp / "store")
    import_files(store, [FIXTURES / "EPD_202401.csv"],
                 [FIXTURES / "gp-reg-pat-prac-quin-age-jan-24.csv"],
                 dmd=FIXTURES / "dmd_extract.csv")
    import_files(store, epd, [sizes[0], sizes[2]])
    assert store.months("epd") == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert store.months("list_sizes") == ["2024-01", "2024-02", "2024-04"]
    return store


@pytest.mark.slow
def test_every_measure_at_every_level_is_the_same_on_spark(store, session):
    from msknet.analytics.prescribing import spark

    on_spark = spark.compute_measures(store, measure_ids(), LEVELS, session=session)

    for measure_id in measure_ids():
        for level in LEVELS:
            duck = compute(store, measure_id, level)
            other = on_spark[measure_id][level]
            where = f"{measure_id} at {level}"
            assert other.table.schema == duck.table.schema, where
            # Exact: numerators, list sizes and values, not approximately.
            assert other.to_records() == duck.to_records(), where
            assert other.unvalued == duck.unvalued, where
            assert duck.table.num_rows > 0, where
        national = on_spark[measure_id]["national"].to_records()
        assert [r["month"] for r in national] == ["2024-01", "2024-02", "2024-03",
                                                   "2024-04"], measure_id
        assert any(r["numerator"] > 0 for r in national), measure_id

    # The real descriptions were valued (dm+d and parsed strengths), and March
    # took February's list sizes.
    ome_practices = on_spark["opioid_ome"]["practice"].to_records()
    january = {r["org_code"]: r for r in ome_practices if r["month"] == "2024-01"}
    assert set(january) == {"A81001", "B86010"}
    assert january["A81001"]["numerator"] > 0
    march = {r["org_code"]: r["denominator"] for r in ome_practices
             if r["month"] == "2024-03"}
    february = {r["org_code"]: r["denominator"] for r in ome_practices
                if r["month"] == "2024-02"}
    assert march and march == february


@pytest.mark.slow
def test_cli_engine_spark_writes_what_duckdb_writes(store, session):
    runner = CliRunner()
    outputs = {}
    for engine in ("duckdb", "spark"):
        result = runner.invoke(prescribing, [
            "measures", "--measure", "high_dose_opioid_items", "--level", "icb",
            "--store", str(store.path), "--engine", engine,
        ])
        assert result.exit_code == 0, result.output
        outputs[engine] = result.stdout

    rows = list(csv.DictReader(io.StringIO(outputs["spark"])))
    assert rows and set(rows[0]) == {"month", "org_code", "numerator", "denominator",
                                     "value"}
    assert outputs["spark"] == outputs["duckdb"]


@pytest.mark.slow
def test_all_measure_sql_transpiles_to_spark_with_its_parameters():
    from msknet.analytics.prescribing import load_measure, spark
    from msknet.analytics.prescribing.sqlfiles import render

    for measure_id in measure_ids():
        measure = load_measure(measure_id)
        text, names = spark.transpile(measure.sql_text)
        assert names == set(measure.parameters), measure_id
        assert all(f":{name}" in text for name in names), measure_id
    for name in ("distinct_presentations.sql", "practice_values.sql", "levels.sql"):
        spark.transpile(render(name))
    text, names = spark.transpile(render("levels.sql"))
    assert names == {"level", "per"} and "$" not in text


@pytest.mark.slow
def test_sql_of_two_statements_is_refused():
    from msknet.analytics.prescribing import spark

    with pytest.raises(MeasureError, match="expected one SQL statement, found 2"):
        spark.transpile("SELECT 1; SELECT 2")


def test_spark_engine_without_pyspark_says_what_to_install(tmp_path, monkeypatch):
    for name in ("pyspark", "pyspark.sql", "pyspark.errors"):
        monkeypatch.setitem(sys.modules, name, None)

    result = CliRunner().invoke(prescribing, [
        "measures", "--measure", "opioid_ome", "--store", str(tmp_path),
        "--engine", "spark",
    ])

    assert result.exit_code == 1
    assert "needs pyspark (pip install 'msknet[spark]') and Java 17" in result.output


def test_unknown_engine_is_refused(tmp_path):
    with pytest.raises(MeasureError, match="engine must be one of duckdb, spark"):
        compute(Store(tmp_path), "opioid_ome", "icb", engine="ibis")
