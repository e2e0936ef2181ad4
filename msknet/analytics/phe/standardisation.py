"""Direct and indirect age standardisation.

``dsr``: directly standardised rate, Dobson et al. (1991) limits, as
PHEindicatormethods' ``calculate_dsr``. ``isratio`` / ``israte``: indirectly
standardised ratio and rate, as ``calculate_ISRatio`` / ``calculate_ISRate``.
See ``docs/methods/phe-dsr.md`` and ``phe-indirect-standardisation.md``.
"""

from __future__ import annotations

import numpy as np

from ._base import (
    ArrayLike,
    Confidence,
    FloatArray,
    as_array,
    check_non_negative,
    check_positive,
    confidence_levels,
    confidence_out,
)
from .intervals import _byars_arrays, _check_multiplier, count_limits, count_method
from .results import Estimate

#: European Standard Population 2013, 19 age bands 0-4, 5-9, ..., 85-89, 90+.
ESP2013: tuple[int, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip

#: DSRs are not published below this many events.
DSR_MIN_EVENTS = 10


def _bands(values: ArrayLike, name: str, *, allow_missing: bool = False) -> FloatArray:
    if allow_missing:
        try:
            arr = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be numeric") from exc
        arr = np.where(np.isnan(arr), 0.0, arr)
    else:
        arr = as_array(values, name)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty one-dimensional sequence")
    return arr


def _same_length(**arrays: FloatArray) -> None:
    sizes = {name: a.size for name, a in arrays.items()}
    if len(set(sizes.values())) != 1:
        described = ", ".join(f"{k}={v}" for k, v in sizes.items())
        raise ValueError(f"age-band inputs must have the same length ({described})")


def _limit(
    values: list[float | None], multi: bool
) -> float | None | tuple[float | None, ...]:
    return tuple(values) if multi else values[0]


def dsr(
    x: ArrayLike,
    n: ArrayLike,
    stdpop: ArrayLike,
    confidence: Confidence = 0.95,
    multiplier: float = 100000,
) -> Estimate:
    """Directly standardised rate over age bands, with Dobson limits.

    ``x``, ``n`` and ``stdpop`` hold one value per age band (missing ``x`` counts
    as 0). Below 10 events in total the value and limits are ``None`` and
    ``statistic`` says so, as Fingertips suppresses them.
    ``extras`` holds ``total_count`` and ``total_pop``.
    """
    levels = confidence_levels(confidence)
    xa = _bands(x, "x (events)", allow_missing=True)
    na = _bands(n, "n (population)")
    wa = _bands(stdpop, "stdpop")
    _same_length(x=xa, n=na, stdpop=wa)
    check_non_negative(xa, "x (events)")
    check_positive(na, "n (population)")
    check_non_negative(wa, "stdpop")
    if wa.sum() <= 0:
        raise ValueError("stdpop must not sum to zero")
    _check_multiplier(multiplier)

    observed = float(xa.sum())
    extras = {"total_count": observed, "total_pop": float(na.sum())}
    multi = len(levels) > 1
    statistic = f"dsr per {multiplier:g}"
    if observed < DSR_MIN_EVENTS:
        none = [None] * len(levels)
        return Estimate(
            value=None,
            lower=_limit(list(none), multi),
            upper=_limit(list(none), multi),
            method="Dobson",
            confidence=confidence_out(levels),
            statistic="dsr NA for total count < 10",
            extras=extras,
        )
    weights = wa.sum()
    value = float((xa * wa / na).sum() / weights * multiplier)
    variance = float((xa * (wa / na) ** 2).sum() / weights**2)
    scale = np.sqrt(variance / observed) * multiplier
    lowers: list[float | None] = []
    uppers: list[float | None] = []
    o_arr = np.asarray(observed, dtype=np.float64)
    for level in levels:
        lo, hi = _byars_arrays(o_arr, level)
        lowers.append(None if np.isnan(lo) else value + scale * (float(lo) - observed))
        uppers.append(value + scale * (float(hi) - observed))
    return Estimate(
        value=value,
        lower=_limit(lowers, multi),
        upper=_limit(uppers, multi),
        method="Dobson",
        confidence=confidence_out(levels),
        statistic=statistic,
        extras=extras,
    )


def _indirect(
    x: ArrayLike | None,
    n: ArrayLike,
    x_ref: ArrayLike,
    n_ref: ArrayLike,
    confidence: Confidence,
    observed: float | None,
) -> tuple[tuple[float, ...], float, float, FloatArray, FloatArray]:
    levels = confidence_levels(confidence)
    na = _bands(n, "n (population)", allow_missing=True)
    xr = _bands(x_ref, "x_ref (reference events)", allow_missing=True)
    nr = _bands(n_ref, "n_ref (reference population)")
    _same_length(n=na, x_ref=xr, n_ref=nr)
    check_non_negative(na, "n (population)")
    check_non_negative(xr, "x_ref (reference events)")
    check_positive(nr, "n_ref (reference population)")
    if observed is None:
        if x is None:
            raise ValueError("x (events) is required unless observed is given")
        xa = _bands(x, "x (events)", allow_missing=True)
        _same_length(x=xa, n=na)
        check_non_negative(xa, "x (events)")
        obs = float(xa.sum())
    else:
        obs_arr = as_array(observed, "observed")
        if obs_arr.ndim != 0:
            raise ValueError("observed must be a single total")
        check_non_negative(obs_arr, "observed")
        obs = float(obs_arr)
    expected = float((xr / nr * na).sum())
    if expected <= 0:
        raise ValueError(
            "expected events (sum of x_ref / n_ref * n) must be greater than zero"
        )
    return levels, obs, expected, xr, nr


def _indirect_estimate(
    levels: tuple[float, ...], obs: float, expected: float, scale: float, statistic: str
) -> Estimate:
    o_arr = np.asarray(obs, dtype=np.float64)
    lowers: list[float | None] = []
    uppers: list[float | None] = []
    for level in levels:
        lo, hi = count_limits(o_arr, level)
        lowers.append(None if np.isnan(lo) else float(lo) / expected * scale)
        uppers.append(float(hi) / expected * scale)
    multi = len(levels) > 1
    return Estimate(
        value=obs / expected * scale,
        lower=_limit(lowers, multi),
        upper=_limit(uppers, multi),
        method=count_method(o_arr, scalar=True),
        confidence=confidence_out(levels),
        statistic=statistic,
        extras={"observed": obs, "expected": expected},
    )


def isratio(
    x: ArrayLike | None,
    n: ArrayLike,
    x_ref: ArrayLike,
    n_ref: ArrayLike,
    confidence: Confidence = 0.95,
    refvalue: float = 1,
    observed: float | None = None,
) -> Estimate:
    """Indirectly standardised ratio (e.g. an SMR) ``O / E * refvalue``.

    ``E = sum(x_ref / n_ref * n)`` over age bands; ``O = sum(x)`` unless a
    total ``observed`` is given (then ``x`` may be ``None``). Limits: exact
    below 10 observed events, Byar's from 10. ``extras`` holds ``observed``
    and ``expected``.
    """
    levels, obs, expected, _, _ = _indirect(x, n, x_ref, n_ref, confidence, observed)
    if not np.isfinite(refvalue) or refvalue <= 0:
        raise ValueError("refvalue must be a positive number")
    return _indirect_estimate(
        levels, obs, expected, refvalue, f"indirectly standardised ratio x {refvalue:g}"
    )


def israte(
    x: ArrayLike | None,
    n: ArrayLike,
    x_ref: ArrayLike,
    n_ref: ArrayLike,
    confidence: Confidence = 0.95,
    multiplier: float = 100000,
    observed: float | None = None,
) -> Estimate:
    """Indirectly standardised rate: ``O / E`` times the reference crude rate.

    The reference rate is ``sum(x_ref) / sum(n_ref) * multiplier``.
    """
    levels, obs, expected, xr, nr = _indirect(x, n, x_ref, n_ref, confidence, observed)
    _check_multiplier(multiplier)
    ref_rate = float(xr.sum() / nr.sum() * multiplier)
    if ref_rate <= 0:
        raise ValueError("x_ref (reference events) must not all be zero")
    estimate = _indirect_estimate(
        levels,
        obs,
        expected,
        ref_rate,
        f"indirectly standardised rate per {multiplier:g}",
    )
    return Estimate(
        value=estimate.value,
        lower=estimate.lower,
        upper=estimate.upper,
        method=estimate.method,
        confidence=estimate.confidence,
        statistic=estimate.statistic,
        extras={**estimate.extras, "reference_rate": ref_rate},
    )
