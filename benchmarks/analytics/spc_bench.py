"""Benchmark: XmR charts for every practice's monthly measure.

Times, on one synthetic data set of 6,500 series x 60 monthly points:

1. ``spc.xmr_many`` (vectorised, all series at once);
2. a plain Python loop calling ``spc.xmr`` once per series;
3. ``controlchartspy`` (PyPI; a Python port of the PowerBI-SPC visual), one
   call per series, if it is installed. It is much slower, so by default it is
   timed on a sample of series and the full-run time is *extrapolated* (and
   labelled so); pass ``--full`` to time it on every series.

Run:

    .venv/bin/python benchmarks/analytics/spc_bench.py [--series 6500] [--points 60]

Install the comparison package for the third column (benchmark only):

    uv pip install --python .venv/bin/python controlchartspy
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import platform
import time
import warnings
from collections.abc import Callable

import numpy as np

from msknet.analytics import spc


def make_data(
    n_series: int, n_points: int, seed: int = 2024
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Long-format ids, monthly dates and values, with a few gaps and shifts."""
    rng = np.random.default_rng(seed)
    level = rng.uniform(20, 80, n_series)[:, None]
    noise = rng.normal(0, 5, (n_series, n_points))
    shift = np.where(np.arange(n_points) >= n_points * 2 // 3, 8.0, 0.0)
    has_shift = rng.random(n_series)[:, None] < 0.2
    values = np.round(level + noise + shift * has_shift, 1)
    values[rng.random(values.shape) < 0.01] = np.nan  # about 1 % missing
    ids = np.repeat(np.array([f"P{i:05d}" for i in range(n_series)]), n_points)
    months = np.datetime64("2020-01", "M") + np.arange(n_points)
    dates = np.tile(months, n_series)
    return ids, dates, values.reshape(-1)


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    """The fastest of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=6500)
    parser.add_argument("--points", type=int, default=60)
    parser.add_argument(
        "--sample", type=int, default=200, help="controlchartspy sample"
    )
    parser.add_argument(
        "--full", action="store_true", help="time controlchartspy on all"
    )
    args = parser.parse_args()

    ids, dates, values = make_data(args.series, args.points)
    n, p = args.series, args.points
    print(f"XmR charts: {n:,} series x {p} points ({n * p:,} rows)")
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{platform.machine()}, {platform.system()}"
    )

    many_s = best_of(3, lambda: spc.xmr_many(ids, dates, values))
    result = spc.xmr_many(ids, dates, values)

    by_series = values.reshape(n, p)
    month_dates = [d.item() for d in dates[:p]]

    def loop() -> None:
        for i in range(n):
            spc.xmr(by_series[i], month_dates)

    loop_s = best_of(1, loop)

    # Same charts either way (checked on a sample of series).
    for i in range(0, n, max(1, n // 50)):
        sid = result.series_ids[i]
        assert result.chart(sid) == spc.xmr(by_series[i], month_dates)

    rows: list[tuple[str, float, str]] = [
        ("spc.xmr_many (vectorised)", many_s, "measured"),
        ("loop over spc.xmr", loop_s, "measured"),
    ]

    try:
        import controlchartspy
    except ImportError:
        print(
            "controlchartspy is not installed: skipping its column "
            "(uv pip install --python .venv/bin/python controlchartspy)"
        )
    else:
        k = n if args.full else min(args.sample, n)
        keys = [dt.date(d.year, d.month, 1) for d in month_dates]

        def other() -> None:
            # It warns about every missing value it drops; we know.
            warnings.simplefilter("ignore", UserWarning)
            for i in range(k):
                controlchartspy.spc(
                    {"k": keys, "v": by_series[i].tolist()},
                    "k",
                    "v",
                    spc_settings={"chart_type": "i"},
                    return_objs="limits",
                )

        other_s = best_of(1, other)
        version = importlib.metadata.version("controlchartspy")
        if k == n:
            rows.append((f"controlchartspy {version} loop", other_s, "measured"))
        else:
            rows.append(
                (
                    f"controlchartspy {version} loop",
                    other_s * n / k,
                    f"extrapolated from {k} series ({other_s:.2f} s)",
                )
            )

    print()
    print(f"{'method':<34}{'seconds':>10}{'per series':>14}{'x slower':>10}  note")
    for name, seconds, note in rows:
        print(
            f"{name:<34}{seconds:>10.3f}{seconds / n * 1e6:>11.0f} µs"
            f"{seconds / many_s:>10.0f}  {note}"
        )


if __name__ == "__main__":
    main()
