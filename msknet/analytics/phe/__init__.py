"""OHID / Fingertips public-health methods, as PHEindicatormethods (R, 2.x) computes them.

>>> from msknet.analytics import phe
>>> round(phe.proportion(65, 100, multiplier=100).lower, 2)
55.25

Pure NumPy/SciPy: no Django. One page per method in ``docs/methods/phe-*.md``.
"""

from .funnels import (
    DSR_NOT_APPLICABLE,
    FUNNEL_LABELS,
    HIGH_0001,
    HIGH_0025,
    LOW_0001,
    LOW_0025,
    NOT_SIGNIFICANT,
    funnel_significance,
    poisson_funnel,
    proportion_funnel_limits,
)
from .inequality import sii
from .intervals import byars, mean, proportion, rate, wilson
from .overdispersion import (
    Overdispersion,
    adjusted_rate_limits,
    overdispersed_rate_significance,
    overdispersion,
    sqrt_z_scores,
    winsorise,
)
from .results import Estimate, FunnelLimits, SIIResult
from .standardisation import ESP2013, dsr, israte, isratio

__all__ = [
    "DSR_NOT_APPLICABLE",
    "ESP2013",
    "FUNNEL_LABELS",
    "HIGH_0001",
    "HIGH_0025",
    "LOW_0001",
    "LOW_0025",
    "NOT_SIGNIFICANT",
    "Estimate",
    "FunnelLimits",
    "Overdispersion",
    "SIIResult",
    "adjusted_rate_limits",
    "byars",
    "dsr",
    "funnel_significance",
    "israte",
    "isratio",
    "mean",
    "overdispersed_rate_significance",
    "overdispersion",
    "poisson_funnel",
    "proportion",
    "proportion_funnel_limits",
    "rate",
    "sii",
    "sqrt_z_scores",
    "wilson",
    "winsorise",
]
