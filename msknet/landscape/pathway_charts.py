"""The landscape's charts, each with its table and CSV/JSON twins: the tile map
of steps covered, waits and workforce by ICB (or place), and waits over time;
and the pathway's place × step grid as CSV."""

from __future__ import annotations

import csv
import io

import altair as alt

from msknet.core.charts import (
    MONTH,
    NHS_BLUE,
    NHS_DARK_BLUE,
    NUMBER,
    VALIDATE_SPECS,
    Chart,
    Column,
    csv_safe,
    nhs_style,
    spec_data,
)
from msknet.core.tilemap import tile_map

from .models import PATHWAY
from .pathway_queries import IcbCoverage, Pathway, Variation

CELL_TEXT = {"covered": "✓ Service in place", "icb-wide": "✓ ICB-wide service",
             "gap": "Gap"}


def map_chart(coverage: list[IcbCoverage]) -> Chart:
    """The tile map: the network's ICBs shaded by pathway steps covered."""
    columns = (Column("icb", "ICB"), Column("ods_code", "ODS code"),
               Column("services", "Services recorded", NUMBER),
               Column("steps_covered", f"Steps covered (of {len(PATHWAY)})", NUMBER),
               Column("gaps", "Gaps", NUMBER))
    rows = [(c.icb.short_name, c.icb.ods_code, c.services, c.covered, len(c.gaps))
            for c in coverage]
    description = (
        f"Tile map of England's 42 integrated care boards, one square each, "
        f"roughly where they are. The network's ICBs are outlined and shaded by "
        f"how many of the {len(PATHWAY)} steps of the MSK pathway have at least "
        f"one service recorded, with the number written on each tile; other "
        f"ICBs are grey.")
    return tile_map(id="landscape-map", title="Pathway steps covered, by ICB",
                    description=description, columns=columns, rows=rows,
                    codes=[c.icb.ods_code for c in coverage], value="steps_covered")


def round1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def variation_chart(variation: Variation, *, workforce: bool) -> Chart:
    """A dot per ICB (or place) at its median wait, a line to its 90th
    percentile; the table carries every figure (workforce only for members)."""
    level = variation.level
    columns = [
        Column("name", level), Column("services", "Services", NUMBER),
        Column("with_waits", "Services with waits", NUMBER),
        Column("median_wait", "Median wait (weeks)", NUMBER),
        Column("weighted_wait", "Referral-weighted mean wait (weeks)", NUMBER),
        Column("p90_wait", "90th-percentile wait (weeks)", NUMBER),
        Column("latest_period", "Latest period", MONTH),
        Column("self_referral", "Accepting self-referral (%)", NUMBER),
    ]
    if workforce:
        columns += [
            Column("wte", "Whole-time equivalents", NUMBER),
            Column("vacancies", "Vacancies (WTE)", NUMBER),
            Column("vacancy_rate", "Vacancy rate (%)", NUMBER),
            Column("population", "Population", NUMBER),
            Column("population_year", "Population year", NUMBER),
            Column("wte_per_100k", "WTE per 100,000", NUMBER),
            Column("vacancies_per_100k", "Vacancies per 100,000", NUMBER),
        ]
    rows = []
    for group in variation.groups:
        s = group.summary
        row = [group.name, s.services, s.with_waits, round1(s.median_wait),
               round1(s.weighted_wait), round1(s.p90_wait), s.latest_period,
               round1(s.self_referral_share)]
        if workforce:
            row += [round1(s.wte), round1(s.vacancies), round1(s.vacancy_rate),
                    s.population.persons if s.population else None,
                    s.population.year if s.population else None,
                    round1(s.wte_per_100k), round1(s.vacancies_per_100k)]
        rows.append(tuple(row))
    cols = tuple(columns)
    drawn = [r for r in rows if r[3] is not None]
    what = "each place in the ICB" if variation.by_place else "each of the network's ICBs"
    description = (
        f"Dot chart of the median wait in weeks for {what}: the median of its "
        f"services' latest median waits, with a line reaching to the median of "
        f"their 90th-percentile waits. Places or ICBs with no waits recorded are "
        f"left out of the chart but listed in the table.")
    data = spec_data(cols, drawn)
    base = alt.Chart(data, description=description, width="container")
    y = alt.Y("name", type="nominal", sort=None, title=level)
    tooltips = [alt.Tooltip("name", type="nominal", title=level),
                alt.Tooltip("median_wait", type="quantitative",
                            title="Median wait (weeks)"),
                alt.Tooltip("p90_wait", type="quantitative",
                            title="90th-percentile wait (weeks)"),
                alt.Tooltip("services", type="quantitative", title="Services")]
    rule = base.mark_rule(color=NHS_BLUE, strokeWidth=2).encode(
        y=y, x=alt.X("median_wait", type="quantitative", title="Wait (weeks)"),
        x2=alt.X2("p90_wait"), tooltip=tooltips)
    dots = base.mark_point(color=NHS_DARK_BLUE, filled=True, size=120).encode(
        y=y, x=alt.X("median_wait", type="quantitative", title="Wait (weeks)"),
        tooltip=tooltips)
    spec = nhs_style(alt.layer(rule, dots).properties(height=alt.Step(32))
                     ).to_dict(validate=VALIDATE_SPECS)
    return Chart("landscape-variation", f"Waits by {level}", description, cols,
                 tuple(rows), spec)


