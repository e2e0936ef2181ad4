"""What the landscape and surveys benchmarks share: timing a piece of work,
and running one child process per database and size (PostgreSQL migrated
once as a template and copied for each size; or a throwaway SQLite file),
then printing the sizes' figures side by side.

A benchmark script builds its data and lists its rows; `main(Bench(...), args)`
does the rest. Its arguments must include `--child`, `--migrate-only`,
`--repeat`, `--seed`, `--sizes`, `--databases` and its size flag.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
PG = {"host": HOST, "port": 5432, "user": "postgres", "dbname": "postgres"}
DATABASES = {"postgres": "PostgreSQL", "sqlite": "SQLite"}

Build = Callable[[int, int], dict[str, Any]]
MeasureAll = Callable[[dict[str, Any], int, dict[str, Any]], None]


@dataclass(frozen=True)
class Bench:
    name: str  # in scratch folder and database names
    unit: str  # what a size counts: "services", "responses"
    size_flag: str  # the script's option for one size: "--services"
    script: str  # the script's own path, run again as the child
    build: Build  # (size, seed) -> what measure_all needs, with "made" counts
    measure_all: MeasureAll  # (made, repeat, results): fills results["rows"]


def measure(work: Callable[[], Any], repeat: int, check: Callable[[Any], str] | None
            ) -> dict[str, Any]:
    """Median and fastest of `repeat` runs after a warm-up; queries (and the
    slowest) in one more run; peak Python memory in one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    outcome = work()  # warm-up, and the result to check
    figures: dict[str, Any] = {"note": check(outcome) if check else ""}
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    figures["median_ms"] = statistics.median(times) * 1000
    figures["min_ms"] = min(times) * 1000
    with CaptureQueriesContext(connection) as captured:
        work()
    queries = captured.captured_queries
    figures["queries"] = len(queries)
    if queries:
        slowest = max(queries, key=lambda q: float(q["time"]))
        figures["slowest_ms"] = float(slowest["time"]) * 1000
        figures["slowest_sql"] = slowest["sql"]
        figures["sql_ms"] = sum(float(q["time"]) for q in queries) * 1000
    tracemalloc.start()
    try:
        work()
        figures["peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return figures




def child(results_path: Path, args: argparse.Namespace, build: Build,
          measure_all: MeasureAll) -> int:
    """Migrate, build `args.sizes[0]` with `build` and measure with `measure_all`."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    results: dict[str, Any] = {"vendor": connection.vendor, "rows": {},
                               "migrate_s": time.perf_counter() - started}
    print(f"  migrated in {results['migrate_s']:.1f} s", flush=True)
    if args.migrate_only:  # the template the sizes' databases are copied from
        results_path.write_text(json.dumps(results))
        return 0
    started = time.perf_counter()
    made = build(args.sizes[0], args.seed)
    results["build_s"] = time.perf_counter() - started
    results["made"] = made["made"]
    print(f"  built in {results['build_s']:.1f} s: " + ", ".join(
        f"{value:,} {key.replace('_', ' ')}" for key, value in made["made"].items()),
        flush=True)
    measure_all(made, args.repeat, results)
    results_path.write_text(json.dumps(results))
    return 0


# -- in the parent: a child per database and size, then the tables ---------------


def create_database(name: str, template: str = "") -> None:
    import psycopg

    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(**PG, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(**PG, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_child(bench: Bench, database: str, size: int, args: argparse.Namespace,
              scratch: Path, name: str, migrate_only: bool = False) -> dict:
    results_path = scratch / f"{database}-{size}-{migrate_only}.json"
    static = scratch / "static"
    (static / "nhsuk" / "assets").mkdir(parents=True, exist_ok=True)
    if database == "postgres":
        url = f"postgres://postgres@{HOST}:5432/{name}"
    else:
        url = f"sqlite:///{scratch / f'bench-{size}.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msknet.config.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "testserver",  # the test client's host
        "MSKNET_PLAIN_STATIC": "true",  # no collectstatic manifest needed
        "MSKNET_REQUIRE_2FA": "false",  # the lead signs in without a code
        "STATIC_ROOT": str(static),
        "EMAIL_URL": "locmem:",
        "MSKNET_VAR_DIR": str(scratch / f"var-{database}-{size}"),
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, bench.script, "--child", str(results_path),
               bench.size_flag, str(size), "--repeat", str(args.repeat),
               "--seed", str(args.seed), *(["--migrate-only"] if migrate_only else [])]
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env)
    try:
        returncode = process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait()
    if returncode:
        raise RuntimeError(f"The {DATABASES[database]} run at {size:,} {bench.unit} "
                           f"failed (exit {returncode})")
    return json.loads(results_path.read_text())


def load_average() -> str:
    path = Path("/proc/loadavg")
    return " ".join(path.read_text().split()[:3]) if path.exists() else "?"


def print_tables(bench: Bench, results: dict[tuple[str, int], dict],
                 args: argparse.Namespace, load: str) -> None:
    print(f"\n{date.today()}, {os.cpu_count()} cores, load average {load}; "
          f"median and fastest of {args.repeat} runs after a warm-up\n")
    for (database, size), result in results.items():
        print(f"{DATABASES[database]}, {size:,} {bench.unit}: migrate "
              f"{result['migrate_s']:.1f} s, build {result['build_s']:.1f} s; "
              + ", ".join(f"{value:,} {key.replace('_', ' ')}"
                          for key, value in result["made"].items()))
    for database in args.databases:
        columns = [(database, size) for size in args.sizes]
        header = f"\n{DATABASES[database]:<40}"
        for _, size in columns:
            header += (f" | {size:>6,} median {'fastest':>8} {'queries':>7} "
                       f"{'SQL ms':>7} {'peak MiB':>8}")
        header += "  what (largest)"
        print(header)
        print("-" * len(header))
        for label in results[columns[0]]["rows"]:
            line = f"{label:<40}"
            for column in columns:
                row = results[column]["rows"][label]
                line += (f" | {row['median_ms']:>10,.1f} ms {row['min_ms']:>8,.1f} "
                         f"{row['queries']:>7} {row.get('sql_ms', 0):>7,.1f} "
                         f"{row['peak_mib']:>8.1f}")
            print(line + f"  {results[columns[-1]]['rows'][label]['note']}")
        largest = columns[-1]
        print(f"\nThe slowest query of each row, {DATABASES[database]}, "
              f"{largest[1]:,} {bench.unit}:")
        for label, row in results[largest]["rows"].items():
            if row.get("slowest_sql"):
                sql = re.sub(r"^SELECT .*? FROM ", "SELECT ... FROM ", row["slowest_sql"])
                print(f"- {label}: {row['slowest_ms']:,.1f} ms: {sql[:300]}")
    print("\nSQL ms: the time of the run's queries as Django saw them, in the run "
          "under CaptureQueriesContext.")


def stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(f"Stopped by signal {signum}")


def main(bench: Bench, args: argparse.Namespace) -> int:
    """The child's work when `args.child` names its results file; otherwise a
    child per database and size, then the tables side by side."""
    if args.child:
        return child(Path(args.child), args, bench.build, bench.measure_all)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    load = load_average()
    scratch = Path(tempfile.mkdtemp(prefix=f"msknet-bench-{bench.name}-"))
    results: dict[tuple[str, int], dict] = {}
    try:
        for database in args.databases:
            template = f"msknet_bench_{bench.name}_{os.getpid()}"
            if database == "postgres":  # migrate once, copy for each size
                print("PostgreSQL, the migrated template:", flush=True)
                create_database(template)
                migrated = run_child(bench, database, 0, args, scratch, template, True)
            try:
                for size in args.sizes:
                    print(f"{DATABASES[database]}, {size:,} {bench.unit}:", flush=True)
                    name = f"{template}_{size}"
                    if database == "postgres":
                        create_database(name, template)
                        try:
                            results[(database, size)] = run_child(
                                bench, database, size, args, scratch, name)
                        finally:
                            drop_database(name)
                        results[(database, size)]["migrate_s"] = migrated["migrate_s"]
                    else:
                        results[(database, size)] = run_child(bench, database, size,
                                                              args, scratch, name)
            finally:
                if database == "postgres":
                    drop_database(template)
        print_tables(bench, results, args, f"{load} before, {load_average()} after")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


