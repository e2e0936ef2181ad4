"""Over-dispersed funnel plots: Spiegelhalter's (2005) random-effects limits.

Counts such as milligrams prescribed vary between organisations far more than
Poisson chance allows, so most fall outside plain Poisson limits. Spiegelhalter
(2005, *Handling over-dispersion of performance indicators*, Qual Saf Health
Care 14:347-351) estimates the excess from z-scores winsorised at the 10th and
90th percentiles and widens the limits by an additive between-unit variance
tau². The z-scores use the square-root transform of a ratio (as CQC and
NHS-R's FunnelPlotR do). Pure NumPy/SciPy; see
``docs/methods/phe-overdispersion.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from ._base import ArrayLike, FloatArray, as_array, check_non_negative, check_positive
from .funnels import (
    HIGH_0001,
    HIGH_0025,
    LOW_0001,
    LOW_0025,
    NOT_SIGNIFICANT,
    P_2S,
    P_3S,
)

#: Each tail winsorised before estimating the dispersion, as Spiegelhalter (2005).
TRIM = 0.1
#: The over-dispersion test's significance level.
TEST_LEVEL = 0.05


@dataclass(frozen=True, slots=True)
class Overdispersion:
    """How far a set of units varies beyond chance, and the random-effects size."""

    units: int
    phi: float
    """Dispersion ratio: the mean squared winsorised z-score (1 = as chance)."""
    tau2: float
    """Between-unit variance added to each unit's own (0 when not over-dispersed)."""
    over_dispersed: bool
    """Whether ``units × phi`` exceeds the 95th centile of chi-squared on
    ``units - 1`` degrees of freedom; the adjusted limits apply only then."""


def winsorise(z_scores: ArrayLike, trim: float = TRIM) -> FloatArray:
    """The z-scores with those beyond the ``trim`` and ``1 - trim`` quantiles
    (R's default type 7) set to those quantiles."""
    z = np.atleast_1d(as_array(z_scores, "z_scores"))
    if not 0 <= trim < 0.5:
        raise ValueError("trim must be at least 0 and below 0.5")
    low, high = np.quantile(z, [trim, 1 - trim])
    clipped: FloatArray = np.clip(z, low, high)
    return clipped


def sqrt_z_scores(
    observed: ArrayLike, expected: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Z-scores of observed against expected counts on the square-root scale,
    and each unit's standard error there: ``y = √(O/E)`` with target 1 and
    ``s = 1 / (2√E)``, so ``z = 2(√O − √E)``."""
    o = np.atleast_1d(as_array(observed, "observed"))
    e = np.atleast_1d(as_array(expected, "expected"))
    if o.shape != e.shape:
        raise ValueError("expected must have one value per observed")
    check_non_negative(o, "observed")
    check_positive(e, "expected")
    s = 1 / (2 * np.sqrt(e))
    z = (np.sqrt(o / e) - 1) / s
    return z, s


def overdispersion(
    z_scores: ArrayLike, standard_errors: ArrayLike, trim: float = TRIM
) -> Overdispersion:
    """Spiegelhalter's estimates from unadjusted z-scores and standard errors.

    ``phi = Σ zw² / I`` over the winsorised z-scores; when ``I·phi > I − 1``,
    ``tau² = (I·phi − (I − 1)) / (Σw − Σw² / Σw)`` with ``w = 1 / s²``
    (DerSimonian-Laird form), else 0.
    """
    z = np.atleast_1d(as_array(z_scores, "z_scores"))
    s = np.atleast_1d(as_array(standard_errors, "standard_errors"))
    if z.shape != s.shape:
        raise ValueError("standard_errors must have one value per z-score")
    check_positive(s, "standard_errors")
    units = int(z.size)
    if units < 2:
        raise ValueError("over-dispersion needs at least two units")
    phi = float(np.mean(winsorise(z, trim) ** 2))
    w = 1 / s**2
    excess = units * phi - (units - 1)
    tau2 = (
        max(0.0, float(excess / (w.sum() - (w**2).sum() / w.sum())))
        if excess > 0
        else 0.0
    )
    critical = float(stats.chi2.ppf(1 - TEST_LEVEL, units - 1))
    return Overdispersion(
        units=units, phi=phi, tau2=tau2, over_dispersed=units * phi > critical
    )


def _z(p: float) -> float:
    return float(stats.norm.ppf(1 - p))


def adjusted_rate_limits(
    denominators: ArrayLike,
    baseline: float,
    tau2: float,
    p: float,
    multiplier: float = 1,
) -> tuple[FloatArray, FloatArray]:
    """Lower and upper limits (one-sided tail ``p``) of a rate around
    ``baseline`` (on the ``multiplier`` scale) at each denominator:
    ``baseline × (1 ± z√(1/(4E) + tau²))²`` with ``E = n × baseline / multiplier``,
    the lower limit 0 where ``1 − z√(...)`` is negative."""
    n = np.atleast_1d(as_array(denominators, "denominators"))
    check_positive(n, "denominators")
    if not (np.isfinite(baseline) and baseline > 0):
        raise ValueError("baseline must be a positive number")
    if tau2 < 0:
        raise ValueError("tau2 must not be negative")
    expected = n * baseline / multiplier
    spread = _z(p) * np.sqrt(1 / (4 * expected) + tau2)
    lower: FloatArray = baseline * np.maximum(1 - spread, 0.0) ** 2
    upper: FloatArray = baseline * (1 + spread) ** 2
    return lower, upper


def overdispersed_rate_significance(
    numerators: ArrayLike,
    denominators: ArrayLike,
    multiplier: float = 1,
    *,
    average: float | None = None,
    trim: float = TRIM,
) -> tuple[list[str], Overdispersion]:
    """Label each unit against the funnel around the pooled rate (or
    ``average``, on the ``multiplier`` scale), with the random-effects limits
    when the units are over-dispersed (else tau² = 0: the square-root normal
    approximation to Poisson limits; ``funnel_significance`` gives the exact
    ones); and the estimates, which say which applied.

    Labels are ``phe.funnel_significance``'s: ``High (0.001)`` beyond the
    99.8% limit, ``High (0.025)`` beyond 95%, and so on.
    """
    x = np.atleast_1d(as_array(numerators, "numerators"))
    n = np.atleast_1d(as_array(denominators, "denominators"))
    if x.shape != n.shape:
        raise ValueError("denominators must have one value per numerator")
    check_non_negative(x, "numerators")
    check_positive(n, "denominators")
    rate = float(x.sum() / n.sum()) if average is None else float(average) / multiplier
    if not (np.isfinite(rate) and rate > 0):
        raise ValueError("the rate compared with must be above zero")
    z, s = sqrt_z_scores(x, n * rate)
    result = overdispersion(z, s, trim)
    tau2 = result.tau2 if result.over_dispersed else 0.0
    adjusted = (np.sqrt(x / (n * rate)) - 1) / np.sqrt(s**2 + tau2)
    labels = np.select(
        [
            adjusted > _z(P_3S),
            adjusted > _z(P_2S),
            adjusted < -_z(P_3S),
            adjusted < -_z(P_2S),
        ],
        [HIGH_0001, HIGH_0025, LOW_0001, LOW_0025],
        default=NOT_SIGNIFICANT,
    )
    return [str(label) for label in labels.tolist()], result
