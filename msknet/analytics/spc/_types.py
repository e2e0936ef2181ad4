"""Result types of the SPC functions: string enums and frozen dataclasses.

The enums are ``StrEnum`` so that ``chart.variation == "common_cause"`` holds
and ``to_records()`` hands back plain strings ready for CSV or JSON.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

DateLabel = dt.date | dt.datetime | int
"""A point's date as given (ISO strings parsed), or its position if no dates."""


class Improvement(StrEnum):
    """Which direction of change is good."""

    INCREASE = "increase"
    """Higher values are better."""
    DECREASE = "decrease"
    """Lower values are better."""
    NEUTRAL = "neutral"
    """Neither direction is better; signals are reported as high or low."""


class SpecialCauseType(StrEnum):
    """The rule that labels a point (the first that fires, in this order)."""

    COMMON_CAUSE = "common_cause"
    """No rule fired."""
    ABOVE_UPL = "above_upl"
    """Above the upper process limit."""
    BELOW_LPL = "below_lpl"
    """Below the lower process limit."""
    TREND_INCREASING = "trend_increasing"
    """Part of a run of strictly rising points."""
    TREND_DECREASING = "trend_decreasing"
    """Part of a run of strictly falling points."""
    TWO_IN_THREE_ABOVE = "two_in_three_above"
    """Beyond two sigma above the mean, two of three points on that side."""
    TWO_IN_THREE_BELOW = "two_in_three_below"
    """Beyond two sigma below the mean, two of three points on that side."""
    RUN_ABOVE = "run_above"
    """Part of a run of points above the mean (a shift)."""
    RUN_BELOW = "run_below"
    """Part of a run of points below the mean (a shift)."""


class PointType(StrEnum):
    """A point's special cause oriented by the improvement direction."""

    COMMON_CAUSE = "common_cause"
    """Common-cause variation."""
    SPECIAL_CAUSE_IMPROVEMENT = "special_cause_improvement"
    """Special cause in the good direction."""
    SPECIAL_CAUSE_CONCERN = "special_cause_concern"
    """Special cause in the bad direction."""
    SPECIAL_CAUSE_NEUTRAL_HIGH = "special_cause_neutral_high"
    """Special cause upwards, with a neutral direction."""
    SPECIAL_CAUSE_NEUTRAL_LOW = "special_cause_neutral_low"
    """Special cause downwards, with a neutral direction."""


class Variation(StrEnum):
    """The Making Data Count variation icon, from the latest point."""

    COMMON_CAUSE = "common_cause"
    """Grey: common-cause variation."""
    IMPROVEMENT_HIGH = "improvement_high"
    """Blue, upwards: improvement by higher values."""
    IMPROVEMENT_LOW = "improvement_low"
    """Blue, downwards: improvement by lower values."""
    CONCERN_HIGH = "concern_high"
    """Orange, upwards: concern by higher values."""
    CONCERN_LOW = "concern_low"
    """Orange, downwards: concern by lower values."""
    NEUTRAL_HIGH = "neutral_high"
    """Purple, upwards: special cause, neutral direction."""
    NEUTRAL_LOW = "neutral_low"
    """Purple, downwards: special cause, neutral direction."""


class Assurance(StrEnum):
    """The Making Data Count assurance icon: can the process meet the target?"""

    CONSISTENT_PASS = "consistent_pass"  # noqa: S105 (not a password)
    """The target lies beyond the limits on the good side: it is always met."""
    CONSISTENT_FAIL = "consistent_fail"
    """The target lies beyond the limits on the bad side: it is never met."""
    INCONSISTENT = "inconsistent"
    """The target lies within the limits ("hit and miss")."""


def optional_float(x: float) -> float | None:
    """NaN as None, so results compare equal and serialise to JSON."""
    return None if math.isnan(x) else x


def date_text(d: DateLabel) -> str | int:
    """A date label as an ISO string (positions stay integers)."""
    return d if isinstance(d, int) else d.isoformat()


@dataclass(frozen=True, slots=True)
class XmRPoint:
    """One point of an XmR chart. Missing numbers are ``None``."""

    date: DateLabel
    value: float | None
    mean: float | None
    lpl: float | None
    upl: float | None
    special_cause_type: SpecialCauseType
    point_type: PointType
    rebase_group: int

    def to_dict(self) -> dict[str, object]:
        """The point as a JSON-ready dict (dates as ISO strings)."""
        return {
            "date": date_text(self.date),
            "value": self.value,
            "mean": self.mean,
            "lpl": self.lpl,
            "upl": self.upl,
            "special_cause_type": str(self.special_cause_type),
            "point_type": str(self.point_type),
            "rebase_group": self.rebase_group,
        }


@dataclass(frozen=True, slots=True)
class XmRChart:
    """An XmR chart: its points in date order and its two summary icons."""

    points: tuple[XmRPoint, ...]
    variation: Variation
    assurance: Assurance | None
    improvement: Improvement
    target: float | None

    def to_records(self) -> list[dict[str, object]]:
        """One dict per point, for a table, CSV or JSON."""
        return [p.to_dict() for p in self.points]

    def to_dict(self) -> dict[str, object]:
        """The whole chart as a JSON-ready dict."""
        return {
            "improvement": str(self.improvement),
            "target": self.target,
            "variation": str(self.variation),
            "assurance": None if self.assurance is None else str(self.assurance),
            "points": self.to_records(),
        }
