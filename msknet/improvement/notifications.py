"""What improvement tells people: a measure's new SPC signal, and a measure
whose data is overdue.

Plain functions over `msknet.communications.notify.notify`, called from the
actions that add data points (inside their transaction) and from the daily
job in `tasks`. Each names its happening with a key, so nobody is told about
it twice however often data is added or the job runs.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.urls import reverse

from msknet.analytics import spc
from msknet.communications.models import Kind
from msknet.communications.notify import notify
from msknet.insights.charts import POINT_TYPE_TEXT
from msknet.insights.views_pages import ASSURANCE_TEXT

from . import figures, queries
from .models import DataPoint, Frequency, Measure, QIProject, Stage

#: The Making Data Count rule that marked the latest point, in plain words.
SIGNAL_WORDS = {
    spc.SpecialCauseType.ABOVE_UPL: "a point above the upper process limit",
    spc.SpecialCauseType.BELOW_LPL: "a point below the lower process limit",
    spc.SpecialCauseType.TREND_INCREASING: "a run of 7 or more rising points",
    spc.SpecialCauseType.TREND_DECREASING: "a run of 7 or more falling points",
    spc.SpecialCauseType.TWO_IN_THREE_ABOVE:
        "two of three points close to the upper process limit",
    spc.SpecialCauseType.TWO_IN_THREE_BELOW:
        "two of three points close to the lower process limit",
    spc.SpecialCauseType.RUN_ABOVE: "a run of 7 or more points above the centre line",
    spc.SpecialCauseType.RUN_BELOW: "a run of 7 or more points below the centre line",
}


def _month(day: dt.date) -> str:
    return f"{day:%B %Y}"


def _measure_url(measure: Measure) -> str:
    return reverse("measure-detail", kwargs={
        "network_slug": measure.project.network.slug, "pk": measure.project_id,
        "measure_pk": measure.pk})


# A new signal --------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What a measure's overall chart shows at its latest point: the run of
    special-cause points that reaches it (if any) and the assurance icon."""

    latest: dt.date | None
    signal: figures.Signal | None
    rule: spc.SpecialCauseType | None
    assurance: spc.Assurance | None
    charted: bool

    @property
    def signal_id(self) -> tuple[str, dt.date] | None:
        """A run is the same run while it keeps its kind and its first point,
        however many points later extend it."""
        if self.signal is None:
            return None
        return (str(self.signal.point_type), self.signal.start)


def read(measure: Measure) -> Reading:
    """The measure's overall SPC chart, as it stands now."""
    series = figures.measure_spc(
        measure, list(DataPoint.objects.filter(measure=measure)),
        list(measure.rebases.all())).overall
    chart = series.chart
    if chart is None or not chart.points:
        latest = series.points[-1].period if series.points else None
        return Reading(latest, None, None, None, charted=False)
    last = chart.points[-1]
    latest = last.date
    signal = next((s for s in series.signals if s.end == latest), None)
    rule = last.special_cause_type if signal is not None else None
    return Reading(latest, signal, rule, chart.assurance, charted=True)


def tell_new_signal(measure: Measure, before: Reading) -> int:
    """Tell the measure's followers what its chart shows now and did not
    before the latest data: a new run of special-cause points reaching the
    latest point, or a change of assurance against the target.

    A run already announced is not announced again as new points extend it;
    an upload of years of data at once announces only what the latest point
    shows, not every signal in the measure's history.
    """
    after = read(measure)
    if not after.charted:
        return 0
    told = 0
    recipients = list(queries.measure_followers(measure))
    if (after.signal is not None and after.rule is not None
            and after.signal_id != before.signal_id):
        signal = after.signal
        words = SIGNAL_WORDS.get(after.rule, "special cause variation")
        judgement = POINT_TYPE_TEXT[signal.point_type].lower()
        told += len(notify(
            kind=Kind.MEASURE_SIGNAL,
            recipients=recipients,
            network=measure.project.network,
            key=f"measure:{measure.pk}:signal:{signal.point_type}:"
            f"{signal.start:%Y-%m-%d}",
            title=f"Improvement: the '{measure.name}' measure shows {words} "
            f"({judgement})",
            url=_measure_url(measure),
            body=f"{measure.project.title}: from {_month(signal.start)} to "
            f"{_month(signal.end)}, {signal.points} point"
            f"{'s' if signal.points != 1 else ''} show {judgement}. Open the "
            "measure's chart to see what changed, and record why in a PDSA cycle "
            "or a note on the data.",
        ))
    if (before.charted and after.assurance is not None
            and after.assurance != before.assurance):
        text = ASSURANCE_TEXT[str(after.assurance)]
        told += len(notify(
            kind=Kind.MEASURE_SIGNAL,
            recipients=recipients,
            network=measure.project.network,
            key=f"measure:{measure.pk}:assurance:{after.assurance}:"
            f"{after.latest:%Y-%m-%d}",
            title=f"Improvement: the '{measure.name}' measure's assurance has "
            f"changed: {text[0].lower()}{text[1:]}",
            url=_measure_url(measure),
            body=f"{measure.project.title}: with the data to {_month(after.latest)}"
            f", the process limits against the target of {measure.target:g} say: "
            f"{text}.",
        ))
    return told


