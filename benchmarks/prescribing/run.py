"""Prescribing engine benchmark: end-to-end import + OME measure vs the floor.

For 1 and 3 months of synthetic EPD (real layout, --rows-per-month rows each)
it runs, each in its own subprocess so peak RSS is that variant's alone:

* ``scan``   DuckDB's bare scan of the same CSV files (the floor): parse every
             row, sum TOTAL_QUANTITY, count BNF codes.
* ``engine`` msknet: import into a fresh store (staging, exclusions, atomic
             swap) then the opioid_ome measure at all five levels.
* ``pandas`` a straightforward chunked pandas OME (read_csv chunks, filter,
             per-presentation OME from ome.py, group by practice and month).

Usage::

    .venv/bin/python benchmarks/prescribing/run.py                     # 2M rows/month
    .venv/bin/python benchmarks/prescribing/run.py --rows-per-month 18500000  # national
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS_PER_PRACTICE = 2700  # ~18.5M rows / ~6,800 practices


def peak_mb() -> float:
    """This process's peak RSS: VmHWM (reset at exec, unlike ru_maxrss, which
    a child inherits from the parent that forked it)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_scan(epd: list[str], sizes: list[str], work: Path) -> dict[str, float]:
    import duckdb

    con = duckdb.connect(config={"memory_limit": "1GB", "temp_directory": str(work)})
    rows = 0
    for path in epd:
        rows += con.sql(
            "SELECT COUNT(*), SUM(TRY_CAST(TOTAL_QUANTITY AS DOUBLE)), "
            "COUNT(DISTINCT BNF_CODE) FROM read_csv($p, header = true, all_varchar = true)",
            params={"p": path},
        ).fetchall()[0][0]
    return {"rows": rows}


def run_engine(epd: list[str], sizes: list[str], work: Path) -> dict[str, float]:
    from msknet.analytics.prescribing import Store, import_files
    from msknet.analytics.prescribing.engine import LEVELS, aggregate, practice_values
    from msknet.analytics.prescribing.measures import load_measure

    store = Store(work / "store")
    t0 = time.perf_counter()
    summary = import_files(store, epd, sizes)
    t1 = time.perf_counter()
    measure = load_measure("opioid_ome")
    table, _ = practice_values(store, measure)
    out = 0
    for level in LEVELS:
        out += aggregate(table, measure, level).num_rows
    t2 = time.perf_counter()
    return {"rows": summary.rows_read, "import_s": t1 - t0, "measure_s": t2 - t1,
            "output_rows": out}


def run_pandas(epd: list[str], sizes: list[str], work: Path) -> dict[str, float]:
    import pandas as pd

    from msknet.analytics.prescribing import ome
    from msknet.analytics.prescribing.measures import load_measure

    measure = load_measure("opioid_ome")
    cache: dict[str, float] = {}
    parts = []
    rows = 0
    cols = ["YEAR_MONTH", "PRACTICE_CODE", "BNF_CODE", "BNF_DESCRIPTION",
            "TOTAL_QUANTITY", "UNIDENTIFIED"]
    for path in epd:
        for chunk in pd.read_csv(path, usecols=cols, dtype=str, chunksize=500_000):
            rows += len(chunk)
            chunk = chunk[(chunk.UNIDENTIFIED != "Y")
                          & chunk.PRACTICE_CODE.str.fullmatch(r"[A-Z][0-9]{5}")
                          & ~chunk.PRACTICE_CODE.str.endswith("998")]
            chunk = chunk[chunk.BNF_CODE.map(measure.includes)]
            for code, text in zip(chunk.BNF_CODE, chunk.BNF_DESCRIPTION, strict=True):
                if code not in cache:
                    cache[code] = ome.presentation_strength(code, text).ome_mg_per_unit or 0.0
            chunk = chunk.assign(
                ome=chunk.TOTAL_QUANTITY.astype(float) * chunk.BNF_CODE.map(cache))
            parts.append(chunk.groupby(["YEAR_MONTH", "PRACTICE_CODE"])["ome"].sum())
    numer = pd.concat(parts).groupby(level=[0, 1]).sum().rename("numerator").reset_index()
    lists = pd.concat(pd.read_csv(p, dtype=str) for p in sizes)
    lists = lists[(lists.SEX == "ALL") & (lists.AGE_GROUP_5 == "ALL")]
    lists["YEAR_MONTH"] = pd.to_datetime(lists.EXTRACT_DATE, format="%d%b%Y").dt.strftime("%Y%m")
    lists["NUMBER_OF_PATIENTS"] = lists.NUMBER_OF_PATIENTS.astype(float)
    merged = numer.merge(lists, left_on=["YEAR_MONTH", "PRACTICE_CODE"],
                         right_on=["YEAR_MONTH", "ORG_CODE"])
    merged["value"] = 1000 * merged.numerator / merged.NUMBER_OF_PATIENTS
    return {"rows": rows, "output_rows": len(merged)}


VARIANTS = {"scan": run_scan, "engine": run_engine, "pandas": run_pandas}


def child(variant: str, spec: str) -> None:
    args = json.loads(spec)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        start = time.perf_counter()
        extra = VARIANTS[variant](args["epd"], args["sizes"], work)
        elapsed = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb(), **extra}))


def measure(variant: str, epd: list[str], sizes: list[str]) -> dict[str, float]:
    spec = json.dumps({"epd": epd, "sizes": sizes})
    out = subprocess.run([sys.executable, __file__, "--child", variant, spec],
                         capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows-per-month", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    from msknet.analytics.prescribing.synth import write_synthetic

    data = Path(tempfile.mkdtemp(prefix="bench-data-"))
    try:
        practices = max(1, args.rows_per_month // ROWS_PER_PRACTICE)
        t = time.perf_counter()
        files = write_synthetic(data, practices=practices, months=3, seed=args.seed,
                                rows_per_practice=ROWS_PER_PRACTICE)
        epd = [str(f) for f in files if f.name.startswith("EPD")]
        sizes = [str(f) for f in files if f.name.startswith("gp-reg")]
        mb = sum(Path(f).stat().st_size for f in epd) / 3 / 1e6
        print(f"synthetic data: {practices} practices, 3 months, {mb:.0f} MB CSV a month "
              f"({time.perf_counter() - t:.1f} s to write)")
        results: dict[tuple[str, int], dict[str, float]] = {}
        variants = [v for v in VARIANTS if not (args.skip_pandas and v == "pandas")]
        for months in (1, 3):
            for variant in variants:
                r = measure(variant, epd[:months], sizes[:months])
                results[(variant, months)] = r
                extra = ""
                if variant == "engine":
                    extra = f" (import {r['import_s']:.2f} s, measure {r['measure_s']:.2f} s)"
                print(f"{months} month(s) {variant:<7} rows {int(r['rows']):>11,}  "
                      f"{r['seconds']:8.2f} s  peak {r['peak_mb']:7.0f} MB{extra}",
                      flush=True)
        print()
        for months in (1, 3):
            floor = results[("scan", months)]["seconds"]
            for variant in variants:
                r = results[(variant, months)]
                print(f"{months} month(s) {variant:<7} x floor {r['seconds'] / floor:5.2f}")
        for variant in variants:
            one, three = results[(variant, 1)], results[(variant, 3)]
            print(f"growth 1->3 months {variant:<7} time x{three['seconds'] / one['seconds']:.2f}"
                  f"  peak memory x{three['peak_mb'] / one['peak_mb']:.2f}")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
