"""Charts that are also tables and downloads.

Every chart is built in Python with Altair and carries the figures it draws,
so a page shows it three ways: the Vega-Lite chart (drawn by vega-embed from
`msknet/static/msknet/charts.js`), an NHS table of the same figures, and CSV
and JSON twins at predictable URLs. Render one with
`{% include "core/chart.html" with chart=chart %}` and load the scripts once
with `{% include "core/chart_scripts.html" %}` in the page's scripts block.

    chart = bar_chart(
        id="members-by-sector",
        title="Members by sector",
        description="Bar chart of the number of members in each sector.",
        columns=(Column("sector", "Sector"), Column("members", "Members", NUMBER)),
        rows=[("Primary care", 12), ("Community services", 7)],
    )
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

import altair as alt
from django.http import HttpResponse, JsonResponse

# NHS identity colours (https://service-manual.nhs.uk/design-system/styles/colour).
NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
NHS_BRIGHT_BLUE = "#0072ce"
NHS_LIGHT_BLUE = "#41b6e6"
NHS_AQUA_GREEN = "#00a499"
NHS_GREEN = "#009639"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#e8edee"
NHS_WARM_YELLOW = "#ffb81c"
NHS_RED = "#da291c"
NHS_TEXT = "#212b32"
NHS_SECONDARY_TEXT = "#4c6272"
NHS_BORDER = "#d8dde0"

# For series that need telling apart; charts never rely on colour alone.
PALETTE = [
    NHS_BLUE,
    NHS_WARM_YELLOW,
    NHS_DARK_BLUE,
    NHS_LIGHT_BLUE,
    NHS_AQUA_GREEN,
    NHS_MID_GREY,
    NHS_RED,
    NHS_GREEN,
]

FONT = "Frutiger W01, Arial, sans-serif"
# Checking each spec against the Vega-Lite schema takes ~50 ms a chart. The
# specs come from the fixed builders below, which the tests check with the
# schema, so pages skip it.
VALIDATE_SPECS = False
CHART_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Spreadsheets run cells starting with these as formulas (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class Kind(StrEnum):
    TEXT = "text"
    """Words: shown and exported as they are."""
    NUMBER = "number"
    """A count or measure: right-aligned in tables, thousands separated."""
    MONTH = "month"
    """A calendar month (a `date`): "March 2025" in tables, "2025-03" in data."""


TEXT, NUMBER, MONTH = Kind.TEXT, Kind.NUMBER, Kind.MONTH


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    kind: Kind = TEXT

    @property
    def numeric(self) -> bool:
        return self.kind == NUMBER

    def data_value(self, value: Any) -> Any:
        """The value in the CSV and JSON twins."""
        if value is None:
            return None
        if self.kind == MONTH:
            return f"{value:%Y-%m}"
        return value

    def spec_value(self, value: Any) -> Any:
        """The value in the Vega-Lite data: months as dates Vega parses."""
        if value is not None and self.kind == MONTH:
            return value.replace(day=1).isoformat()
        return self.data_value(value)

    def display(self, value: Any) -> str:
        """The value in the page's table."""
        if value is None:
            return ""
        if self.kind == MONTH:
            return f"{value:%B %Y}"
        if self.kind == NUMBER:
            if isinstance(value, float):
                return f"{value:,.1f}"
            return f"{value:,}"
        return str(value)


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool


@dataclass(frozen=True)
class Chart:
    """One chart: its Vega-Lite spec and the figures it draws."""

    id: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    spec: dict[str, Any] = field(repr=False)
    csv_url: str = ""
    json_url: str = ""

    def __post_init__(self) -> None:
        check_figures(self.id, self.columns, self.rows)

    @property
    def element_id(self) -> str:
        return f"chart-{self.id}"

    @property
    def spec_element_id(self) -> str:
        return f"chart-{self.id}-spec"

    @property
    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]

    def records(self) -> list[dict[str, Any]]:
        """Rows keyed by column key, as in the JSON twin."""
        return [
            {c.key: c.data_value(v) for c, v in zip(self.columns, row, strict=True)}
            for row in self.rows
        ]

    def table_rows(self) -> list[list[Cell]]:
        return [
            [
                Cell(c.display(v), c.numeric)
                for c, v in zip(self.columns, row, strict=True)
            ]
            for row in self.rows
        ]

    def to_csv(self) -> str:
        """The figures as CSV: one heading row, then the rows, CRLF line ends."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.headings)
        for record in self.records():
            writer.writerow([csv_safe(value) for value in record.values()])
        return out.getvalue()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "columns": [
                {"key": c.key, "heading": c.heading, "kind": str(c.kind)}
                for c in self.columns
            ],
            "rows": self.records(),
        }

    def with_urls(self, *, csv_url: str, json_url: str) -> Chart:
        """The same chart, linking to its CSV and JSON twins."""
        return replace(self, csv_url=csv_url, json_url=json_url)


def check_figures(
    chart_id: str, columns: tuple[Column, ...], rows: Sequence[tuple[Any, ...]]
) -> None:
    if not CHART_ID.match(chart_id):
        raise ValueError(f"Chart id {chart_id!r} must be lowercase words and hyphens")
    for number, row in enumerate(rows, start=1):
        if len(row) != len(columns):
            raise ValueError(
                f"Row {number} of chart {chart_id!r} has {len(row)} values "
                f"for {len(columns)} columns"
            )


def csv_safe(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def chart_csv_response(chart: Chart, filename: str) -> HttpResponse:
    response = HttpResponse(chart.to_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def chart_json_response(chart: Chart) -> JsonResponse:
    return JsonResponse(chart.to_json(), json_dumps_params={"ensure_ascii": False})


def spec_data(columns: tuple[Column, ...], rows: list[tuple[Any, ...]]) -> alt.Data:
    return alt.Data(
        values=[
            {c.key: c.spec_value(v) for c, v in zip(columns, row, strict=True)}
            for row in rows
        ]
    )


def nhs_style(chart: alt.Chart) -> alt.Chart:
    """NHS fonts, colours and legible sizes for every chart."""
    return (
        chart.configure(font=FONT, background="transparent")
        .configure_axis(
            labelFontSize=14,
            titleFontSize=14,
            titleFontWeight="bold",
            labelColor=NHS_TEXT,
            titleColor=NHS_TEXT,
            gridColor=NHS_BORDER,
            domainColor=NHS_SECONDARY_TEXT,
            tickColor=NHS_SECONDARY_TEXT,
            labelLimit=320,
        )
        .configure_legend(labelFontSize=14, titleFontSize=14, labelColor=NHS_TEXT)
        .configure_range(category=PALETTE)
        .configure_view(stroke=None)
    )


def encoding_type(column: Column) -> str:
    return {TEXT: "nominal", NUMBER: "quantitative", MONTH: "temporal"}[column.kind]


def tooltip(column: Column) -> alt.Tooltip:
    if column.kind == MONTH:
        return alt.Tooltip(
            column.key,
            type="temporal",
            timeUnit="utcyearmonth",
            title=column.heading,
            format="%B %Y",
        )
    if column.kind == NUMBER:
        return alt.Tooltip(
            column.key, type="quantitative", title=column.heading, format=","
        )
    return alt.Tooltip(column.key, type="nominal", title=column.heading)


def bar_chart(
    *,
    id: str,
    title: str,
    description: str,
    columns: tuple[Column, Column],
    rows: list[tuple[Any, ...]],
    color: str = NHS_BLUE,
) -> Chart:
    """Horizontal bars, one per category, in the order of `rows`."""
    category, value = columns
    rows = [tuple(row) for row in rows]
    check_figures(id, columns, rows)
    spec = nhs_style(
        alt.Chart(spec_data(columns, rows), description=description, width="container")
        .mark_bar(color=color)
        .encode(
            y=alt.Y(category.key, type="nominal", sort=None, title=category.heading),
            x=alt.X(
                value.key,
                type="quantitative",
                title=value.heading,
                axis=alt.Axis(format=",d", tickMinStep=1),
            ),
            tooltip=[tooltip(category), tooltip(value)],
        )
        .properties(height=alt.Step(28))
    ).to_dict(validate=VALIDATE_SPECS)
    return Chart(id, title, description, columns, tuple(rows), spec)


def line_chart(
    *,
    id: str,
    title: str,
    description: str,
    columns: tuple[Column, ...],
    rows: list[tuple[Any, ...]],
    x: str,
    y: str,
    color: str = NHS_BLUE,
) -> Chart:
    """A line over time (`x` a month column) with a point at each value.

    The table and downloads carry every column; the line draws `y`.
    """
    rows = [tuple(row) for row in rows]
    check_figures(id, tuple(columns), rows)
    by_key = {c.key: c for c in columns}
    x_column, y_column = by_key[x], by_key[y]
    x_options: dict[str, Any] = {}
    if x_column.kind == MONTH:
        # Months are dates at midnight UTC: read them in UTC, label every
        # month on short lines and fewer on long ones.
        step = max(1, -(-len(rows) // 8))
        x_options = {
            "timeUnit": "utcyearmonth",
            "axis": alt.Axis(
                format="%b %Y",
                labelAngle=0,
                tickCount={"interval": "month", "step": step},
            ),
        }
    spec = nhs_style(
        alt.Chart(spec_data(columns, rows), description=description, width="container")
        .mark_line(color=color, strokeWidth=3, point=alt.OverlayMarkDef(color=color))
        .encode(
            x=alt.X(
                x_column.key,
                type=encoding_type(x_column),
                title=x_column.heading,
                **x_options,
            ),
            y=alt.Y(
                y_column.key,
                type="quantitative",
                title=y_column.heading,
                axis=alt.Axis(format=",d", tickMinStep=1),
            ),
            tooltip=[tooltip(c) for c in columns],
        )
        .properties(height=300)
    ).to_dict(validate=VALIDATE_SPECS)
    return Chart(id, title, description, tuple(columns), tuple(rows), spec)


def month_range(first: date, last: date) -> list[date]:
    """Each first-of-month from `first`'s month to `last`'s month, inclusive."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
