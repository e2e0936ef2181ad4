"""Funnel significance for 6,500 GP practices: vectorised vs a per-practice loop.

Run: .venv/bin/python benchmarks/analytics/phe_bench.py

Prints wall-clock times (best of several runs) for phe.funnel_significance
over all practices at once and for a plain Python loop calling the scalar
functions once per practice, checks both give the same labels, and prints the
ratio. Synthetic data with a fixed seed; no network, no database.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable

import numpy as np

from msknet.analytics import phe

PRACTICES = 6500


def best_of(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def classify(lower: tuple[float, float], upper: tuple[float, float], ref: float) -> str:
    (lo95, lo998), (hi95, hi998) = lower, upper
    if lo998 > ref:
        return phe.HIGH_0001
    if lo95 > ref:
        return phe.HIGH_0025
    if hi998 < ref:
        return phe.LOW_0001
    if hi95 < ref:
        return phe.LOW_0025
    return phe.NOT_SIGNIFICANT


def main() -> None:
    rng = np.random.default_rng(2025)
    list_size = rng.integers(1500, 20000, size=PRACTICES)
    # Proportion: e.g. patients with an MSK condition who had a review.
    reviewed = rng.binomial(list_size, rng.uniform(0.55, 0.75, size=PRACTICES))
    # Ratio: observed vs expected emergency admissions.
    expected = list_size * 0.004
    observed = rng.poisson(expected * rng.uniform(0.7, 1.3, size=PRACTICES))

    def proportion_vectorised() -> list[str]:
        return phe.funnel_significance(reviewed, list_size, statistic="proportion")

    def proportion_loop() -> list[str]:
        average = float(reviewed.sum() / list_size.sum())
        labels = []
        for x, n in zip(reviewed.tolist(), list_size.tolist(), strict=True):
            limits = phe.proportion_funnel_limits(n, average)
            p = x / n
            if p < limits.lower_3s[0]:
                labels.append(phe.LOW_0001)
            elif p < limits.lower_2s[0]:
                labels.append(phe.LOW_0025)
            elif p > limits.upper_3s[0]:
                labels.append(phe.HIGH_0001)
            elif p > limits.upper_2s[0]:
                labels.append(phe.HIGH_0025)
            else:
                labels.append(phe.NOT_SIGNIFICANT)
        return labels

    def ratio_vectorised() -> list[str]:
        return phe.funnel_significance(observed, expected, statistic="ratio")

    def ratio_loop() -> list[str]:
        labels = []
        for o, e in zip(observed.tolist(), expected.tolist(), strict=True):
            est = phe.rate(o, e, confidence=(0.95, 0.998), multiplier=1)
            labels.append(classify(est.lower, est.upper, 1.0))  # type: ignore[arg-type]
        return labels

    print(f"phe funnel significance, {PRACTICES} practices")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}"
    )
    print(
        f"{'statistic':<12}{'vectorised (ms)':>17}{'loop (ms)':>12}{'loop / vectorised':>20}"
    )
    for name, vectorised, loop in [
        ("proportion", proportion_vectorised, proportion_loop),
        ("ratio", ratio_vectorised, ratio_loop),
    ]:
        assert vectorised() == loop(), f"{name}: vectorised and loop labels differ"
        fast = best_of(vectorised, repeat=20)
        slow = best_of(loop, repeat=3)
        print(
            f"{name:<12}{fast * 1000:>17.2f}{slow * 1000:>12.1f}{slow / fast:>19.0f}x"
        )


if __name__ == "__main__":
    main()
