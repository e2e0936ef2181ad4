"""Confidence intervals for proportions, counts, crude rates and means.

Wilson score limits for proportions, Byar's approximation and exact Poisson
(chi-square) limits for counts, Student's t for means: the methods of the
PHEindicatormethods R package (``wilson_lower``/``wilson_upper``,
``byars_lower``/``byars_upper``, ``phe_proportion``, ``phe_rate``,
``phe_mean``). See ``docs/methods/phe-proportion.md``, ``phe-rate.md`` and
``phe-mean.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import stats

from ._base import (
    ArrayLike,
    Confidence,
    FloatArray,
    Value,
    as_array,
    check_non_negative,
    check_positive,
    confidence_levels,
    confidence_out,
    shape_limits,
    shape_output,
    z_value,
)
from .results import Estimate

#: Below this many events rates use exact Poisson limits, from it Byar's.
EXACT_BELOW = 10


def _single_level(confidence: Confidence) -> float:
    levels = confidence_levels(confidence)
    if len(levels) != 1:
        raise ValueError("confidence must be a single level for this function")
    return levels[0]


# -- proportions -----------------------------------------------------------


def _wilson_arrays(
    x: FloatArray, n: FloatArray, level: float
) -> tuple[FloatArray, FloatArray]:
    if level == 1:
        return np.zeros(np.broadcast(x, n).shape), np.ones(np.broadcast(x, n).shape)
    z = z_value(level)
    spread = z * np.sqrt(z**2 + 4 * x * (1 - x / n))
    lower = (2 * x + z**2 - spread) / (2 * (n + z**2))
    upper = (2 * x + z**2 + spread) / (2 * (n + z**2))
    # The formula gives 0 and 1 here up to rounding; make them exact.
    lower = np.where(x == 0, 0.0, lower)
    upper = np.where(x == n, 1.0, upper)
    return lower, upper


def _check_proportion_inputs(x: FloatArray, n: FloatArray) -> None:
    check_non_negative(x, "x (numerator)")
    check_positive(n, "n (denominator)")
    if (x > n).any():
        raise ValueError("x (numerator) must be less than or equal to n (denominator)")


def wilson(
    x: ArrayLike, n: ArrayLike, confidence: Confidence = 0.95
) -> tuple[Value, Value]:
    """Wilson score confidence limits for ``x`` successes out of ``n``, 0-1 scale.

    >>> [round(v, 4) for v in wilson(65, 100)]
    [0.5525, 0.7364]
    """
    level = _single_level(confidence)
    xa, na = as_array(x, "x (numerator)"), as_array(n, "n (denominator)")
    _check_proportion_inputs(xa, na)
    lower, upper = _wilson_arrays(xa, na, level)
    scalar = xa.ndim == 0 and na.ndim == 0
    return shape_output(lower, scalar), shape_output(upper, scalar)


def proportion(
    x: ArrayLike, n: ArrayLike, confidence: Confidence = 0.95, multiplier: float = 1
) -> Estimate:
    """Proportion ``x / n * multiplier`` with Wilson score confidence limits.

    Unlike ``phe_proportion`` this takes the counts it is given: pass summed
    counts for one area, or arrays for one estimate per area.
    """
    levels = confidence_levels(confidence)
    xa, na = as_array(x, "x (numerator)"), as_array(n, "n (denominator)")
    _check_proportion_inputs(xa, na)
    _check_multiplier(multiplier)
    scalar = xa.ndim == 0 and na.ndim == 0
    value = xa / na * multiplier
    limits = [_wilson_arrays(xa, na, level) for level in levels]
    multi = len(levels) > 1
    return Estimate(
        value=shape_output(value, scalar),
        lower=shape_limits([lo * multiplier for lo, _ in limits], scalar, multi),
        upper=shape_limits([hi * multiplier for _, hi in limits], scalar, multi),
        method="Wilson",
        confidence=confidence_out(levels),
        statistic="percentage"
        if multiplier == 100
        else f"proportion of {multiplier:g}",
    )


def _check_multiplier(multiplier: float) -> None:
    if not np.isfinite(multiplier) or multiplier <= 0:
        raise ValueError("multiplier must be a positive number")


# -- counts and rates ------------------------------------------------------


def _byars_arrays(x: FloatArray, level: float) -> tuple[FloatArray, FloatArray]:
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    # Undefined (NaN) at x = 0 and for small counts at high confidence.
    lower = np.where((x > 0) & (lower >= 0), lower, np.nan)
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    return lower, upper


def _exact_arrays(x: FloatArray, level: float) -> tuple[FloatArray, FloatArray]:
    alpha = (1 - level) / 2
    safe_df = np.where(x > 0, 2 * x, 1.0)
    lower = np.where(x > 0, stats.chi2.ppf(alpha, safe_df) / 2, 0.0)
    upper = stats.chi2.ppf(level + alpha, 2 * x + 2) / 2
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def count_limits(x: FloatArray, level: float) -> tuple[FloatArray, FloatArray]:
    """Limits for counts: exact Poisson below 10 events, Byar's from 10."""
    exact_lo, exact_hi = _exact_arrays(x, level)
    byars_lo, byars_hi = _byars_arrays(x, level)
    small = x < EXACT_BELOW
    return np.where(small, exact_lo, byars_lo), np.where(small, exact_hi, byars_hi)


