"""``msknet prescribing``: import EPD files, compute measures, make test data."""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path
from typing import Any

import click

from . import engine, layouts, synth
from .errors import PrescribingError
from .importer import import_files
from .measures import measure_ids
from .practices import GP_PRACTICE, STATUSES, load_practices
from .store import Store, default_store_dir

STORE_HELP = "Store directory (default $MSKNET_DATA_DIR/prescribing, ./var/data/prescribing)."


def _store(path: Path | None) -> Store:
    return Store(path if path is not None else default_store_dir())


@click.group()
def prescribing() -> None:
    """The prescribing engine: NHSBSA EPD files to measures per 1,000 patients."""


@prescribing.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--list-sizes", "list_sizes", multiple=True,
              type=click.Path(path_type=Path, dir_okay=False),
              help="NHS Digital practice list-size file; repeat for each.")
@click.option("--dmd", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Flattened dm+d strength extract (CSV) to value opioids by.")
@click.option("--store", "store_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, help=STORE_HELP)
def import_command(
    paths: tuple[Path, ...],
    list_sizes: tuple[Path, ...],
    dmd: Path | None,
    store_dir: Path | None,
) -> None:
    """Import EPD files (CSV, .csv.gz or Parquet) and list-size files.

    Each month in the files replaces that month in the store; all files are
    imported or none (a malformed file is refused, naming its rows).

    Example:

    \b
        msknet prescribing import EPD_SNOMED_202401.csv.gz \\
            --list-sizes gp-reg-pat-prac-all-jan-24.csv
    """
    if not paths and not list_sizes:
        raise click.UsageError("give EPD files and/or --list-sizes files")
    store = _store(store_dir)
    total = len(paths) + len(list_sizes)
    with click.progressbar(length=total, label="Importing", file=sys.stderr,
                           show_pos=True) as bar:
        try:
            summary = import_files(store, list(paths), list(list_sizes), dmd=dmd,
                                   on_file=lambda _: bar.update(1))
        except PrescribingError as exc:
            raise click.ClickException(f"{exc}\nNothing was written.") from exc
    for line in summary.lines():
        click.echo(line, err=True)


@prescribing.command("practices")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--store", "store_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, help=STORE_HELP)
def practices_command(path: Path, store_dir: Path | None) -> None:
    """Load practice names and details from the NHS ODS practice file.

    PATH is epraccur.csv, or the epraccur.zip it comes in: headerless, 27
    fields a row. The whole file is checked first; a bad row is named with its
    field and nothing is written. The pages then name practices as well as
    giving their codes. Loading again replaces the practices loaded before.

    Example:

    \b
        msknet prescribing practices epraccur.zip
    """
    try:
        practices = load_practices(_store(store_dir), path)
    except PrescribingError as exc:
        raise click.ClickException(f"{exc}\nNothing was written.") from exc
    counts = {name: sum(p.status == code for p in practices)
              for code, name in STATUSES.items()}
    click.echo(f"practices loaded: {len(practices)}", err=True)
    click.echo(f"GP practices (prescribing setting {GP_PRACTICE}): "
               f"{sum(p.setting == GP_PRACTICE for p in practices)}", err=True)
    click.echo(", ".join(f"{name.lower()}: {n}" for name, n in counts.items()), err=True)


def _number(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, float):
        return round(value, 6)
    return value


@prescribing.command("measures")
@click.option("--measure", "measure_id", required=True, type=click.Choice(measure_ids()),
              help="Measure id (a file in measures/).")
@click.option("--level", default="practice", show_default=True,
              type=click.Choice(engine.LEVELS))
@click.option("--store", "store_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, help=STORE_HELP)
@click.option("--format", "fmt", default="csv", show_default=True,
              type=click.Choice(["csv", "json"]))
@click.option("--start", default=None, help="First month, YYYY-MM.")
@click.option("--end", default=None, help="Last month, YYYY-MM.")
@click.option("--engine", "engine_name", default="duckdb", show_default=True,
              type=click.Choice(engine.ENGINES),
              help="spark: the same SQL, transpiled, on a local Spark "
                   "(needs msknet[spark] and Java 17+).")
def measures_command(
    measure_id: str,
    level: str,
    store_dir: Path | None,
    fmt: str,
    start: str | None,
    end: str | None,
    engine_name: str,
) -> None:
    """Write a measure: one row per month and organisation.

    Columns month (YYYY-MM), org_code, numerator, denominator (registered
    patients) and value (per 1,000 patients for per-1,000 measures).
    DuckDB computes it unless --engine spark runs the same SQL on Spark.

    Example:

    \b
        msknet prescribing measures --measure opioid_ome --level icb --format json
        msknet prescribing measures --measure opioid_ome --level icb --engine spark
    """
    store = _store(store_dir)
    try:
        result = engine.compute(store, measure_id, level, start=start, end=end,
                                engine=engine_name)
    except PrescribingError as exc:
        raise click.ClickException(str(exc)) from exc
    for p in result.unvalued:
        click.echo(f"warning: {p.bnf_code} {p.description!r} not valued: {p.problem}",
                   err=True)
    rows = [{k: _number(v) for k, v in r.items()} for r in result.to_records()]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(engine.COLUMNS),
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


@prescribing.command("synth")
@click.option("--practices", default=200, show_default=True, type=click.IntRange(1))
@click.option("--months", default=3, show_default=True, type=click.IntRange(1))
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--start", default="2024-01", show_default=True, help="First month, YYYY-MM.")
@click.option("--rows-per-practice", default=150, show_default=True,
              type=click.IntRange(50), help="EPD rows per practice a month (real: ~2,700).")
@click.option("--layout", default=layouts.EPD_SNOMED, show_default=True,
              type=click.Choice([layouts.EPD, layouts.EPD_SNOMED, layouts.EPD_SNOMED_RENAMED]))
@click.option("--gzip", is_flag=True, help="Write .csv.gz files.")
def synth_command(
    practices: int,
    months: int,
    out: Path,
    seed: int,
    start: str,
    rows_per_practice: int,
    layout: str,
    gzip: bool,
) -> None:
    """Write synthetic EPD and list-size files in the published layouts.

    Example:

    \b
        msknet prescribing synth --practices 500 --months 3 --out var/synth --seed 7
    """
    files = synth.write_synthetic(out, practices=practices, months=months, seed=seed,
                                  start=start, rows_per_practice=rows_per_practice,
                                  layout=layout, gzip=gzip)
    for path in files:
        click.echo(str(path))
