"""Charts for the population-health pages, built on `msknet.core.charts`.

Each builder returns a `Chart`: a layered Vega-Lite spec plus the figures it
draws, so the page shows a table beside it and serves CSV and JSON twins.
Comparisons are never shown by colour alone: every coloured mark has a text
label, a shape or a legend, and the table says it in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from msknet.analytics import spc
from msknet.analytics.indicators import (
    BETTER,
    HIGHER,
    LOWER,
    NOT_COMPARED,
    SIMILAR,
    WORSE,
)
from msknet.core.charts import (
    NHS_BLUE,
    NHS_BRIGHT_BLUE,
    NHS_DARK_BLUE,
    NHS_DARK_GREY,
    NHS_GREEN,
    NHS_LIGHT_BLUE,
    NHS_MID_GREY,
    NHS_PALE_GREY,
    NHS_RED,
    NHS_TEXT,
    NHS_WARM_YELLOW,
    NUMBER,
    VALIDATE_SPECS,
    Chart,
    Column,
    Kind,
    nhs_style,
)

from . import figures
from .models import Indicator, Polarity
from .queries import AreaValue, FunnelArea, ProfileRow

NHS_ORANGE = "#ed8b00"
NHS_PURPLE = "#330072"

#: Fingertips' comparison colours, in NHS shades. Marks carry a dark outline
#: (the pale ones need it for contrast) and a word or shape as well.
COMPARISON_COLOURS = {
    BETTER: NHS_GREEN,
    SIMILAR: NHS_WARM_YELLOW,
    WORSE: NHS_RED,
    HIGHER: NHS_DARK_BLUE,
    LOWER: NHS_LIGHT_BLUE,
    NOT_COMPARED: "#ffffff",
}
COMPARISON_SHAPES = {
    BETTER: "triangle-up",
    SIMILAR: "circle",
    WORSE: "triangle-down",
    HIGHER: "triangle-up",
    LOWER: "triangle-down",
    NOT_COMPARED: "square",
}
POINT_TYPE_TEXT = {
    spc.PointType.COMMON_CAUSE: "Common cause variation",
    spc.PointType.SPECIAL_CAUSE_IMPROVEMENT: "Special cause: improvement",
    spc.PointType.SPECIAL_CAUSE_CONCERN: "Special cause: concern",
    spc.PointType.SPECIAL_CAUSE_NEUTRAL_HIGH: "Special cause: higher",
    spc.PointType.SPECIAL_CAUSE_NEUTRAL_LOW: "Special cause: lower",
}
POINT_TYPE_STYLE = {  # Making Data Count colours: grey, blue, orange, purple.
    spc.PointType.COMMON_CAUSE: (NHS_MID_GREY, "circle"),
    spc.PointType.SPECIAL_CAUSE_IMPROVEMENT: (NHS_BRIGHT_BLUE, "triangle-up"),
    spc.PointType.SPECIAL_CAUSE_CONCERN: (NHS_ORANGE, "triangle-down"),
    spc.PointType.SPECIAL_CAUSE_NEUTRAL_HIGH: (NHS_PURPLE, "diamond"),
    spc.PointType.SPECIAL_CAUSE_NEUTRAL_LOW: (NHS_PURPLE, "square"),
}
FUNNEL_STYLE = {
    "Above the 99.8% limit": (NHS_DARK_BLUE, "triangle-up"),
    "Above the 95% limit": (NHS_LIGHT_BLUE, "triangle-up"),
    "Within the limits": (NHS_MID_GREY, "circle"),
    "Below the 95% limit": (NHS_WARM_YELLOW, "triangle-down"),
    "Below the 99.8% limit": (NHS_ORANGE, "triangle-down"),
    "Not assessed (fewer than 10 events)": ("#ffffff", "square"),
}


@dataclass(frozen=True)
class Figure(Column):
    """A number shown to a fixed number of decimal places in the table."""

    kind: Kind = NUMBER
    places: int = 1

    def display(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:,.{self.places}f}"
        return f"{value:,}"


def outcomes(indicator: Indicator) -> list[str]:
    """The comparison outcomes an indicator can have, in legend order."""
    if indicator.polarity == Polarity.NO_JUDGEMENT:
        return [HIGHER, SIMILAR, LOWER, NOT_COMPARED]
    return [BETTER, SIMILAR, WORSE, NOT_COMPARED]


def comparison_color(indicator: Indicator, title: str = "Compared with England"
                     ) -> alt.Color:
    domain = outcomes(indicator)
    return alt.Color(
        "comparison:N",
        scale=alt.Scale(domain=domain, range=[COMPARISON_COLOURS[o] for o in domain]),
        legend=alt.Legend(title=title, orient="top", symbolStrokeColor=NHS_TEXT,
                          columns=2),  # two columns: four in a row can run off the edge
    )


def comparison_shape(indicator: Indicator) -> alt.Shape:
    domain = outcomes(indicator)
    return alt.Shape(
        "comparison:N",
        scale=alt.Scale(domain=domain, range=[COMPARISON_SHAPES[o] for o in domain]),
        legend=None,
    )


def styled(domain_styles: dict[str, tuple[str, str]], field: str, title: str
           ) -> tuple[alt.Color, alt.Shape]:
    """A colour and a shape for each label, sharing one legend."""
    domain = list(domain_styles)
    scale_c = alt.Scale(domain=domain, range=[c for c, _ in domain_styles.values()])
    scale_s = alt.Scale(domain=domain, range=[s for _, s in domain_styles.values()])
    legend = alt.Legend(title=title, orient="bottom", columns=3, labelLimit=400,
                        symbolStrokeColor=NHS_TEXT)
    return (alt.Color(f"{field}:N", scale=scale_c, legend=legend),
            alt.Shape(f"{field}:N", scale=scale_s, legend=legend))


def spc_layers(x: alt.X, *, y_title: str, when: alt.Tooltip, phased: bool = False,
               more_tooltips: Sequence[alt.Tooltip] = ()) -> list[Any]:
    """An XmR chart's marks, drawn the same way on every SPC chart in msknet.

    The values as a grey line, the mean solid, the process limits dashed (per
    rebase phase when `phased`), and each point coloured and shaped by its
    Making Data Count variation. The data need `value`, `mean`, `lpl`, `upl`
    and `point_type` (and `phase` when phased).
    """
    detail = {"detail": "phase:N"} if phased else {}
    colour, shape = styled({POINT_TYPE_TEXT[k]: v for k, v in POINT_TYPE_STYLE.items()},
                           "point_type", "Variation")
    return [
        alt.Chart().mark_line(color=NHS_MID_GREY, strokeWidth=2)
        .encode(x=x, y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))),
        alt.Chart().mark_line(color=NHS_TEXT, strokeWidth=2)
        .encode(x=x, y="mean:Q", **detail),
        alt.Chart().mark_line(color=NHS_DARK_GREY, strokeDash=[6, 3], strokeWidth=2)
        .encode(x=x, y="upl:Q", **detail),
        alt.Chart().mark_line(color=NHS_DARK_GREY, strokeDash=[6, 3], strokeWidth=2)
        .encode(x=x, y="lpl:Q", **detail),
        alt.Chart().mark_point(filled=True, size=90, stroke=NHS_TEXT, strokeWidth=0.5,
                               opacity=1)
        .encode(x=x, y="value:Q", color=colour, shape=shape,
                tooltip=[when, alt.Tooltip("value:Q", title="Value", format=",.1f"),
                         alt.Tooltip("point_type:N", title="Variation"),
                         *more_tooltips]),
    ]


def build(chart_id: str, title: str, description: str, columns: Sequence[Column],
          rows: list[tuple[Any, ...]], layers: list[Any], values: list[dict[str, Any]],
          height: Any = 320, **datasets: list[dict[str, Any]]) -> Chart:
    """Layer the marks over the spec data and wrap them with their figures.

    The data go in as named datasets after the spec is built: Altair copies
    inline data on every step, which is slow for hundreds of points.
    """
    chart = alt.layer(*layers, data=alt.Data(name="figures")).properties(
        width="container", height=height, description=description
    )
    spec = nhs_style(chart).to_dict(validate=VALIDATE_SPECS)
    # Keep Altair's own datasets: the one-row data of reference lines and labels.
    spec["datasets"] = {**spec.get("datasets", {}), "figures": values, **datasets}
    return Chart(chart_id, title, description, tuple(columns), tuple(rows), spec)


def once() -> alt.Data:
    """One empty row, so a reference line or label is drawn once: a mark on
    the figures would be drawn once per row, the copies smudging its text."""
    return alt.Data(values=[{}])


def vertical_reference(value: float, label: str, *, high: float,
                       colour: str = NHS_TEXT) -> list[Any]:
    """A dashed vertical line at `value` with its label above the plot, once.

    `high` is the largest value on the x axis: past halfway the label is
    right-aligned to the line, so it never runs off the chart's right edge.
    """
    right = high > 0 and value > high / 2
    return [
        alt.Chart(once()).mark_rule(color=colour, strokeDash=[6, 3], strokeWidth=2)
        .encode(x=alt.datum(value)),
        alt.Chart(once()).mark_text(
            align="right" if right else "left", dx=-4 if right else 4,
            baseline="bottom", dy=-4, color=NHS_TEXT, fontWeight="bold")
        .encode(x=alt.datum(value), y=alt.value(0), text=alt.value(label)),
    ]


def horizontal_reference(value: float, label: str, *, colour: str = NHS_TEXT,
                         dash: Sequence[int] = (6, 3)) -> list[Any]:
    """A dashed horizontal line at `value` labelled once, inside the plot at
    the left, just above the line."""
    return [
        alt.Chart(once()).mark_rule(color=colour, strokeDash=list(dash), strokeWidth=2)
        .encode(y=alt.datum(value)),
        alt.Chart(once()).mark_text(align="left", dx=4, baseline="bottom", dy=-4,
                                    color=NHS_TEXT, fontWeight="bold")
        .encode(x=alt.value(0), y=alt.datum(value), text=alt.value(label)),
    ]


#: Category labels of two lines, split at ": ", so a long name cannot push
#: what follows it (its comparison with England) out of sight.
TWO_LINE_LABELS = alt.Axis(labelExpr="split(datum.value, ': ')", labelLimit=400,
                           labelLineHeight=17)


def area_label(a: AreaValue | FunnelArea) -> str:
    return f"{a.area.short_name} (this network)" if a.in_network else a.area.short_name


def unit_heading(indicator: Indicator) -> str:
    return f"Value ({indicator.unit})" if indicator.unit else "Value"


# The indicator page -------------------------------------------------------------

def icb_bar_chart(indicator: Indicator, period: str, england: float | None,
                  areas: list[AreaValue]) -> Chart:
    """ICBs as bars with 95% error bars, England as a line, coloured by comparison."""
    columns = (
        Column("area", "Integrated care board"),
        Column("code", "Area code"),
        Figure("value", unit_heading(indicator)),
        Figure("lower_95", "Lower 95% limit"),
        Figure("upper_95", "Upper 95% limit"),
        Figure("count", "Count", places=0),
        Figure("denominator", "Denominator", places=0),
        Figure("england", "England", places=1),
        Column("comparison", "Compared with England"),
        Column("in_network", "In this network"),
    )
    rows = [
        (a.area.name, a.area.code, a.value.value, a.value.lower_95, a.value.upper_95,
         a.value.count, a.value.denominator, england, a.vs_england,
         "Yes" if a.in_network else "No")
        for a in areas
    ]
    values = [
        {"label": f"{area_label(a)}: {a.vs_england}", "area": a.area.name,
         "value": a.value.value, "lower": a.value.lower_95, "upper": a.value.upper_95,
         "comparison": a.vs_england, "network": a.in_network}
        for a in areas
    ]
    y = alt.Y("label:N", sort=None, title=None, axis=TWO_LINE_LABELS)
    tooltip = [alt.Tooltip("area:N", title="Area"),
               alt.Tooltip("value:Q", title="Value", format=",.1f"),
               alt.Tooltip("lower:Q", title="Lower 95%", format=",.1f"),
               alt.Tooltip("upper:Q", title="Upper 95%", format=",.1f"),
               alt.Tooltip("comparison:N", title="Compared with England")]
    layers = [
        alt.Chart().mark_bar(stroke=NHS_TEXT).encode(
            y=y, x=alt.X("value:Q", title=unit_heading(indicator)),
            color=comparison_color(indicator),
            strokeWidth=alt.condition("datum.network", alt.value(3), alt.value(0.5)),
            tooltip=tooltip,
        ),
        alt.Chart().mark_rule(color=NHS_TEXT, strokeWidth=2).encode(
            y=y, x="lower:Q", x2="upper:Q"),
    ]
    if england is not None:
        high = max([england, *(v for a in areas
                               for v in (a.value.value, a.value.upper_95) if v)])
        layers += vertical_reference(england, f"England {england:,.1f}", high=high)
    return build(
        "icb-values", f"{indicator.name}: integrated care boards, {period}",
        f"Bar chart of each integrated care board's value for {period} with its 95% "
        "confidence interval as an error bar. The dashed line is England's value. "
        "Each bar is coloured, and labelled in words, by its comparison with England; "
        "bars with a thick outline are this network's.",
        columns, rows, layers, values, height=alt.Step(40),
    )


# The area profile ---------------------------------------------------------------

def spine_position(row: ProfileRow, value: float | None) -> float | None:
    """Where a value sits on the spine: England at 0, the widest side at ±1.

    Lower-is-better indicators are reversed so that better is always right.
    """
    if value is None or row.england is None or row.lowest is None:
        return None
    assert row.highest is not None
    reach = max(abs(row.england - row.lowest), abs(row.highest - row.england),
                abs((row.value.value or row.england) - row.england))
    if reach == 0:
        return 0.0
    sign = -1 if row.indicator.polarity == Polarity.LOWER_IS_BETTER else 1
    return sign * (value - row.england) / reach


def spine_chart(area_name: str, rows: list[ProfileRow]) -> Chart:
    columns = (
        Column("indicator", "Indicator"),
        Column("period", "Period"),
        Column("unit", "Unit"),
        Figure("value", area_name),
        Figure("england", "England"),
        Figure("lowest", "Lowest ICB"),
        Figure("q25", "25th percentile"),
        Figure("q75", "75th percentile"),
        Figure("highest", "Highest ICB"),
        Column("comparison", "Compared with England"),
        Column("polarity", "Polarity"),
    )
    table = [
        (r.indicator.name, r.period, r.indicator.unit, r.value.value, r.england,
         r.lowest, r.q25, r.q75, r.highest, r.vs_england,
         r.indicator.get_polarity_display())
        for r in rows
    ]
    values = []
    for r in rows:
        ends = [spine_position(r, v) for v in (r.lowest, r.highest)]
        box = [spine_position(r, v) for v in (r.q25, r.q75)]
        marker = spine_position(r, r.value.value)
        if marker is None:
            continue
        values.append({
            "indicator": f"{r.indicator.name}: {r.vs_england}",
            "start": min(ends), "end": max(ends),  # type: ignore[type-var]
            "box_start": min(box), "box_end": max(box),  # type: ignore[type-var]
            "position": marker, "comparison": r.vs_england,
            "value": r.value.value, "england": r.england, "unit": r.indicator.unit,
        })
    y = alt.Y("indicator:N", sort=None, title=None,
              axis=alt.Axis(labelLimit=480))
    # The end labels lean inwards from their ticks, so neither is cut off.
    x_axis = alt.Axis(values=[-1, 0, 1], grid=False, labelAlign={"expr": (
        "datum.value < 0 ? 'left' : datum.value > 0 ? 'right' : 'center'")},
        labelExpr=("datum.value < 0 ? 'Worse or lower' : datum.value > 0 ? "
                   "'Better or higher' : 'England'"))
    x = alt.X("start:Q", scale=alt.Scale(domain=[-1.05, 1.05]), axis=x_axis,
              title="Compared with England (better to the right)")
    domain = [BETTER, SIMILAR, WORSE, HIGHER, LOWER, NOT_COMPARED]
    colour = alt.Color("comparison:N", scale=alt.Scale(
        domain=domain, range=[COMPARISON_COLOURS[d] for d in domain]),
        legend=alt.Legend(title="Compared with England", orient="top",
                          symbolStrokeColor=NHS_TEXT))
    shape = alt.Shape("comparison:N", scale=alt.Scale(
        domain=domain, range=[COMPARISON_SHAPES[d] for d in domain]),
        legend=alt.Legend(title="Compared with England", orient="top"))
    layers = [
        alt.Chart().mark_bar(color=NHS_PALE_GREY, stroke=NHS_MID_GREY, height=14)
        .encode(y=y, x=x, x2="end:Q"),
        alt.Chart().mark_bar(color=NHS_MID_GREY, height=14)
        .encode(y=y, x="box_start:Q", x2="box_end:Q"),
        alt.Chart(once()).mark_rule(color=NHS_RED, strokeWidth=3)
        .encode(x=alt.datum(0)),
        alt.Chart().mark_point(filled=True, size=220, stroke=NHS_TEXT, strokeWidth=1.5,
                               opacity=1)
        .encode(y=y, x="position:Q", color=colour, shape=shape,
                tooltip=[alt.Tooltip("indicator:N", title="Indicator"),
                         alt.Tooltip("value:Q", title=area_name, format=",.1f"),
                         alt.Tooltip("england:Q", title="England", format=",.1f"),
                         alt.Tooltip("unit:N", title="Unit")]),
    ]
    return build(
        "spine", f"{area_name} compared with England",
        f"Spine chart: one row per indicator. The pale bar spans the lowest to the "
        f"highest integrated care board, the dark box the 25th to 75th percentiles, "
        f"and the red line is England. The marker is {area_name}, coloured and shaped "
        "by its comparison with England, which each row's label also gives in words. "
        "Rows are oriented so that better is to the right (higher to the right where "
        "there is no judgement).",
        columns, table, layers, values, height=alt.Step(36),
    )


# The trend page -----------------------------------------------------------------

def trend_chart(indicator: Indicator, area_name: str, series: list[AreaValue]
                ) -> Chart:
    columns = (
        Column("period", "Period"),
        Figure("value", unit_heading(indicator)),
        Figure("lower_95", "Lower 95% limit"),
        Figure("upper_95", "Upper 95% limit"),
        Figure("count", "Count", places=0),
        Figure("denominator", "Denominator", places=0),
        Figure("england", "England"),
        Column("comparison", "Compared with England"),
    )
    rows = [
        (a.value.period, a.value.value, a.value.lower_95, a.value.upper_95,
         a.value.count, a.value.denominator, a.england, a.vs_england or NOT_COMPARED)
        for a in series
    ]
    values = [
        {"period": a.value.period, "value": a.value.value, "lower": a.value.lower_95,
         "upper": a.value.upper_95, "england": a.england,
         "comparison": a.vs_england or NOT_COMPARED}
        for a in series
    ]
    x = alt.X("period:O", sort=None, title="Period", axis=alt.Axis(labelAngle=-45))
    layers = [
        alt.Chart().mark_rule(color=NHS_DARK_GREY, strokeWidth=2)
        .encode(x=x, y="lower:Q", y2="upper:Q"),
        alt.Chart().mark_line(color=NHS_BLUE, strokeWidth=3)
        .encode(x=x, y=alt.Y("value:Q", title=unit_heading(indicator),
                             scale=alt.Scale(zero=False))),
        alt.Chart().mark_point(filled=True, size=120, stroke=NHS_TEXT, opacity=1)
        .encode(x=x, y="value:Q", color=comparison_color(indicator),
                shape=comparison_shape(indicator),
                tooltip=[alt.Tooltip("period:N", title="Period"),
                         alt.Tooltip("value:Q", title=area_name, format=",.1f"),
                         alt.Tooltip("england:Q", title="England", format=",.1f"),
                         alt.Tooltip("comparison:N", title="Compared with England")]),
    ]
    if any(a.england is not None for a in series) and series[0].area.code != "E92000001":
        layers.append(
            alt.Chart().mark_line(color=NHS_TEXT, strokeDash=[6, 3], strokeWidth=2,
                                  point=alt.OverlayMarkDef(shape="cross", color=NHS_TEXT))
            .encode(x=x, y="england:Q")
        )
    return build(
        "trend", f"{indicator.name}: {area_name} over time",
        f"Line chart of {area_name}'s value in each period with 95% confidence "
        "intervals as vertical bars; the dashed line with crosses is England. Each "
        "point is coloured and shaped by its comparison with England.",
        columns, rows, layers, values,
    )


def spc_chart(indicator: Indicator, area_name: str, periods: list[str],
              chart: spc.XmRChart) -> Chart:
    columns = (
        Column("period", "Period"),
        Figure("value", unit_heading(indicator)),
        Figure("mean", "Mean"),
        Figure("lpl", "Lower process limit"),
        Figure("upl", "Upper process limit"),
        Column("point_type", "Variation"),
    )
    rows = [
        (period, p.value, p.mean, p.lpl, p.upl, POINT_TYPE_TEXT[p.point_type])
        for period, p in zip(periods, chart.points, strict=True)
    ]
    values = [dict(zip([c.key for c in columns], row, strict=True)) for row in rows]
    x = alt.X("period:O", sort=None, title="Period", axis=alt.Axis(labelAngle=-45))
    layers = spc_layers(x, y_title=unit_heading(indicator),
                        when=alt.Tooltip("period:N", title="Period"))
    return build(
        "spc", f"{indicator.name}: {area_name}, statistical process control",
        "XmR chart: the series with its mean (solid line) and process limits (dashed "
        "lines). Points showing special cause variation are coloured and shaped by "
        "whether they are an improvement or a concern.",
        columns, rows, layers, values,
    )


# The inequality page ------------------------------------------------------------

def category_chart(indicator: Indicator, area_name: str, period: str,
                   rows_: list[figures.RankedRow], overall: float | None) -> Chart:
    columns = (
        Column("group", "Deprivation group"),
        Figure("rank", "Rank (1 = most deprived)", places=0),
        Figure("value", unit_heading(indicator)),
        Figure("lower_95", "Lower 95% limit"),
        Figure("upper_95", "Upper 95% limit"),
        Figure("count", "Count", places=0),
        Figure("denominator", "Denominator", places=0),
    )
    rows = [
        (r.value.category, r.rank, r.value.value, r.value.lower_95, r.value.upper_95,
         r.value.count, r.value.denominator)
        for r in rows_
    ]
    values = [
        {"group": r.value.category, "value": r.value.value,
         "lower": r.value.lower_95, "upper": r.value.upper_95}
        for r in rows_
    ]
    y = alt.Y("group:N", sort=None, title=None)
    layers = [
        alt.Chart().mark_bar(color=NHS_BLUE).encode(
            y=y, x=alt.X("value:Q", title=unit_heading(indicator)),
            tooltip=[alt.Tooltip("group:N", title="Group"),
                     alt.Tooltip("value:Q", title="Value", format=",.1f"),
                     alt.Tooltip("lower:Q", title="Lower 95%", format=",.1f"),
                     alt.Tooltip("upper:Q", title="Upper 95%", format=",.1f")]),
        alt.Chart().mark_rule(color=NHS_TEXT, strokeWidth=2)
        .encode(y=y, x="lower:Q", x2="upper:Q"),
    ]
    if overall is not None:
        high = max([overall, *(v for r in rows_
                               for v in (r.value.value, r.value.upper_95) if v)])
        layers += vertical_reference(overall, f"{area_name} overall {overall:,.1f}",
                                     high=high)
    return build(
        "by-deprivation", f"{indicator.name}: {area_name} by deprivation, {period}",
        f"Bar chart of the value in each deprivation group, most deprived first, with "
        f"95% confidence intervals as error bars; the dashed line is {area_name}'s "
        "overall value.",
        columns, rows, layers, values, height=alt.Step(28),
    )


def sii_chart(indicator: Indicator, area_name: str, siis: list[figures.PeriodSII]
              ) -> Chart:
    columns = (
        Column("period", "Period"),
        Figure("sii", "Slope index of inequality (SII)", places=2),
        Figure("sii_lower", "SII lower 95% limit", places=2),
        Figure("sii_upper", "SII upper 95% limit", places=2),
        Figure("rii", "Relative index of inequality (RII)", places=3),
        Figure("rii_lower", "RII lower 95% limit", places=3),
        Figure("rii_upper", "RII upper 95% limit", places=3),
    )
    rows = [
        (s.period, s.result.sii, s.result.sii_lower, s.result.sii_upper,
         s.result.rii, s.result.rii_lower, s.result.rii_upper)
        for s in siis if s.result is not None
    ]
    values = [{"period": r[0], "sii": r[1], "lower": r[2], "upper": r[3]} for r in rows]
    x = alt.X("period:O", sort=None, title="Period", axis=alt.Axis(labelAngle=-45))
    layers = [
        alt.Chart(once()).mark_rule(color=NHS_TEXT, strokeDash=[2, 2])
        .encode(y=alt.datum(0)),
        alt.Chart().mark_rule(color=NHS_DARK_GREY, strokeWidth=2)
        .encode(x=x, y="lower:Q", y2="upper:Q"),
        alt.Chart().mark_line(color=NHS_BLUE, strokeWidth=3,
                              point=alt.OverlayMarkDef(color=NHS_BLUE, size=80))
        .encode(x=x, y=alt.Y("sii:Q", title=f"SII ({indicator.unit or 'value units'})"),
                tooltip=[alt.Tooltip("period:N", title="Period"),
                         alt.Tooltip("sii:Q", title="SII", format=",.2f"),
                         alt.Tooltip("lower:Q", title="Lower 95%", format=",.2f"),
                         alt.Tooltip("upper:Q", title="Upper 95%", format=",.2f")]),
    ]
    return build(
        "sii-over-time", f"{indicator.name}: {area_name}, slope index of inequality "
        "over time",
        "Line chart of the slope index of inequality in each period with its 95% "
        "confidence interval as a vertical bar; the dotted line is zero (no gap).",
        columns, rows, layers, values,
    )


# The funnel plot ----------------------------------------------------------------

def funnel_chart(indicator: Indicator, period: str, scope: str,
                 areas: list[FunnelArea], funnel: figures.Funnel) -> Chart:
    denominator_heading = (
        "Denominator" if funnel.statistic == "proportion"
        else "Population (from count and rate)"
    )
    columns = (
        Column("area", "Area"),
        Column("code", "Area code"),
        Figure("value", unit_heading(indicator)),
        Figure("count", "Count", places=0),
        Figure("denominator", denominator_heading, places=0),
        Column("position", "Position on the funnel"),
        Column("label", "Significance"),
        Column("in_network", "In this network"),
    )
    rows = [
        (a.area.name, a.area.code, a.value.value, a.value.count, denominator,
         figures.FUNNEL_TEXT[label], label, "Yes" if a.in_network else "No")
        for a, denominator, label in zip(areas, funnel.denominators, funnel.labels,
                                         strict=True)
    ]
    values: list[dict[str, Any]] = [
        {"area": area_label(a), "value": a.value.value, "denominator": d,
         "position": figures.FUNNEL_TEXT[label], "network": a.in_network}
        for a, d, label in zip(areas, funnel.denominators, funnel.labels, strict=True)
    ]
    limits = [
        {"line": name, "level": name.split(" ")[0], "denominator": d, "limit": v}
        for name, points in funnel.limits.items() for d, v in points
    ]
    spread = max(funnel.denominators) / max(min(funnel.denominators), 1)
    x_scale = alt.Scale(type="log") if spread > 20 else alt.Scale(zero=False)
    x = alt.X("denominator:Q", title=denominator_heading, scale=x_scale)
    colour, shape = styled(FUNNEL_STYLE, "position", "Position on the funnel")
    layers = [
        alt.Chart(alt.Data(name="limits")).mark_line(color=NHS_DARK_GREY)
        .encode(x=x, y=alt.Y("limit:Q", title=unit_heading(indicator),
                             scale=alt.Scale(zero=False)),
                detail="line:N",
                strokeDash=alt.StrokeDash(
                    "level:N", title="Control limits",
                    scale=alt.Scale(domain=["95%", "99.8%"], range=[[6, 3], [1, 0]]),
                    legend=alt.Legend(orient="top"))),
        alt.Chart(once()).mark_rule(color=NHS_TEXT, strokeWidth=2)
        .encode(y=alt.datum(funnel.baseline)),
        alt.Chart().mark_point(filled=True, size=110, opacity=1, stroke=NHS_TEXT)
        .encode(x=x, y="value:Q", color=colour, shape=shape,
                strokeWidth=alt.condition("datum.network", alt.value(3), alt.value(0.5)),
                tooltip=[alt.Tooltip("area:N", title="Area"),
                         alt.Tooltip("value:Q", title="Value", format=",.1f"),
                         alt.Tooltip("denominator:Q", title=denominator_heading,
                                     format=",.0f"),
                         alt.Tooltip("position:N", title="Position")]),
    ]
    return build(
        "funnel", f"{indicator.name}: {scope}, {period}",
        f"Funnel plot of each area's value against its {denominator_heading.lower()}. "
        f"The solid horizontal line is {funnel.baseline_source}'s value; the dashed "
        "curves are the 95% control limits and the solid curves the 99.8% limits. "
        "Points are coloured and shaped by their position on the funnel; this "
        "network's areas have a thick outline.",
        columns, rows, layers, values, height=380, limits=limits,
    )