def count_method(x: FloatArray, scalar: bool) -> str:
    if scalar:
        return "Exact" if float(x) < EXACT_BELOW else "Byars"
    return "Exact (below 10 events), Byars (10 or more)"


def byars(x: ArrayLike, confidence: Confidence = 0.95) -> tuple[Value, Value]:
    """Byar's approximate confidence limits for an observed count ``x``.

    The lower limit is ``None`` (NaN for arrays) where it is undefined: at
    ``x = 0`` and wherever the approximation goes negative.
    """
    level = _single_level(confidence)
    xa = as_array(x, "x (count)")
    check_non_negative(xa, "x (count)")
    lower, upper = _byars_arrays(xa, level)
    scalar = xa.ndim == 0
    return shape_output(lower, scalar), shape_output(upper, scalar)


def rate(
    x: ArrayLike,
    n: ArrayLike,
    confidence: Confidence = 0.95,
    multiplier: float = 100000,
) -> Estimate:
    """Crude rate ``x / n * multiplier``: exact limits below 10 events, Byar's from 10."""
    levels = confidence_levels(confidence)
    xa, na = as_array(x, "x (events)"), as_array(n, "n (denominator)")
    check_non_negative(xa, "x (events)")
    check_positive(na, "n (denominator)")
    _check_multiplier(multiplier)
    scalar = xa.ndim == 0 and na.ndim == 0
    xb, nb = np.broadcast_arrays(xa, na)
    limits = [count_limits(xb, level) for level in levels]
    multi = len(levels) > 1
    return Estimate(
        value=shape_output(xb / nb * multiplier, scalar),
        lower=shape_limits([lo / nb * multiplier for lo, _ in limits], scalar, multi),
        upper=shape_limits([hi / nb * multiplier for _, hi in limits], scalar, multi),
        method=count_method(xb, scalar),
        confidence=confidence_out(levels),
        statistic=f"rate per {multiplier:g}",
    )


# -- means -----------------------------------------------------------------


def mean(
    values: Sequence[float] | npt.NDArray[np.floating] | npt.NDArray[np.integer],
    confidence: Confidence = 0.95,
) -> Estimate:
    """Mean of ``values`` with Student's t confidence limits.

    ``extras`` holds ``value_sum``, ``value_count`` and ``stdev`` (N - 1).
    """
    levels = confidence_levels(confidence)
    arr = as_array(values, "values")
    if arr.ndim != 1:
        raise ValueError("values must be a one-dimensional sequence")
    count = arr.size
    if count < 2:
        raise ValueError("values must hold at least two numbers")
    total = float(arr.sum())
    centre = total / count
    stdev = float(arr.std(ddof=1))
    half = [
        float(stats.t.ppf(level + (1 - level) / 2, count - 1)) * stdev / np.sqrt(count)
        for level in levels
    ]
    multi = len(levels) > 1
    lowers = tuple(centre - h for h in half)
    uppers = tuple(centre + h for h in half)
    return Estimate(
        value=centre,
        lower=lowers if multi else lowers[0],
        upper=uppers if multi else uppers[0],
        method="Student's t-distribution",
        confidence=confidence_out(levels),
        statistic="mean",
        extras={"value_sum": total, "value_count": float(count), "stdev": stdev},
    )
