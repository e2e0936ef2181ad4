"""Prescribing measures on DuckDB and on a local Spark, same store, same SQL.

Writes a synthetic store (``--practices`` practices, ``--months`` months),
then times every measure at every level on DuckDB (``compute``, one call per
measure and level, as the web pages make them) and on Spark
(``spark.compute_measures`` in one local session, ``local[--cores]``),
reporting Spark's start-up apart, and checks that the numbers are equal.
Each figure comes with its CPU time (the JVM's, read from /proc, for Spark)
and the load average: on a shared machine, wall times follow the load and
CPU times much less. Needs pyspark and Java 17+ (both come with the dev setup).

Usage::

    .venv/bin/python benchmarks/prescribing/engines_bench.py
    .venv/bin/python benchmarks/prescribing/engines_bench.py --practices 2000 --cores 2
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from msknet.analytics.prescribing import (
    LEVELS,
    Store,
    compute,
    import_files,
    measure_ids,
    synth,
)


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=500)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--cores", type=int, default=1)
    args = parser.parse_args()
    try:
        from msknet.analytics.prescribing import spark
    except ImportError as exc:  # pragma: no cover - only without the dev setup
        raise SystemExit(f"needs pyspark: {exc}") from exc

    with tempfile.TemporaryDirectory(prefix="msknet-engines-") as tmp:
        files = synth.write_synthetic(Path(tmp) / "synth", practices=args.practices,
                                      months=args.months, seed=5)
        store = Store(Path(tmp) / "store")
        import_files(store, [p for p in files if p.name.startswith("EPD")],
                     [p for p in files if p.name.startswith("gp-reg")])
        pairs = len(measure_ids()) * len(LEVELS)
        print(f"store: {args.practices} practices x {args.months} months; "
              f"{len(measure_ids())} measures x {len(LEVELS)} levels = {pairs}")

        started, cpu = time.perf_counter(), time.process_time()
        duck = {m: {lv: compute(store, m, lv) for lv in LEVELS} for m in measure_ids()}
        print(f"duckdb: {time.perf_counter() - started:.2f} s, "
              f"CPU {time.process_time() - cpu:.1f} s ({load()})")

        started = time.perf_counter()
        with spark.local_session(cores=args.cores) as session:
            jvm = session._jvm.java.lang.ProcessHandle.current().pid()
            jvm_cpu = cpu_seconds(jvm)
            print(f"spark start-up: {time.perf_counter() - started:.2f} s, "
                  f"JVM CPU {jvm_cpu:.1f} s ({load()})")
            started, cpu = time.perf_counter(), time.process_time()
            other = spark.compute_measures(store, measure_ids(), session=session)
            print(f"spark local[{args.cores}]: {time.perf_counter() - started:.2f} s, "
                  f"JVM CPU {cpu_seconds(jvm) - jvm_cpu:.1f} s + Python CPU "
                  f"{time.process_time() - cpu:.1f} s ({load()})")

        same = all(
            duck[m][lv].to_records() == other[m][lv].to_records()
            for m in measure_ids() for lv in LEVELS
        )
        print(f"identical numbers: {same}")
        if not same:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
