"""Result types returned by :mod:`msknet.analytics.phe`.

All are frozen dataclasses with a ``to_dict()`` that gives JSON-ready values
(arrays become lists, NaN becomes ``None``), so web pages can build tables,
CSV and JSON from them directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ._base import FloatArray, Limit, Value, jsonable, level_label


@dataclass(frozen=True)
class Estimate:
    """An indicator value with its confidence limits.

    With one confidence level ``lower`` and ``upper`` are single values; with
    several (e.g. ``(0.95, 0.998)``) they are tuples in the same order as
    ``confidence``. Values are floats (``None`` where undefined) for scalar
    input, or NumPy arrays (NaN where undefined) for array input.
    """

    value: Value
    lower: Limit
    upper: Limit
    method: str
    confidence: float | tuple[float, ...]
    statistic: str
    extras: Mapping[str, Value] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """Flat, JSON-ready mapping.

        One level gives ``lower``/``upper``; several give PHEindicatormethods'
        column names (``lower95_0cl``, ``upper99_8cl``, ...).
        """
        out: dict[str, object] = {"value": jsonable(self.value)}
        if isinstance(self.confidence, tuple):
            assert isinstance(self.lower, tuple) and isinstance(self.upper, tuple)
            for level, lo, hi in zip(
                self.confidence, self.lower, self.upper, strict=True
            ):
                out[f"lower{level_label(level)}cl"] = jsonable(lo)
                out[f"upper{level_label(level)}cl"] = jsonable(hi)
            out["confidence"] = ", ".join(f"{c * 100:g}%" for c in self.confidence)
        else:
            out["lower"] = jsonable(self.lower)
            out["upper"] = jsonable(self.upper)
            out["confidence"] = f"{self.confidence * 100:g}%"
        out["statistic"] = self.statistic
        out["method"] = self.method
        for key, val in self.extras.items():
            out[key] = jsonable(val)
        return out


@dataclass(frozen=True)
class SIIResult:
    """Slope and relative index of inequality with simulated confidence limits.

    ``sii``, ``rii`` and ``intercept`` are deterministic; the limits come from a
    Monte Carlo simulation (reproducible when a ``seed`` was given). With
    several confidence levels the limits are tuples in the order of
    ``confidence``.
    """

    sii: float
    rii: float
    intercept: float
    sii_lower: float | tuple[float, ...]
    sii_upper: float | tuple[float, ...]
    rii_lower: float | tuple[float, ...]
    rii_upper: float | tuple[float, ...]
    confidence: float | tuple[float, ...]
    value_type: int
    transform: bool
    multiplier: float
    repetitions: int
    method: str

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "sii": self.sii,
            "rii": self.rii,
            "intercept": self.intercept,
        }
        if isinstance(self.confidence, tuple):
            for i, level in enumerate(self.confidence):
                suffix = level_label(level)
                for name in ("sii_lower", "sii_upper", "rii_lower", "rii_upper"):
                    limits = getattr(self, name)
                    out[f"{name}{suffix}"] = limits[i]
            out["confidence"] = ", ".join(f"{c * 100:g}%" for c in self.confidence)
        else:
            for name in ("sii_lower", "sii_upper", "rii_lower", "rii_upper"):
                out[name] = getattr(self, name)
            out["confidence"] = f"{self.confidence * 100:g}%"
        out["indicator_type"] = ("normal", "rate", "proportion")[self.value_type]
        out["transform"] = (
            ("none", "log", "logit")[self.value_type] if self.transform else "none"
        )
        out["multiplier"] = self.multiplier
        out["repetitions"] = self.repetitions
        out["method"] = self.method
        return out


@dataclass(frozen=True)
class FunnelLimits:
    """Funnel-plot control limits at each denominator (not clamped).

    ``2s`` limits are the 95% (p = 0.025 each side) limits, ``3s`` the 99.8%
    (p = 0.001) limits, on the scale given by ``multiplier``.
    """

    denominator: FloatArray
    lower_2s: FloatArray
    upper_2s: FloatArray
    lower_3s: FloatArray
    upper_3s: FloatArray
    baseline: float
    multiplier: float

    def clamped(self) -> FunnelLimits:
        """Limits clipped to the possible range ``[0, multiplier]``.

        PHEindicatormethods' ``calculate_funnel_limits`` clips to ``[0, 100]``
        whatever the multiplier; for ``multiplier=100`` the two agree.
        """
        top = self.multiplier

        def clip(a: FloatArray) -> FloatArray:
            return np.clip(a, 0.0, top)

        return FunnelLimits(
            denominator=self.denominator,
            lower_2s=clip(self.lower_2s),
            upper_2s=clip(self.upper_2s),
            lower_3s=clip(self.lower_3s),
            upper_3s=clip(self.upper_3s),
            baseline=self.baseline,
            multiplier=self.multiplier,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "denominator": jsonable(self.denominator),
            "lower_2s": jsonable(self.lower_2s),
            "upper_2s": jsonable(self.upper_2s),
            "lower_3s": jsonable(self.lower_3s),
            "upper_3s": jsonable(self.upper_3s),
            "baseline": self.baseline,
            "multiplier": self.multiplier,
        }
