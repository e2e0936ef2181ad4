"""Run charts: a median line, shifts and trends, for series too short for limits.

See ``docs/methods/spc-run-chart.md``. Run charts are for a handful of points
(Making Data Count suggests limits from about 12 to 20 points), so this is
plain Python over one series.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from ._inputs import (
    SPCInputError,
    _check_int,
    parse_dates,
    parse_improvement,
    parse_values,
    to_labels,
)
from ._types import DateLabel, Improvement, PointType, Variation, date_text
from .xmr import Dates, Values

__all__ = ["RunChart", "RunChartPoint", "RunChartSignal", "run_chart"]


class RunChartSignal(StrEnum):
    """The run-chart rule that labels a point (trend before shift)."""

    COMMON_CAUSE = "common_cause"
    """No rule fired."""
    TREND_INCREASING = "trend_increasing"
    """Part of a run of rising points (repeated values neither add nor break)."""
    TREND_DECREASING = "trend_decreasing"
    """Part of a run of falling points (repeated values neither add nor break)."""
    SHIFT_ABOVE = "shift_above"
    """Part of a run of points above the median (points on it are skipped)."""
    SHIFT_BELOW = "shift_below"
    """Part of a run of points below the median (points on it are skipped)."""


_UP = {
    RunChartSignal.TREND_INCREASING: 1,
    RunChartSignal.SHIFT_ABOVE: 1,
    RunChartSignal.TREND_DECREASING: -1,
    RunChartSignal.SHIFT_BELOW: -1,
}


@dataclass(frozen=True, slots=True)
class RunChartPoint:
    """One point of a run chart. A missing value is ``None``."""

    date: DateLabel
    value: float | None
    median: float | None
    signal: RunChartSignal
    point_type: PointType

    def to_dict(self) -> dict[str, object]:
        """The point as a JSON-ready dict."""
        return {
            "date": date_text(self.date),
            "value": self.value,
            "median": self.median,
            "signal": str(self.signal),
            "point_type": str(self.point_type),
        }


@dataclass(frozen=True, slots=True)
class RunChart:
    """A run chart: points, median, number of runs and the variation icon."""

    points: tuple[RunChartPoint, ...]
    median: float | None
    n_runs: int
    n_useful: int
    variation: Variation
    improvement: Improvement

    def to_records(self) -> list[dict[str, object]]:
        """One dict per point."""
        return [p.to_dict() for p in self.points]

    def to_dict(self) -> dict[str, object]:
        """The whole chart as a JSON-ready dict."""
        return {
            "improvement": str(self.improvement),
            "median": self.median,
            "n_runs": self.n_runs,
            "n_useful": self.n_useful,
            "variation": str(self.variation),
            "points": self.to_records(),
        }


def _segments(ys: list[float | None]) -> list[tuple[int, int]]:
    """Maximal [start, stop) stretches without a missing value."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i, y in enumerate([*ys, None]):
        if y is None and start is not None:
            out.append((start, i))
            start = None
        elif y is not None and start is None:
            start = i
    return out


def _trends(ys: list[float | None], length: int, signals: list[RunChartSignal]) -> None:
    """Label trends of ``length`` distinct rising (or falling) values."""
    for start, stop in _segments(ys):
        # Blocks of repeated values count once: (first index, last index, value).
        blocks: list[tuple[int, int, float]] = []
        for i in range(start, stop):
            y = ys[i]
            assert y is not None
            if blocks and blocks[-1][2] == y:
                blocks[-1] = (blocks[-1][0], i, y)
            else:
                blocks.append((i, i, y))
        first = 0
        while first < len(blocks) - 1:
            step = 1 if blocks[first + 1][2] > blocks[first][2] else -1
            last = first + 1
            while last + 1 < len(blocks) and (
                (blocks[last + 1][2] - blocks[last][2]) * step > 0
            ):
                last += 1
            if last - first + 1 >= length:
                label = (
                    RunChartSignal.TREND_INCREASING
                    if step > 0
                    else RunChartSignal.TREND_DECREASING
                )
                # A later trend overwrites a shared turning point, so the
                # point takes the direction of the trend that starts at it.
                for i in range(blocks[first][0], blocks[last][1] + 1):
                    signals[i] = label
            first = last