def waits_chart(variation: Variation) -> Chart:
    """A line per ICB (or place): the median of its services' median waits
    each month."""
    level = variation.level
    columns = (Column("name", level), Column("month", "Month", MONTH),
               Column("services", "Services with waits", NUMBER),
               Column("median_wait", "Median wait (weeks)", NUMBER))
    rows = [(m.group, m.month, m.services, round(m.median_wait, 1))
            for m in variation.months]
    description = (
        f"Line chart of the median wait in weeks each month, one line per "
        f"{level}: the median of the median waits its services recorded for "
        f"that month.")
    months = len({m.month for m in variation.months})
    step = max(1, -(-months // 8))
    spec = nhs_style(
        alt.Chart(spec_data(columns, rows), description=description,
                  width="container")
        .mark_line(strokeWidth=3, point=True)
        .encode(
            x=alt.X("month", type="temporal", timeUnit="utcyearmonth", title="Month",
                    axis=alt.Axis(format="%b %Y", labelAngle=0,
                                  tickCount={"interval": "month", "step": step})),
            y=alt.Y("median_wait", type="quantitative", title="Median wait (weeks)"),
            color=alt.Color("name", type="nominal", title=level),
            strokeDash=alt.StrokeDash("name", type="nominal", title=level),
            tooltip=[alt.Tooltip("name", type="nominal", title=level),
                     alt.Tooltip("month", type="temporal", timeUnit="utcyearmonth",
                                 title="Month", format="%B %Y"),
                     alt.Tooltip("median_wait", type="quantitative",
                                 title="Median wait (weeks)"),
                     alt.Tooltip("services", type="quantitative",
                                 title="Services with waits")],
        )
        .properties(height=300)
    ).to_dict(validate=VALIDATE_SPECS)
    return Chart("landscape-waits", f"Median wait over time by {level}", description,
                 columns, tuple(rows), spec)


def pathway_csv(pathway: Pathway) -> str:
    """The ICB's gaps by place: a row per place, a column per step."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ICB", "Place", *(step.label for step in PATHWAY), "Gaps"])
    for row in pathway.place_rows:
        writer.writerow([csv_safe(value) for value in (
            pathway.icb.short_name, row.place,
            *(CELL_TEXT[cell] for cell in row.cells), row.gaps)])
    writer.writerow([csv_safe(value) for value in (
        pathway.icb.short_name, "Whole ICB",
        *(CELL_TEXT[cell] for cell in pathway.icb_cells), len(pathway.icb_gaps))])
    return out.getvalue()
