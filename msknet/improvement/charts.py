"""The SPC chart of a measure, built like the insights and prescribing charts.

One XmR chart per series (overall, or one deprivation quintile): the values,
the mean and process limits of each rebase phase, the target, the team's
annotations and the recorded rebases. Built on `msknet.insights.charts` so
every SPC chart in msknet looks and reads the same.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from msknet.core.charts import (
    MONTH,
    NHS_RED,
    NHS_TEXT,
    TEXT,
    Chart,
    Column,
)
from msknet.insights.charts import (
    POINT_TYPE_TEXT,
    Figure,
    build,
    horizontal_reference,
    spc_layers,
)

from .figures import SeriesSPC
from .models import Measure, Rebase

X_MONTH = {"type": "temporal", "timeUnit": "utcyearmonthdate", "title": "Period",
           "axis": alt.Axis(format="%b %Y", labelAngle=0, tickCount=8)}


def monthly(series: SeriesSPC) -> bool:
    return all(p.period.day == 1 for p in series.points)


def spc_chart(chart_id: str, measure: Measure, series: SeriesSPC,
              rebases: list[Rebase]) -> Chart:
    """An XmR chart of one series; `series.chart` must be set."""
    xmr = series.chart
    assert xmr is not None
    period_kind = MONTH if monthly(series) else TEXT
    columns = (
        Column("period", "Period", period_kind),
        Figure("value", measure.heading),
        Figure("mean", "Mean"),
        Figure("lpl", "Lower process limit"),
        Figure("upl", "Upper process limit"),
        Column("point_type", "Variation"),
        Column("annotation", "Annotation"),
    )
    rows = [
        (d.period if period_kind == MONTH else d.period.isoformat(), p.value, p.mean,
         p.lpl, p.upl, POINT_TYPE_TEXT[p.point_type], d.annotation)
        for d, p in zip(series.points, xmr.points, strict=True)
    ]
    values = [
        {"period": d.period.isoformat(), "value": p.value, "mean": p.mean,
         "lpl": p.lpl, "upl": p.upl, "phase": p.rebase_group,
         "point_type": POINT_TYPE_TEXT[p.point_type], "annotation": d.annotation}
        for d, p in zip(series.points, xmr.points, strict=True)
    ]
    notes = [v for v in values if v["annotation"]]
    first, last = series.points[0].period, series.points[-1].period
    shown = [r for r in rebases if first <= r.period <= last]
    rebase_marks = [{"period": r.period.isoformat(),
                     "label": f"Limits recalculated: {r.reason[:40]}"}
                    for r in shown]
    x = alt.X("period", **X_MONTH)
    y_title = measure.heading
    layers: list[Any] = spc_layers(
        x, y_title=y_title, phased=True,
        when=alt.Tooltip("period:T", title="Period", format="%B %Y"),
        more_tooltips=[alt.Tooltip("annotation:N", title="Annotation")])
    if measure.target is not None:
        layers += horizontal_reference(measure.target, f"Target {measure.target:g}",
                                       colour=NHS_RED, dash=(2, 2))
    if notes:
        layers.append(
            alt.Chart(alt.Data(name="notes")).mark_text(
                align="left", angle=330, dx=6, dy=-12, color=NHS_TEXT, fontSize=12)
            .encode(x=x, y="value:Q", text="annotation:N"))
    if rebase_marks:
        layers += [
            alt.Chart(alt.Data(name="rebases")).mark_rule(
                color=NHS_TEXT, strokeDash=[1, 3], strokeWidth=2).encode(x=x),
            alt.Chart(alt.Data(name="rebases")).mark_text(
                align="left", baseline="top", dx=4, color=NHS_TEXT, fontSize=12)
            .encode(x=x, y=alt.value(4), text="label:N"),
        ]
    target = f" against a target of {measure.target:g}" if measure.target is not None \
        else ""
    description = (
        f"XmR chart of {measure.name} ({series.label.lower()}){target}: the values "
        "with their mean (solid line) and process limits (dashed lines). Points "
        "showing special cause variation are coloured and shaped by whether they are "
        "an improvement or a concern, as the legend and the table say in words."
        + (" Annotations label the points they describe." if notes else "")
        + (f" Dotted vertical lines mark where the limits were recalculated "
           f"({len(shown)})." if shown else "")
    )
    return build(chart_id, f"{measure.name}: {series.label.lower()}, statistical "
                 "process control", description, columns, rows, layers, values,
                 notes=notes, rebases=rebase_marks)
