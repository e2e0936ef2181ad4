"""Charts for the prescribing pages, built on `msknet.core.charts`.

The decile chart is OpenPrescribing's: the organisation's monthly value as a
solid line against England's 10th to 90th percentiles (dashed) and median
(solid). Every line and mark is named in a legend or label, never by colour
alone, and each chart carries its figures for the table and downloads.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np

from msknet.analytics import phe
from msknet.analytics import prescribing as rx
from msknet.core.charts import (
    MONTH,
    NHS_BLUE,
    NHS_DARK_BLUE,
    NHS_DARK_GREY,
    NHS_RED,
    NHS_TEXT,
    Chart,
    Column,
)
from msknet.insights.charts import (
    FUNNEL_STYLE,
    POINT_TYPE_TEXT,
    TWO_LINE_LABELS,
    Figure,
    build,
    once,
    spc_layers,
    styled,
    vertical_reference,
)
from msknet.insights.figures import FUNNEL_TEXT

from .queries import DECILES, ICBLatest, MeasurePage, month_date

MEDIAN = "England median (50th percentile)"
DECILE_LINES = "England deciles (10th to 90th percentile)"
X_MONTH = {"type": "temporal", "timeUnit": "utcyearmonth", "title": "Month",
           "axis": alt.Axis(format="%b %Y", labelAngle=0, tickCount=8)}


def value_heading(measure: rx.Measure) -> str:
    return f"Value ({measure.unit})"


def month_spec(month: str) -> str:
    return f"{month}-01"


def decile_chart(page: MeasurePage, level_name: str) -> Chart:
    m = page.measure
    columns = (
        Column("month", "Month", MONTH),
        Figure("value", page.org_name),
        Figure("numerator", "Numerator", places=0),
        Figure("denominator", "Registered patients", places=0),
        *(Figure(d, f"{d[1:]}th percentile") for d in DECILES),
    )
    rows = [
        (month_date(r.month), r.value, r.numerator, r.denominator,
         *(r.deciles[d] for d in DECILES))
        for r in page.series
    ]
    lines: list[dict[str, Any]] = []
    for r in page.series:
        for d in DECILES:
            if r.deciles[d] is not None:
                lines.append({"month": month_spec(r.month), "line": d,
                              "series": MEDIAN if d == "p50" else DECILE_LINES,
                              "value": r.deciles[d]})
        if r.value is not None:
            lines.append({"month": month_spec(r.month), "line": "org",
                          "series": page.org_name, "value": r.value})
    domain = [page.org_name, MEDIAN, DECILE_LINES]
    legend = alt.Legend(title=None, orient="top", labelLimit=400, symbolStrokeWidth=3)
    layers = [
        alt.Chart().mark_line().encode(
            x=alt.X("month", **X_MONTH),
            y=alt.Y("value:Q", title=value_heading(m), scale=alt.Scale(zero=False)),
            detail="line:N",
            color=alt.Color("series:N", scale=alt.Scale(
                domain=domain, range=[NHS_RED, NHS_DARK_BLUE, NHS_BLUE]), legend=legend),
            strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(
                domain=domain, range=[[1, 0], [1, 0], [6, 4]]), legend=legend),
            strokeWidth=alt.StrokeWidth("series:N", scale=alt.Scale(
                domain=domain, range=[3, 2, 1.5]), legend=None),
            tooltip=[alt.Tooltip("month:T", title="Month", format="%B %Y"),
                     alt.Tooltip("series:N", title="Line"),
                     alt.Tooltip("value:Q", title="Value", format=",.1f")],
        ),
        alt.Chart(alt.Data(name="own")).mark_point(
            filled=True, color=NHS_RED, size=50, opacity=1
        ).encode(x=alt.X("month", **X_MONTH), y="value:Q"),
    ]
    own = [v for v in lines if v["line"] == "org"]
    return build(
        "deciles", f"{m.title}: {page.org_name} against England's deciles",
        f"Line chart of {page.org_name}'s value each month (solid line with points) "
        f"against the deciles of every {level_name} in England: the 10th to 90th "
        "percentiles as dashed lines and the median as a solid dark blue line.",
        columns, rows, layers, lines, own=own,
    )


def spc_chart(page: MeasurePage) -> Chart:
    assert page.xmr is not None
    m = page.measure
    columns = (
        Column("month", "Month", MONTH),
        Figure("value", value_heading(m)),
        Figure("mean", "Mean"),
        Figure("lpl", "Lower process limit"),
        Figure("upl", "Upper process limit"),
        Column("point_type", "Variation"),
    )
    rows = [
        (month_date(month), p.value, p.mean, p.lpl, p.upl, POINT_TYPE_TEXT[p.point_type])
        for month, p in zip(page.xmr_months, page.xmr.points, strict=True)
    ]
    values = [
        {"month": month_spec(month), "value": p.value, "mean": p.mean, "lpl": p.lpl,
         "upl": p.upl, "point_type": POINT_TYPE_TEXT[p.point_type]}
        for month, p in zip(page.xmr_months, page.xmr.points, strict=True)
    ]
    x = alt.X("month", **X_MONTH)
    layers = spc_layers(x, y_title=value_heading(m),
                        when=alt.Tooltip("month:T", title="Month", format="%B %Y"))
    return build(
        "spc", f"{m.title}: {page.org_name}, statistical process control",
        "XmR chart: the monthly values with their mean (solid line) and process limits "
        "(dashed lines). Points showing special cause variation are coloured and "
        "shaped by whether they are an improvement or a concern, as the legend and "
        "the table say in words.",
        columns, rows, layers, values,
    )


FUNNEL_GRID_POINTS = 300


def funnel_limits(denominators: list[float], baseline: float, per: int,
                  tau2: float = 0.0) -> list[dict[str, Any]]:
    """Limit curves around ``baseline``. Poisson: k events sit on a limit at
    the population where they are that improbable (``phe.poisson_funnel``).
    With ``tau2`` > 0, Spiegelhalter's limits adjusted for over-dispersion
    (``phe.adjusted_rate_limits``)."""
    rate = baseline / per
    low, high = min(denominators) * 0.8, max(denominators) * 1.2
    if rate <= 0 or high <= 0:
        return []
    if tau2 > 0:
        grid = np.geomspace(max(low, 1.0), max(high, 2.0), FUNNEL_GRID_POINTS)
        adjusted: list[dict[str, Any]] = []
        for level, p in (("95%", 0.025), ("99.8%", 0.001)):
            lower, upper = phe.adjusted_rate_limits(grid, baseline, tau2, p, per)
            for name, curve in (("upper", upper), ("lower", lower)):
                adjusted += [
                    {"line": f"{level} {name}", "level": level, "denominator": float(n),
                     "limit": float(v)}
                    for n, v in zip(grid, curve, strict=True)
                ]
        return adjusted
    k = np.unique(np.round(np.geomspace(max(1.0, low * rate * 0.5),
                                        max(2.0, high * rate * 1.5),
                                        FUNNEL_GRID_POINTS)))
    out: list[dict[str, Any]] = []
    for level, p in (("95%", 0.025), ("99.8%", 0.001)):
        for name, side in (("upper", "low"), ("lower", "high")):
            expected = np.asarray(phe.poisson_funnel(k, p, side))  # type: ignore[arg-type]
            population = expected / rate
            keep = (population >= low) & (population <= high)
            out += [
                {"line": f"{level} {name}", "level": level, "denominator": float(pop),
                 "limit": float(events / pop * per)}
                for pop, events in zip(population[keep], k[keep], strict=True)
            ]
    return out


def funnel_chart(page: MeasurePage, level_name: str, names: dict[str, str]) -> Chart:
    m = page.measure
    assert page.funnel_baseline is not None
    columns = (
        Column("org", level_name.capitalize()),
        Column("code", "Code"),
        Figure("value", value_heading(m)),
        Figure("numerator", "Numerator", places=0),
        Figure("denominator", "Registered patients", places=0),
        Column("position", "Position on the funnel"),
        Column("this", "This organisation"),
    )
    rows = [
        (names.get(p.org_code, p.org_code), p.org_code, p.value, p.numerator,
         p.denominator, FUNNEL_TEXT[p.label], "Yes" if p.org_code == page.org_code else "No")
        for p in page.funnel
    ]
    values = [
        {"org": names.get(p.org_code, p.org_code), "value": p.value,
         "denominator": p.denominator, "position": FUNNEL_TEXT[p.label],
         "this": p.org_code == page.org_code}
        for p in page.funnel
    ]
    denominators = [p.denominator for p in page.funnel]
    spread = max(denominators) / max(min(denominators), 1)
    x_scale = alt.Scale(type="log") if spread > 20 else alt.Scale(zero=False)
    x = alt.X("denominator:Q", title="Registered patients", scale=x_scale)
    colour, shape = styled(FUNNEL_STYLE, "position", "Position on the funnel")
    own = [v for v in values if v["this"]]
    adjusted = page.funnel_adjusted
    limits_name = ("Control limits, adjusted for over-dispersion" if adjusted
                   else "Poisson control limits")
    layers = [
        alt.Chart(alt.Data(name="limits")).mark_line(color=NHS_DARK_GREY)
        .encode(x=x, y=alt.Y("limit:Q", title=value_heading(m),
                             scale=alt.Scale(zero=False)),
                detail="line:N",
                strokeDash=alt.StrokeDash(
                    "level:N", title=limits_name,
                    scale=alt.Scale(domain=["95%", "99.8%"], range=[[6, 3], [1, 0]]),
                    legend=alt.Legend(orient="top", titleLimit=600))),
        alt.Chart(once()).mark_rule(color=NHS_TEXT, strokeWidth=2)
        .encode(y=alt.datum(page.funnel_baseline)),
        alt.Chart().mark_point(filled=True, size=90, opacity=1, stroke=NHS_TEXT,
                               strokeWidth=0.5)
        .encode(x=x, y="value:Q", color=colour, shape=shape,
                tooltip=[alt.Tooltip("org:N", title=level_name.capitalize()),
                         alt.Tooltip("value:Q", title="Value", format=",.1f"),
                         alt.Tooltip("denominator:Q", title="Registered patients",
                                     format=",.0f"),
                         alt.Tooltip("position:N", title="Position")]),
        alt.Chart(alt.Data(name="own")).mark_point(
            size=400, stroke=NHS_RED, strokeWidth=3, filled=False, opacity=1
        ).encode(x=x, y="value:Q"),
        alt.Chart(alt.Data(name="own")).mark_text(
            align="left", dx=14, dy=-10, color=NHS_TEXT, fontWeight="bold"
        ).encode(x=x, y="value:Q", text=alt.value(f"{page.org_name} (this page)")),
    ]
    which = ("control limits adjusted for over-dispersion (Spiegelhalter's "
             "random-effects method), as these values vary more than chance alone "
             "would make them" if adjusted else "Poisson control limits")
    return build(
        "funnel", f"{m.title}: every {level_name} in England, {page.funnel_month}",
        f"Funnel plot of each {level_name}'s value against its registered patients in "
        f"{page.funnel_month}. The solid horizontal line is the pooled value of all "
        f"of them; the dashed curves are the 95% {which}, and the solid curves the "
        "99.8% limits. Points are coloured and shaped by their position on "
        f"the funnel; {page.org_name} is circled in red and labelled.",
        columns, rows, layers, values, height=380,
        limits=funnel_limits(denominators, page.funnel_baseline, m.per,
                             page.funnel_tau2), own=own,
    )


def icb_chart(measure: rx.Measure, month: str, england: float | None,
              icbs: list[ICBLatest]) -> Chart:
    columns = (
        Column("icb", "Integrated care board"),
        Column("code", "ICB code"),
        Figure("value", value_heading(measure)),
        Figure("england", "England"),
        Column("compared", "Compared with England"),
    )
    shown = [i for i in icbs if i.value is not None]
    rows = [(i.icb.name, i.icb.ods_code, i.value, england, higher_or_lower(i.value, england))
            for i in shown]
    values = [{"label": f"{i.icb.short_name}: {higher_or_lower(i.value, england)}",
               "icb": i.icb.name, "value": i.value} for i in shown]
    y = alt.Y("label:N", sort=None, title=None, axis=TWO_LINE_LABELS)
    layers: list[Any] = [
        alt.Chart().mark_bar(color=NHS_BLUE).encode(
            y=y, x=alt.X("value:Q", title=value_heading(measure)),
            tooltip=[alt.Tooltip("icb:N", title="ICB"),
                     alt.Tooltip("value:Q", title="Value", format=",.1f")]),
    ]
    if england is not None:
        high = max([england, *(i.value for i in shown if i.value is not None)])
        layers += vertical_reference(england, f"England {england:,.1f}", high=high)
    return build(
        "icbs", f"{measure.title}: this network's integrated care boards, {month}",
        f"Bar chart of each of the network's integrated care boards' value in {month}; "
        "the dashed line is England's value. Each bar's label says whether it is "
        "higher or lower than England.",
        columns, rows, layers, values, height=alt.Step(44),
    )


def higher_or_lower(value: float | None, england: float | None) -> str:
    if value is None or england is None:
        return "Not compared"
    if value > england:
        return "Higher than England"
    if value < england:
        return "Lower than England"
    return "Same as England"

