"""The SPC figures of a measure, computed by `msknet.analytics.spc`.

Thin glue between a measure's data points and the Making Data Count XmR
chart: the overall series with its recorded rebases, one series per
deprivation quintile, the icons' words and the signals for the timeline.
No database writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from msknet.analytics import spc
from msknet.core.charts import NHS_BRIGHT_BLUE, NHS_MID_GREY
from msknet.insights.charts import NHS_ORANGE, NHS_PURPLE, POINT_TYPE_TEXT
from msknet.insights.figures import SPC_MIN_POINTS
from msknet.insights.views_pages import ASSURANCE_TEXT, VARIATION_TEXT

from .models import DataPoint, Measure, Rebase

#: Words for the rule that made a point special cause.
RULE_TEXT = {
    spc.SpecialCauseType.ABOVE_UPL: "a point above the upper process limit",
    spc.SpecialCauseType.BELOW_LPL: "a point below the lower process limit",
    spc.SpecialCauseType.TREND_INCREASING: "a trend of 7 or more rising points",
    spc.SpecialCauseType.TREND_DECREASING: "a trend of 7 or more falling points",
    spc.SpecialCauseType.TWO_IN_THREE_ABOVE: "two of three points near the upper limit",
    spc.SpecialCauseType.TWO_IN_THREE_BELOW: "two of three points near the lower limit",
    spc.SpecialCauseType.RUN_ABOVE: "a shift: a run of 7 or more above the mean",
    spc.SpecialCauseType.RUN_BELOW: "a shift: a run of 7 or more below the mean",
}
QUINTILE_NAMES = {1: "Quintile 1 (most deprived)", 2: "Quintile 2", 3: "Quintile 3",
                  4: "Quintile 4", 5: "Quintile 5 (least deprived)"}


#: Making Data Count icon colours and letters, by icon.
VARIATION_STYLE = {
    "common_cause": (NHS_MID_GREY, "~"),
    "improvement_high": (NHS_BRIGHT_BLUE, "H"),
    "improvement_low": (NHS_BRIGHT_BLUE, "L"),
    "concern_high": (NHS_ORANGE, "H"),
    "concern_low": (NHS_ORANGE, "L"),
    "neutral_high": (NHS_PURPLE, "H"),
    "neutral_low": (NHS_PURPLE, "L"),
}
ASSURANCE_STYLE = {
    "consistent_pass": (NHS_BRIGHT_BLUE, "P"),
    "consistent_fail": (NHS_ORANGE, "F"),
    "inconsistent": (NHS_MID_GREY, "?"),
}


@dataclass(frozen=True)
class Icons:
    """The two Making Data Count icons and their words."""

    variation: str
    variation_text: str
    assurance: str
    assurance_text: str

    @property
    def variation_colour(self) -> str:
        return VARIATION_STYLE[self.variation][0]

    @property
    def variation_letter(self) -> str:
        return VARIATION_STYLE[self.variation][1]

    @property
    def assurance_colour(self) -> str:
        return ASSURANCE_STYLE[self.assurance][0] if self.assurance else ""

    @property
    def assurance_letter(self) -> str:
        return ASSURANCE_STYLE[self.assurance][1] if self.assurance else ""


@dataclass(frozen=True)
class Signal:
    """A run of consecutive special-cause points of one kind, and the rules
    that marked them (in the order they first appear)."""

    start: dt.date
    end: dt.date
    points: int
    point_type: spc.PointType
    rule: str

    @property
    def point_type_text(self) -> str:
        return POINT_TYPE_TEXT[self.point_type]

    @property
    def text(self) -> str:
        return f"{self.point_type_text}: {self.rule}"


@dataclass
class SeriesSPC:
    """One series (overall or a quintile): its points and its chart, if long enough."""

    label: str
    points: list[DataPoint]
    chart: spc.XmRChart | None
    icons: Icons | None
    signals: list[Signal] = field(default_factory=list)


@dataclass
class MeasureSPC:
    measure: Measure
    overall: SeriesSPC
    quintiles: list[tuple[int, SeriesSPC]]
    rebases: list[Rebase]
    min_points: int = SPC_MIN_POINTS


def icons(chart: spc.XmRChart) -> Icons:
    assurance = str(chart.assurance) if chart.assurance is not None else ""
    return Icons(
        variation=str(chart.variation),
        variation_text=VARIATION_TEXT[str(chart.variation)],
        assurance=assurance,
        assurance_text=(ASSURANCE_TEXT[assurance] if assurance
                        else "No assurance: this measure has no target"),
    )


def signals(chart: spc.XmRChart) -> list[Signal]:
    """Each run of consecutive special-cause points of one kind, in date order."""
    found: list[Signal] = []
    run: list[spc.XmRPoint] = []

    def close() -> None:
        if run:
            rules = dict.fromkeys(RULE_TEXT[p.special_cause_type] for p in run)
            found.append(Signal(run[0].date, run[-1].date, len(run),  # type: ignore[arg-type]
                                run[0].point_type, "; ".join(rules)))

    for point in chart.points:
        special = point.point_type != spc.PointType.COMMON_CAUSE
        if special and run and run[-1].point_type == point.point_type:
            run.append(point)
            continue
        close()
        run = [point] if special else []
    close()
    return found


def xmr(measure: Measure, points: list[DataPoint],
        rebases: list[Rebase]) -> spc.XmRChart | None:
    """The XmR chart of the points, with limits starting again at each rebase."""
    if len(points) < SPC_MIN_POINTS:
        return None
    return spc.xmr([p.value for p in points], [p.period for p in points],
                   improvement=measure.improvement, target=measure.target,
                   rebase=[r.period for r in rebases])


def series(label: str, measure: Measure, points: list[DataPoint],
           rebases: list[Rebase]) -> SeriesSPC:
    chart = xmr(measure, points, rebases)
    if chart is None:
        return SeriesSPC(label, points, None, None)
    return SeriesSPC(label, points, chart, icons(chart), signals(chart))


def measure_spc(measure: Measure, points: list[DataPoint] | None = None,
                rebases: list[Rebase] | None = None) -> MeasureSPC:
    """The overall chart and one per deprivation quintile that has data."""
    if points is None:
        points = list(measure.points.all())
    if rebases is None:
        rebases = list(measure.rebases.select_related("by"))
    overall = [p for p in points if p.quintile is None]
    by_quintile: dict[int, list[DataPoint]] = {}
    for p in points:
        if p.quintile is not None:
            by_quintile.setdefault(p.quintile, []).append(p)
    quintiles = [(q, series(QUINTILE_NAMES[q], measure, sorted(pts, key=_period),
                            rebases))
                 for q, pts in sorted(by_quintile.items())]
    return MeasureSPC(measure, series("All", measure, sorted(overall, key=_period),
                                      rebases), quintiles, rebases)


#: How many of a measure's values a PDSA cycle's study shows either side of the test.
STUDY_BEFORE, STUDY_FROM = 6, 6


@dataclass(frozen=True)
class StudyPoint:
    """One of the values around a test, and whether it is from after the start."""

    point: DataPoint
    after: bool


def around(points: list[DataPoint], began: dt.date, *, before: int = STUDY_BEFORE,
           from_: int = STUDY_FROM) -> list[StudyPoint]:
    """The values either side of a test that began on `began`, in date order:
    up to `before` periods that started before it and up to `from_` periods
    from the one it began in. A month's value counts from the month the test
    began in; a dated period's from the day."""
    ordered = sorted(points, key=_period)
    monthly = all(p.period.day == 1 for p in ordered)
    start = began.replace(day=1) if monthly else began
    earlier = [p for p in ordered if p.period < start]
    later = [p for p in ordered if p.period >= start]
    return ([StudyPoint(p, False) for p in earlier[-before:] if before]
            + [StudyPoint(p, True) for p in later[:from_]])


def _period(point: DataPoint) -> dt.date:
    return point.period