def _shifts(
    ys: list[float | None],
    median: float,
    length: int,
    signals: list[RunChartSignal],
) -> tuple[int, int]:
    """Label shifts; return the number of runs and of useful observations."""
    n_runs = 0
    n_useful = 0
    for start, stop in _segments(ys):
        side = 0
        members: list[int] = []
        for i in [*range(start, stop), -1]:
            y = ys[i] if i >= 0 else None
            this = 0 if y is None else (y > median) - (y < median)
            if y is not None and this == 0:
                continue  # on the median: neither adds to nor breaks a shift
            if this != side or y is None:
                if len(members) >= length:
                    label = (
                        RunChartSignal.SHIFT_ABOVE
                        if side > 0
                        else RunChartSignal.SHIFT_BELOW
                    )
                    for j in range(members[0], members[-1] + 1):
                        if (
                            signals[j] == RunChartSignal.COMMON_CAUSE
                            and ys[j] != median
                        ):
                            signals[j] = label
                side = this
                members = []
                if y is not None:
                    n_runs += 1
            if y is not None:
                members.append(i)
                n_useful += 1
    return n_runs, n_useful


def run_chart(
    values: Values,
    dates: Dates = None,
    *,
    improvement: str = "increase",
    shift_length: int = 6,
    trend_length: int = 5,
) -> RunChart:
    """A run chart of one series: median, shifts and trends.

    The rules are the run-chart rules of NHS England's Making Data Count and
    the IHI: a *shift* is ``shift_length`` (6) or more consecutive points on
    one side of the median, skipping points on it; a *trend* is
    ``trend_length`` (5) or more consecutive points all rising or all falling,
    a repeated value neither adding to nor breaking it. A missing value breaks
    both. A point in a trend and a shift is labelled by the trend.
    """
    direction = parse_improvement(improvement)
    shift_length = _check_int(shift_length, "shift_length", 2)
    trend_length = _check_int(trend_length, "trend_length", 2)
    vals = parse_values(values, "values")
    n = vals.shape[0]
    if n == 0:
        raise SPCInputError("values must contain at least one value")
    labels: list[DateLabel]
    if dates is None:
        labels = list(range(n))
    else:
        keys, parsed = parse_dates(dates, n)
        order = np.argsort(keys, kind="stable")
        if np.any(keys[order][1:] == keys[order][:-1]):
            raise SPCInputError("dates has a duplicate date")
        vals = vals[order]
        labels = to_labels(parsed[order])
    ys: list[float | None] = [None if math.isnan(v) else v for v in vals.tolist()]
    present = [y for y in ys if y is not None]
    median = statistics.median(present) if present else None
    signals = [RunChartSignal.COMMON_CAUSE] * n
    n_runs = n_useful = 0
    _trends(ys, trend_length, signals)
    if median is not None:
        n_runs, n_useful = _shifts(ys, median, shift_length, signals)
    point_types = [_point_type(s, direction) for s in signals]
    return RunChart(
        points=tuple(
            RunChartPoint(
                date=labels[i],
                value=ys[i],
                median=median,
                signal=signals[i],
                point_type=point_types[i],
            )
            for i in range(n)
        ),
        median=median,
        n_runs=n_runs,
        n_useful=n_useful,
        variation=_variation(point_types[-1], direction),
        improvement=direction,
    )


def _point_type(signal: RunChartSignal, direction: Improvement) -> PointType:
    up = _UP.get(signal, 0)
    if up == 0:
        return PointType.COMMON_CAUSE
    if direction is Improvement.NEUTRAL:
        return (
            PointType.SPECIAL_CAUSE_NEUTRAL_HIGH
            if up > 0
            else PointType.SPECIAL_CAUSE_NEUTRAL_LOW
        )
    good = up == (1 if direction is Improvement.INCREASE else -1)
    return (
        PointType.SPECIAL_CAUSE_IMPROVEMENT if good else PointType.SPECIAL_CAUSE_CONCERN
    )


def _variation(point_type: PointType, direction: Improvement) -> Variation:
    increase = direction is Improvement.INCREASE
    return {
        PointType.COMMON_CAUSE: Variation.COMMON_CAUSE,
        PointType.SPECIAL_CAUSE_IMPROVEMENT: (
            Variation.IMPROVEMENT_HIGH if increase else Variation.IMPROVEMENT_LOW
        ),
        PointType.SPECIAL_CAUSE_CONCERN: (
            Variation.CONCERN_LOW if increase else Variation.CONCERN_HIGH
        ),
        PointType.SPECIAL_CAUSE_NEUTRAL_HIGH: Variation.NEUTRAL_HIGH,
        PointType.SPECIAL_CAUSE_NEUTRAL_LOW: Variation.NEUTRAL_LOW,
    }[point_type]
