"""Slope index of inequality (SII) and relative index of inequality (RII).

As PHEindicatormethods' ``phe_sii`` (Low & Low 2004): a population-weighted
regression of the indicator on the cumulative-population midpoint of each
quantile, with confidence limits from a Monte Carlo simulation. See
``docs/methods/phe-sii.md`` for the decisions on the package's quirks.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from ._base import (
    ArrayLike,
    Confidence,
    FloatArray,
    as_array,
    confidence_levels,
    z_value,
)
from .results import SIIResult

#: Standard errors derived from ``lower``/``upper`` assume 95% limits, always.
INPUT_LIMITS_LEVEL = 0.95
MIN_REPETITIONS = 1000
_CHUNK = 20000


def _logit(v: FloatArray) -> FloatArray:
    return np.asarray(np.log(v / (1 - v)), dtype=np.float64)


def _expit(v: FloatArray) -> FloatArray:
    return np.asarray(1 / (1 + np.exp(-v)), dtype=np.float64)


def _exp(v: FloatArray) -> FloatArray:
    return np.asarray(np.exp(v), dtype=np.float64)


def _identity(v: FloatArray) -> FloatArray:
    return v


def _link(
    value_type: int,
) -> tuple[Callable[[FloatArray], FloatArray], Callable[[FloatArray], FloatArray]]:
    if value_type == 1:
        return (lambda v: np.asarray(np.log(v), dtype=np.float64)), _exp
    if value_type == 2:
        return _logit, _expit
    return _identity, _identity


def _optional(values: ArrayLike | None, name: str, size: int) -> FloatArray | None:
    if values is None:
        return None
    arr = as_array(values, name)
    if arr.shape != (size,):
        raise ValueError(f"{name} must have one value per quantile ({size})")
    return arr


def _check_domain(arr: FloatArray, name: str, value_type: int) -> None:
    if value_type == 1 and (arr <= 0).any():
        raise ValueError(f"{name} must be greater than zero for rates (value_type=1)")
    if value_type == 2 and ((arr <= 0) | (arr >= 1)).any():
        raise ValueError(
            f"{name} must be strictly between 0 and 1 for proportions (value_type=2)"
        )


def sii(
    quantile: Sequence[float]
    | Sequence[int]
    | npt.NDArray[np.floating]
    | npt.NDArray[np.integer],
    population: ArrayLike,
    value: ArrayLike | None = None,
    *,
    x: ArrayLike | None = None,
    lower: ArrayLike | None = None,
    upper: ArrayLike | None = None,
    se: ArrayLike | None = None,
    value_type: int = 0,
    transform: bool = False,
    multiplier: float = 1,
    confidence: Confidence = 0.95,
    repetitions: int = 100000,
    seed: int | np.random.Generator | None = None,
) -> SIIResult:
    """Slope and relative index of inequality for one area.

    ``quantile`` ranks the groups (1 = most deprived, sorted numerically);
    ``population`` is each group's size. Give ``value`` (or, for proportions,
    ``x`` counts) and either ``se`` or the 95% limits ``lower``/``upper``.
    ``value_type``: 0 normal, 1 rate, 2 proportion (0-1 scale). ``se`` is
    taken as given, so for rates and proportions it must be on the log / logit
    scale. ``transform=True`` runs the regression on the log / logit scale.
    The limits are simulated: pass ``seed`` for reproducible output.
    """
    if value_type not in (0, 1, 2):
        raise ValueError("value_type must be 0 (normal), 1 (rate) or 2 (proportion)")
    if transform and value_type == 0:
        raise ValueError("transform=True needs value_type 1 (rate) or 2 (proportion)")
    levels = confidence_levels(confidence)
    if isinstance(repetitions, bool) or not isinstance(repetitions, int | np.integer):
        raise ValueError("repetitions must be a whole number")  # noqa: TRY004
    if repetitions < MIN_REPETITIONS:
        raise ValueError(f"repetitions must be {MIN_REPETITIONS} or more")
    if not np.isfinite(multiplier) or multiplier == 0:
        raise ValueError("multiplier must be a non-zero number")

    q = as_array(quantile, "quantile")
    if q.ndim != 1:
        raise ValueError("quantile must be a one-dimensional sequence")
    k = q.size
    if len(np.unique(q)) != k:
        raise ValueError("quantile values must be distinct (one row per quantile)")
    if not 5 <= k <= 100:
        raise ValueError("quantile must hold between 5 and 100 quantiles")
    if k > 10:
        warnings.warn(
            "small values can make the SII unstable when using more than 10 quantiles",
            UserWarning,
            stacklevel=2,
        )
    pop = _optional(population, "population", k)
    assert pop is not None
    if (pop <= 0).any():
        raise ValueError("population must all be greater than zero")

    if value is not None:
        v = _optional(value, "value", k)
    elif x is not None and value_type == 2:
        counts = _optional(x, "x", k)
        assert counts is not None
        if (counts <= 0).any():
            raise ValueError("x must all be greater than zero")
        if (counts > pop).any():
            raise ValueError("x must be less than or equal to population")
        v = counts / pop
    else:
        raise ValueError("sii needs value, or x with value_type=2 (proportion)")
    assert v is not None
    _check_domain(v, "value", value_type)

    forward, inverse = _link(value_type)
    v_t = forward(v)
    se_arr = _optional(se, "se", k)
    if se_arr is not None:
        if (se_arr < 0).any():
            raise ValueError("se must all be greater than or equal to zero")
    else:
        lo = _optional(lower, "lower", k)
        hi = _optional(upper, "upper", k)
        if lo is None or hi is None:
            raise ValueError("sii needs se, or both lower and upper (95% limits)")
        _check_domain(lo, "lower", value_type)
        _check_domain(hi, "upper", value_type)
        if (hi < lo).any():
            raise ValueError("upper must be greater than or equal to lower")
        se_arr = (forward(hi) - forward(lo)) / (2 * z_value(INPUT_LIMITS_LEVEL))

    order = np.argsort(q, kind="stable")
    pop, v, v_t, se_arr = pop[order], v[order], v_t[order], se_arr[order]
    a = pop / pop.sum()
    b = np.cumsum(a) - a / 2
    design = np.column_stack([np.sqrt(a), b * np.sqrt(a)])
    # coefficients = solve(X'X) X' (sqrt(a) * y): weighted least squares of y on b
    projector = np.linalg.solve(design.T @ design, design.T) * np.sqrt(a)

    def fit(y: FloatArray) -> tuple[FloatArray, FloatArray]:
        coef = y @ projector.T
        return coef[..., 0], coef[..., 1]

    y_point = v_t if transform else v
    intercept_t, slope_t = (float(c) for c in fit(y_point))
    negative = multiplier < 0
    if transform:
        top, bottom = (
            float(inverse(np.asarray(intercept_t + slope_t))),
            float(inverse(np.asarray(intercept_t))),
        )
        sii_value = (top - bottom) * multiplier
        rii_value = top / bottom
        intercept_value = bottom * abs(multiplier)
    else:
        sii_value = slope_t * multiplier
        rii_value = (intercept_t + slope_t) / intercept_t
        intercept_value = intercept_t
    if negative:
        rii_value = 1 / rii_value

    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    slopes = np.empty(repetitions)
    intercepts = np.empty(repetitions)
    for start in range(0, repetitions, _CHUNK):
        size = min(_CHUNK, repetitions - start)
        draws = rng.normal(v_t, se_arr, size=(size, k))
        if not transform:
            draws = inverse(draws)
        ints, slps = fit(draws)
        slopes[start : start + size] = slps
        intercepts[start : start + size] = ints

    def position(p: float) -> int:
        # PHEindicatormethods takes the sorted draw at 1-based round(R * p)
        return min(max(round(repetitions * p), 1), repetitions) - 1

    sii_lo: list[float] = []
    sii_hi: list[float] = []
    rii_lo: list[float] = []
    rii_hi: list[float] = []
    if transform:
        s_sorted = np.sort(slopes)
        mid = intercept_t + slope_t / 2
        for level in levels:
            alpha = (1 - level) / 2
            s_lo = float(s_sorted[position(alpha)])
            s_hi = float(s_sorted[position(1 - alpha)])
            pairs = []
            for s in (s_lo, s_hi):
                up = float(inverse(np.asarray(mid + s / 2)))
                down = float(inverse(np.asarray(mid - s / 2)))
                pairs.append((up, down))
            (up_lo, down_lo), (up_hi, down_hi) = pairs
            if negative:
                sii_lo.append((up_hi - down_hi) * multiplier)
                sii_hi.append((up_lo - down_lo) * multiplier)
                rii_lo.append(down_hi / up_hi)
                rii_hi.append(down_lo / up_lo)
            else:
                sii_lo.append((up_lo - down_lo) * multiplier)
                sii_hi.append((up_hi - down_hi) * multiplier)
                rii_lo.append(up_lo / down_lo)
                rii_hi.append(up_hi / down_hi)
    else:
        sii_sorted = np.sort(slopes * multiplier)
        with np.errstate(divide="ignore", invalid="ignore"):
            riis = (intercepts + slopes) / intercepts
            if negative:
                riis = 1 / riis
        rii_sorted = np.sort(riis)
        for level in levels:
            alpha = (1 - level) / 2
            lo_i, hi_i = position(alpha), position(1 - alpha)
            sii_lo.append(float(sii_sorted[lo_i]))
            sii_hi.append(float(sii_sorted[hi_i]))
            rii_lo.append(float(rii_sorted[lo_i]))
            rii_hi.append(float(rii_sorted[hi_i]))

    multi = len(levels) > 1

    def pick(values: list[float]) -> float | tuple[float, ...]:
        return tuple(values) if multi else values[0]

    return SIIResult(
        sii=sii_value,
        rii=rii_value,
        intercept=intercept_value,
        sii_lower=pick(sii_lo),
        sii_upper=pick(sii_hi),
        rii_lower=pick(rii_lo),
        rii_upper=pick(rii_hi),
        confidence=levels if multi else levels[0],
        value_type=value_type,
        transform=transform,
        multiplier=float(multiplier),
        repetitions=repetitions,
        method=f"simulation {repetitions} reps",
    )
