"""The adoption curve and the spread map, as charts with table and data twins."""

from __future__ import annotations

import csv
import io
from typing import Any

import altair as alt

from msknet.analytics.adoption import MonthCounts
from msknet.core.charts import (
    MONTH,
    NHS_AQUA_GREEN,
    NHS_BLUE,
    NHS_DARK_BLUE,
    NHS_GREEN,
    NHS_LIGHT_BLUE,
    NHS_PALE_GREY,
    NHS_RED,
    NUMBER,
    VALIDATE_SPECS,
    Chart,
    Column,
    csv_safe,
    nhs_style,
)
from msknet.core.tilemap import tile_map

from .adoption_queries import MAP_STATUSES, STATUSES, IcbCounts, Matrix
from .models import AdoptionStatus, Innovation

#: A colour per status, light to dark along the path; stopped stands apart.
STATUS_COLOURS = {
    AdoptionStatus.NOT_STARTED: NHS_PALE_GREY,
    AdoptionStatus.AWARE: NHS_LIGHT_BLUE,
    AdoptionStatus.EXPLORING: NHS_AQUA_GREEN,
    AdoptionStatus.PILOTING: NHS_BLUE,
    AdoptionStatus.ADOPTED: NHS_DARK_BLUE,
    AdoptionStatus.SUSTAINED: NHS_GREEN,
    AdoptionStatus.STOPPED: NHS_RED,
}
NOT_RECORDED = "Not recorded"


def curve_chart(innovation: Innovation, curve: list[MonthCounts]) -> Chart:
    """Stacked bars: sites at each status at the end of each month."""
    columns = (Column("month", "Month", MONTH),
               *(Column(s.value, s.label, NUMBER) for s in STATUSES),
               Column("total", "Sites with a record", NUMBER))
    rows = [(m.month, *(m.count(s) for s in STATUSES), m.total) for m in curve]
    values = [
        {"month": m.month.isoformat(), "status": s.label, "order": i,
         "sites": m.count(s)}
        for m in curve for i, s in enumerate(STATUSES) if m.count(s)
    ]
    description = (
        f"Stacked bar chart of the number of sites at each adoption status at "
        f"the end of each month for {innovation.name}. Sites that stopped are "
        f"counted as stopped.")
    step = max(1, -(-len(curve) // 8))
    spec = nhs_style(
        alt.Chart(alt.Data(values=values), description=description,
                  width="container")
        .mark_bar()
        .encode(
            x=alt.X("month", type="temporal", timeUnit="utcyearmonth", title="Month",
                    axis=alt.Axis(format="%b %Y", labelAngle=0,
                                  tickCount={"interval": "month", "step": step})),
            y=alt.Y("sites", type="quantitative", stack="zero", title="Sites",
                    axis=alt.Axis(format=",d", tickMinStep=1)),
            color=alt.Color(
                "status", type="nominal", title="Status",
                scale=alt.Scale(domain=[s.label for s in STATUSES],
                                range=[STATUS_COLOURS[s] for s in STATUSES]),
                sort=[s.label for s in STATUSES],
            ),
            order=alt.Order("order", type="quantitative"),
            tooltip=[
                alt.Tooltip("month", type="temporal", timeUnit="utcyearmonth",
                            title="Month", format="%B %Y"),
                alt.Tooltip("status", type="nominal", title="Status"),
                alt.Tooltip("sites", type="quantitative", title="Sites"),
            ],
        )
        .properties(height=300)
    ).to_dict(validate=VALIDATE_SPECS)
    return Chart("adoption-curve", f"Adoption of {innovation.name} over time",
                 description, columns, tuple(rows), spec)


def map_chart(counts: list[IcbCounts], innovation: Innovation | None) -> Chart:
    """The tile map: the network's ICBs shaded by sites in use."""
    what = innovation.name if innovation else "recommended innovations"
    columns = (Column("icb", "ICB"),
               *(Column(s.value, f"Sites {s.label.lower()}", NUMBER)
                 for s in MAP_STATUSES),
               Column("in_use", "Sites in use", NUMBER))
    rows = [(c.icb.short_name, *(c.counts.get(s, 0) for s in MAP_STATUSES),
             c.in_use) for c in counts]
    description = (
        f"Tile map of England's 42 integrated care boards, one square each, "
        f"roughly where they are. The network's ICBs are outlined and shaded by "
        f"the number of sites piloting, using or sustaining {what}, with the "
        f"number written on each tile.")
    if innovation is None:
        description += " A site counts once for each innovation it uses."
    return tile_map(
        id="spread-map", title=f"Where {what} are in use" if innovation is None
        else f"Where {what} is in use",
        description=description, columns=columns, rows=rows,
        codes=[c.icb.ods_code for c in counts], value="in_use",
    )


def matrix_csv(matrix: Matrix) -> str:
    """The spread matrix as CSV: a row per site, a column per innovation."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ICB", "Site", *(i.name for i in matrix.innovations)])
    for group in matrix.groups:
        for row in group.rows:
            writer.writerow([csv_safe(value) for value in (
                group.icb.short_name if group.icb else "", row.site.name,
                *(cell_text(cell) for cell in row.cells))])
    return out.getvalue()


def cell_text(cell: Any) -> str:
    if cell is None:
        return NOT_RECORDED
    return f"{cell.get_status_display()} since {cell.status_on:%-d %B %Y}"
