"""Funnel-plot control limits and significance, vectorised over areas.

As PHEindicatormethods' ``calculate_funnel_limits`` and
``assign_funnel_significance`` (the Fingertips funnel-plot tool): inverted
Wilson limits for proportions, Poisson limits for ratios and rates. See
``docs/methods/phe-funnels.md``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import stats

from ._base import ArrayLike, FloatArray, as_array, check_non_negative, check_positive
from .results import FunnelLimits

BoolArray = npt.NDArray[np.bool_]

HIGH_0001 = "High (0.001)"
HIGH_0025 = "High (0.025)"
LOW_0001 = "Low (0.001)"
LOW_0025 = "Low (0.025)"
NOT_SIGNIFICANT = "Not significant"
DSR_NOT_APPLICABLE = "Not applicable for events less than 10 for dsrs"
#: Every label ``funnel_significance`` can return, in PHEindicatormethods' order.
FUNNEL_LABELS = (
    HIGH_0001,
    HIGH_0025,
    LOW_0001,
    LOW_0025,
    NOT_SIGNIFICANT,
    DSR_NOT_APPLICABLE,
)

#: One-sided tail probabilities of the 2s (95%) and 3s (99.8%) limits.
P_2S = 0.025
P_3S = 0.001
_BISECTION_STOP = 1e-7


def _inverted_wilson(
    denominators: FloatArray, average: float, p: float
) -> tuple[FloatArray, FloatArray]:
    """Observed proportions whose Wilson interval (one-sided p) just reaches ``average``."""
    z2 = float(stats.norm.ppf(p)) ** 2
    n = denominators
    a = average * (n / z2 + 1)
    b = 1 / z2 + 1 / n
    disc = (8 * a) ** 2 - 64 * b * average * (
        n * (average * (n / z2 + 2) - 1) + z2 * (average - 1)
    )
    d = np.sqrt(np.maximum(disc, 0.0))
    return (a - d / 8) / b / n, (a + d / 8) / b / n


def proportion_funnel_limits(
    denominators: ArrayLike, average: float, multiplier: float = 1
) -> FunnelLimits:
    """Funnel limits for a proportion at each denominator (unclamped).

    ``average`` is the overall proportion on the 0-1 scale (usually
    ``sum(x) / sum(n)``); limits come back times ``multiplier``. Use
    ``.clamped()`` to clip them to ``[0, multiplier]`` for plotting.
    """
    n = as_array(denominators, "denominators")
    check_positive(n, "denominators")
    av = as_array(average, "average")
    if av.ndim != 0 or not 0 <= float(av) <= 1:
        raise ValueError("average must be a single proportion between 0 and 1")
    if not np.isfinite(multiplier) or multiplier <= 0:
        raise ValueError("multiplier must be a positive number")
    n1 = np.atleast_1d(n)
    lo2, hi2 = _inverted_wilson(n1, float(av), 1 - P_2S)
    lo3, hi3 = _inverted_wilson(n1, float(av), 1 - P_3S)
    return FunnelLimits(
        denominator=n1,
        lower_2s=lo2 * multiplier,
        upper_2s=hi2 * multiplier,
        lower_3s=lo3 * multiplier,
        upper_3s=hi3 * multiplier,
        baseline=float(av) * multiplier,
        multiplier=float(multiplier),
    )


def poisson_funnel(
    obs: ArrayLike, p: float, side: Literal["low", "high"]
) -> float | FloatArray:
    """Expected count at which ``obs`` events sit exactly on a funnel limit.

    ``side="low"``: E with P(X >= obs | E) = p; ``side="high"``: E with
    P(X <= obs | E) = p. Found, as in the reference, by bisection on
    ``v`` with ``E = (1 + obs) v / (1 - v)`` until the step is <= 1e-7, so it
    agrees with PHEindicatormethods to ~1e-9 (the exact gamma quantile
    differs by up to ~5e-5 relative at ``obs = 1``).
    """
    o = as_array(obs, "obs")
    check_non_negative(o, "obs")
    if not 0 < p < 1:
        raise ValueError("p must be between 0 and 1")
    if side not in ("low", "high"):
        raise ValueError("side must be 'low' or 'high'")
    if side == "low":
        check_positive(o, "obs (for side='low')")
    v = np.full(o.shape, 0.5)
    dv = 0.5
    while dv > _BISECTION_STOP:
        dv /= 2
        expected = (1 + o) * v / (1 - v)
        if side == "low":
            tail = stats.poisson.sf(o - 1, expected)
            v = np.where(tail > p, v - dv, v + dv)
        else:
            tail = stats.poisson.cdf(o, expected)
            v = np.where(tail < p, v - dv, v + dv)
    result = np.asarray((1 + o) * v / (1 - v), dtype=np.float64)
    return float(result) if result.ndim == 0 else result


def _count_bounds(obs: FloatArray, level: float) -> tuple[FloatArray, FloatArray]:
    """Lower/upper confidence limits of a count, as ``funnel_ratio_significance``."""
    q = 0.5 + level / 2
    small = obs < 10
    safe_df = np.where(obs > 0, 2 * obs, 1.0)
    exact_lo = np.where(obs > 0, stats.chi2.isf(q, safe_df) / 2, 0.0)
    exact_hi = stats.chi2.ppf(q, 2 * obs + 2) / 2
    z = float(stats.norm.ppf(q))
    safe_obs = np.where(obs > 0, obs, 1.0)
    byars_lo = safe_obs * (1 - 1 / (9 * safe_obs) - z / 3 / np.sqrt(safe_obs)) ** 3
    byars_hi = (obs + 1) * (1 - 1 / (9 * (obs + 1)) + z / 3 / np.sqrt(obs + 1)) ** 3
    return np.where(small, exact_lo, byars_lo), np.where(small, exact_hi, byars_hi)


def _labels(
    high_3s: BoolArray, high_2s: BoolArray, low_3s: BoolArray, low_2s: BoolArray
) -> npt.NDArray[np.str_]:
    labels: npt.NDArray[np.str_] = np.select(
        [high_3s, high_2s, low_3s, low_2s],
        [HIGH_0001, HIGH_0025, LOW_0001, LOW_0025],
        default=NOT_SIGNIFICANT,
    )
    return labels


def funnel_significance(
    numerators: ArrayLike,
    denominators: ArrayLike | None,
    statistic: Literal["proportion", "rate", "ratio"] = "proportion",
    rates: ArrayLike | None = None,
    rate_type: Literal["crude", "dsr"] = "crude",
    multiplier: float = 100000,
    *,
    average: float | None = None,
) -> list[str]:
    """Label each area against the funnel: ``High (0.001)`` ... ``Not significant``.

    * ``"proportion"``: ``numerators / denominators`` against the inverted-Wilson
      limits around ``sum(numerators) / sum(denominators)``.
    * ``"ratio"``: observed ``numerators`` against expected ``denominators``
      (compared with 1).
    * ``"rate"``: events ``numerators`` against the overall rate. With
      ``rates`` (on the ``multiplier`` scale) the denominator is derived as
      ``numerators / rates * multiplier``, using ``denominators`` where there
      are no events (crude) or leaving those areas out of the average (dsr);
      without ``rates`` (crude only) ``denominators`` are used directly. DSRs
      under 10 events get ``"Not applicable for events less than 10 for dsrs"``.

    ``average`` (an extension; the reference always uses the pooled value)
    compares every area with a given value instead: a proportion on the 0-1
    scale, a rate on the ``multiplier`` scale, or a ratio (default 1) - e.g.
    the England value when labelling one region's practices.
    """
    x = np.atleast_1d(as_array(numerators, "numerators"))
    check_non_negative(x, "numerators")
    if statistic not in ("proportion", "rate", "ratio"):
        raise ValueError("statistic must be 'proportion', 'rate' or 'ratio'")
    if denominators is not None:
        n = np.atleast_1d(as_array(denominators, "denominators"))
        if n.shape != x.shape:
            raise ValueError("denominators must have one value per numerator")
        check_positive(n, "denominators")
    else:
        n = None

    if average is not None and not (np.isfinite(average) and average >= 0):
        raise ValueError("average must be a finite number, zero or more")

    if statistic == "proportion":
        if n is None:
            raise ValueError("denominators are required for proportions")
        if (x > n).any():
            raise ValueError("numerators must be less than or equal to denominators")
        if average is None:
            average = float(x.sum() / n.sum())
        elif not 0 <= average <= 1:
            raise ValueError("average must be a proportion between 0 and 1")
        observed = x / n
        lo2, hi2 = _inverted_wilson(n, average, 1 - P_2S)
        lo3, hi3 = _inverted_wilson(n, average, 1 - P_3S)
        # Proportions check the low side first, as the reference does.
        labels = np.select(
            [observed < lo3, observed < lo2, observed > hi3, observed > hi2],
            [LOW_0001, LOW_0025, HIGH_0001, HIGH_0025],
            default=NOT_SIGNIFICANT,
        )
        return [str(label) for label in labels.tolist()]

    if statistic == "ratio":
        if n is None:
            raise ValueError("denominators (expected counts) are required for ratios")
        reference = 1.0 if average is None else float(average)
        denom = n
    else:
        if rate_type not in ("crude", "dsr"):
            raise ValueError("rate_type must be 'crude' or 'dsr'")
        if not np.isfinite(multiplier) or multiplier <= 0:
            raise ValueError("multiplier must be a positive number")
        if rates is None:
            if rate_type == "dsr":
                raise ValueError("rates are required when rate_type is 'dsr'")
            if n is None:
                raise ValueError("denominators are required for rates without rates")
            denom = n
        else:
            try:
                r = np.atleast_1d(np.asarray(rates, dtype=np.float64))
            except (TypeError, ValueError) as exc:
                raise ValueError("rates must be numeric") from exc
            if r.shape != x.shape:
                raise ValueError("rates must have one value per numerator")
            # Rates may be missing where there are no events, and for DSRs
            # below 10 events (Fingertips does not publish those).
            may_be_missing = x < (10 if rate_type == "dsr" else 1)
            if (np.isnan(r) & ~may_be_missing).any():
                raise ValueError("rates must not be missing where there are events")
            has_events = (x > 0) & ~np.isnan(r)
            if (r[has_events] <= 0).any():
                raise ValueError(
                    "rates must be greater than zero where there are events"
                )
            safe_r = np.where(has_events, r, 1.0)
            derived = np.where(has_events, x / safe_r * multiplier, np.nan)
            if rate_type == "crude":
                if (~has_events).any() and n is None:
                    raise ValueError(
                        "denominators are required for crude rates where there are no events"
                    )
                if n is not None:
                    derived = np.where(has_events, derived, n)
            denom = derived
        if average is None:
            # Areas without a (derived) denominator are left out of the average.
            known_denom = ~np.isnan(denom)
            reference = float(x[known_denom].sum() / denom[known_denom].sum())
        else:
            reference = float(average) / multiplier

    known = ~np.isnan(denom)
    safe_denom = np.where(known, denom, 1.0)
    lo2, hi2 = _count_bounds(x, 0.95)
    lo3, hi3 = _count_bounds(x, 0.998)
    labels = _labels(
        known & (reference < lo3 / safe_denom),
        known & (reference < lo2 / safe_denom),
        known & (reference > hi3 / safe_denom),
        known & (reference > hi2 / safe_denom),
    )
    if statistic == "rate" and rate_type == "dsr":
        labels = np.where(x < 10, DSR_NOT_APPLICABLE, labels)
    return [str(label) for label in labels.tolist()]