# Overdue data --------------------------------------------------------------------


#: How long after a period ends its value may arrive before it is overdue.
GRACE = {
    Frequency.WEEKLY: dt.timedelta(days=10),
    Frequency.MONTHLY: dt.timedelta(days=15),
    Frequency.QUARTERLY: dt.timedelta(days=30),
    Frequency.ANNUALLY: dt.timedelta(days=60),
}
#: Gaps that fell overdue longer ago than this are left alone: the daily job
#: tells owners as their data falls overdue, not about an old backlog (when
#: the job first runs, or after the worker was stopped for months).
NO_DATA_LOOKBACK = dt.timedelta(days=92)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_period(period: dt.date, frequency: str) -> dt.date:
    """The start of the period after the one starting on `period`."""
    if frequency == Frequency.WEEKLY:
        return period + dt.timedelta(days=7)
    months = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3,
              Frequency.ANNUALLY: 12}[Frequency(frequency)]
    return _add_months(period, months)


def missing_period(latest: dt.date, frequency: str,
                   today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first period with no value and the day it fell overdue, if it has:
    a period's value is due once the period has ended and its grace passed."""
    missing = next_period(latest, frequency)
    due = next_period(missing, frequency) + GRACE[Frequency(frequency)]
    if today < due:
        return None
    return missing, due


def data_keepers(measure: Measure) -> list[Any]:
    """Who hears the measure's data is overdue: its owner, or with no owner
    named, the project's sponsor, or with neither, whoever started it."""
    project: QIProject = measure.project
    for person in (measure.owner, project.sponsor, project.created_by):
        if person is not None:
            return [person]
    return []


def tell_overdue_data(*, today: dt.date) -> int:
    """Tell each open project's measure keepers of a value now overdue, once
    per measure and missing period (the gap), however often this runs."""
    told = 0
    measures = (
        Measure.objects.exclude(project__stage=Stage.CLOSED)
        .annotate(latest=Max("points__period"))
        .filter(latest__isnull=False)
        .select_related("project__network", "project__sponsor",
                        "project__created_by", "owner")
    )
    for measure in measures:
        gap = missing_period(measure.latest, measure.frequency, today)
        if gap is None:
            continue
        missing, due = gap
        if today - due > NO_DATA_LOOKBACK:
            continue
        period = _period_name(missing, measure.frequency)
        told += len(notify(
            kind=Kind.MEASURE_NO_DATA,
            recipients=data_keepers(measure),
            network=measure.project.network,
            key=f"measure:{measure.pk}:no-data:{missing:%Y-%m-%d}",
            title=f"Improvement: the '{measure.name}' measure has no value for "
            f"{period} yet",
            url=_measure_url(measure),
            body=f"{measure.project.title}: the latest value is for "
            f"{_period_name(measure.latest, measure.frequency)}. "
            "Add the missing data by hand or upload a CSV file, so the chart "
            "stays current.",
        ))
    return told


def _period_name(period: dt.date, frequency: str) -> str:
    if frequency == Frequency.WEEKLY:
        return f"the week of {period:%-d %B %Y}"
    if frequency == Frequency.QUARTERLY:
        return f"the quarter from {period:%B %Y}"
    if frequency == Frequency.ANNUALLY:
        return f"the year from {period:%B %Y}"
    return _month(period)
