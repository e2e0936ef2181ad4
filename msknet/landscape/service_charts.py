"""A service's charts, each with its table and CSV and JSON twins: waits and
referrals over time, and workforce by profession."""

from __future__ import annotations

from typing import Any

import altair as alt

from msknet.core.charts import (
    MONTH,
    NHS_BLUE,
    NHS_DARK_BLUE,
    NHS_WARM_YELLOW,
    NUMBER,
    VALIDATE_SPECS,
    Chart,
    Column,
    nhs_style,
)

from .models import Service, ServiceActivity, ServiceWorkforce


def number(value: Any) -> float | None:
    return None if value is None else float(value)


def activity_chart(service: Service, rows: list[ServiceActivity]) -> Chart:
    """Lines of the median and 90th-percentile waits, above bars of
    referrals a month, one point per period recorded."""
    columns = (
        Column("month", "Month", MONTH),
        Column("period_end", "Period ends"),
        Column("referrals_per_month", "Referrals a month", NUMBER),
        Column("median_wait_weeks", "Median wait (weeks)", NUMBER),
        Column("p90_wait_weeks", "90th-percentile wait (weeks)", NUMBER),
    )
    table = [(a.period_start, a.period_end.isoformat(), number(a.referrals_per_month),
              number(a.median_wait_weeks), number(a.p90_wait_weeks)) for a in rows]
    waits = [
        {"month": a.period_start.replace(day=1).isoformat(), "measure": measure,
         "weeks": number(value)}
        for a in rows
        for measure, value in (("Median wait", a.median_wait_weeks),
                               ("90th-percentile wait", a.p90_wait_weeks))
        if value is not None
    ]
    referrals = [{"month": a.period_start.replace(day=1).isoformat(),
                  "referrals": number(a.referrals_per_month)}
                 for a in rows if a.referrals_per_month is not None]
    description = (
        f"Line chart of the median and 90th-percentile waits in weeks for "
        f"{service.name} in each period recorded, the 90th percentile dashed, "
        f"above a bar chart of its referrals a month.")
    step = max(1, -(-len(rows) // 8))
    x = alt.X("month", type="temporal", timeUnit="utcyearmonth", title="Month",
              axis=alt.Axis(format="%b %Y", labelAngle=0,
                            tickCount={"interval": "month", "step": step}))
    month_tip = alt.Tooltip("month", type="temporal", timeUnit="utcyearmonth",
                            title="Month", format="%B %Y")
    waits_chart = (
        alt.Chart(alt.Data(values=waits), width=560, height=220)
        .mark_line(strokeWidth=3, point=True)
        .encode(
            x=x,
            y=alt.Y("weeks", type="quantitative", title="Wait (weeks)"),
            color=alt.Color("measure", type="nominal", title="Wait",
                            scale=alt.Scale(domain=["Median wait",
                                                    "90th-percentile wait"],
                                            range=[NHS_BLUE, NHS_DARK_BLUE])),
            strokeDash=alt.StrokeDash(
                "measure", type="nominal", title="Wait",
                scale=alt.Scale(domain=["Median wait", "90th-percentile wait"],
                                range=[[1, 0], [6, 4]])),
            tooltip=[month_tip, alt.Tooltip("measure", type="nominal", title="Wait"),
                     alt.Tooltip("weeks", type="quantitative", title="Weeks")],
        )
    )
    referrals_chart = (
        alt.Chart(alt.Data(values=referrals), width=560, height=140)
        .mark_bar(color=NHS_WARM_YELLOW)
        .encode(
            x=x,
            y=alt.Y("referrals", type="quantitative", title="Referrals a month"),
            tooltip=[month_tip, alt.Tooltip("referrals", type="quantitative",
                                            title="Referrals a month")],
        )
    )
    spec = nhs_style(
        alt.vconcat(waits_chart, referrals_chart, description=description)
    ).to_dict(validate=VALIDATE_SPECS)
    return Chart("service-activity", f"Waits and referrals at {service.name}",
                 description, columns, tuple(table), spec)


def workforce_chart(service: Service, rows: list[ServiceWorkforce]) -> Chart:
    """Stacked bars per profession on the latest date recorded: whole-time
    equivalents in post, then vacant."""
    as_of = rows[-1].as_of if rows else None
    columns = (
        Column("profession", "Profession"),
        Column("wte", "Whole-time equivalents in post", NUMBER),
        Column("vacancies_wte", "Vacant whole-time equivalents", NUMBER),
    )
    table = [(r.get_profession_display(), number(r.wte), number(r.vacancies_wte))
             for r in rows]
    values = [
        {"profession": r.get_profession_display(), "kind": kind, "order": i,
         "wte": number(value)}
        for r in rows
        for i, (kind, value) in enumerate((("In post", r.wte),
                                           ("Vacant", r.vacancies_wte)))
    ]
    when = f" on {as_of.day} {as_of:%B %Y}" if as_of else ""
    description = (
        f"Stacked bar chart of the whole-time equivalents in post and vacant in "
        f"each profession at {service.name}{when}.")
    spec = nhs_style(
        alt.Chart(alt.Data(values=values), description=description,
                  width="container")
        .mark_bar()
        .encode(
            y=alt.Y("profession", type="nominal", title="Profession"),
            x=alt.X("wte", type="quantitative", stack="zero",
                    title="Whole-time equivalents"),
            color=alt.Color("kind", type="nominal", title="",
                            scale=alt.Scale(domain=["In post", "Vacant"],
                                            range=[NHS_BLUE, NHS_WARM_YELLOW])),
            order=alt.Order("order", type="quantitative"),
            tooltip=[alt.Tooltip("profession", type="nominal", title="Profession"),
                     alt.Tooltip("kind", type="nominal", title="Staff"),
                     alt.Tooltip("wte", type="quantitative",
                                 title="Whole-time equivalents")],
        )
    ).to_dict(validate=VALIDATE_SPECS)
    return Chart("service-workforce", f"Workforce at {service.name}{when}",
                 description, columns, tuple(table), spec)
