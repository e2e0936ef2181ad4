import json
from datetime import date

import altair as alt
import pytest
from django.template.loader import render_to_string

from msknet.core.charts import (
    MONTH,
    NHS_BLUE,
    NUMBER,
    Chart,
    Column,
    bar_chart,
    chart_csv_response,
    chart_json_response,
    line_chart,
    month_range,
)

SECTORS = (Column("sector", "Sector"), Column("members", "Members", NUMBER))


def sector_chart(rows=(("Primary care", 12), ("Community services", 1_204))):
    return bar_chart(
        id="members-by-sector",
        title="Members by sector",
        description="Bar chart of members in each sector.",
        columns=SECTORS,
        rows=list(rows),
    )


def growth_chart():
    return line_chart(
        id="membership-growth",
        title="Membership over time",
        description="Line chart of total members by month.",
        columns=(
            Column("month", "Month", MONTH),
            Column("joined", "Joined that month", NUMBER),
            Column("total", "Total members", NUMBER),
        ),
        rows=[
            (date(2024, 12, 1), 3, 3),
            (date(2025, 1, 1), 0, 3),
            (date(2025, 2, 1), 2, 5),
        ],
        x="month",
        y="total",
    )


@pytest.mark.slow
@pytest.mark.parametrize("make", [sector_chart, growth_chart])
def test_chart_spec_is_valid_vega_lite(make):
    chart = make()

    alt.Chart.from_dict(chart.spec, validate=True)  # raises if invalid
    assert chart.spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert chart.spec["description"] == chart.description


def test_bar_chart_spec_data_matches_rows_in_order():
    chart = sector_chart()

    assert chart.spec["data"]["values"] == [
        {"sector": "Primary care", "members": 12},
        {"sector": "Community services", "members": 1204},
    ]
    assert chart.spec["encoding"]["y"]["sort"] is None
    assert chart.spec["mark"]["color"] == NHS_BLUE
    assert chart.spec["encoding"]["x"]["title"] == "Members"


def test_line_chart_spec_reads_months_as_utc_dates():
    chart = growth_chart()

    assert chart.spec["data"]["values"][0] == {
        "month": "2024-12-01",
        "joined": 3,
        "total": 3,
    }
    assert chart.spec["encoding"]["x"]["timeUnit"] == "utcyearmonth"
    assert chart.spec["encoding"]["y"]["field"] == "total"


def test_chart_csv_is_exact():
    chart = growth_chart()

    assert chart.to_csv() == (
        "Month,Joined that month,Total members\r\n"
        "2024-12,3,3\r\n"
        "2025-01,0,3\r\n"
        "2025-02,2,5\r\n"
    )


def test_chart_csv_quotes_commas_and_defuses_formulas():
    chart = sector_chart(rows=[("Work, health and care", 2), ("=HYPERLINK(1)", 1)])

    assert chart.to_csv() == (
        'Sector,Members\r\n"Work, health and care",2\r\n\'=HYPERLINK(1),1\r\n'
    )


def test_chart_json_has_columns_and_rows():
    chart = growth_chart()

    data = chart.to_json()

    assert data["id"] == "membership-growth"
    assert data["columns"][0] == {"key": "month", "heading": "Month", "kind": "month"}
    assert data["rows"][2] == {"month": "2025-02", "joined": 2, "total": 5}


def test_chart_table_rows_are_formatted_for_people():
    chart = sector_chart()

    rows = chart.table_rows()

    assert [(c.text, c.numeric) for c in rows[1]] == [
        ("Community services", False),
        ("1,204", True),
    ]
    assert growth_chart().table_rows()[0][0].text == "December 2024"


def test_chart_refuses_rows_of_the_wrong_length():
    with pytest.raises(ValueError, match="Row 2 of chart 'members-by-sector' has 1"):
        sector_chart(rows=[("Primary care", 1), ("Community services",)])


def test_chart_refuses_an_id_that_is_not_a_slug():
    with pytest.raises(ValueError, match="lowercase words and hyphens"):
        Chart("Members by sector", "T", "D", SECTORS, (), {})


def test_chart_csv_response_is_a_named_download():
    response = chart_csv_response(sector_chart(), "london-members-by-sector.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="london-members-by-sector.csv"'
    )
    assert response.content.decode() == (
        "Sector,Members\r\nPrimary care,12\r\nCommunity services,1204\r\n"
    )


def test_chart_json_response_is_the_json_twin():
    response = chart_json_response(sector_chart())

    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["rows"][0] == {
        "sector": "Primary care",
        "members": 12,
    }


def test_chart_template_renders_accessible_chart_table_and_downloads():
    chart = sector_chart().with_urls(csv_url="/x.csv", json_url="/x.json")

    html = render_to_string("core/chart.html", {"chart": chart})

    assert '<h2 id="chart-members-by-sector-title">Members by sector</h2>' in html
    assert 'role="img"' in html
    assert (
        'aria-label="Members by sector. Bar chart of members in each sector."' in html
    )
    assert 'data-msknet-chart="chart-members-by-sector-spec"' in html
    assert '<script id="chart-members-by-sector-spec" type="application/json">' in html
    assert "Show the data as a table" in html
    assert '<caption class="nhsuk-table__caption">Members by sector</caption>' in html
    assert '<th scope="row" class="nhsuk-table__header">Community services</th>' in html
    assert '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">1,204</td>' in html
    assert 'href="/x.csv"' in html
    assert 'href="/x.json"' in html
    assert "onclick" not in html


def test_chart_template_says_when_there_is_no_data():
    html = render_to_string("core/chart.html", {"chart": sector_chart(rows=[])})

    assert "There is no data for this chart yet." in html
    assert "<table" not in html


def test_month_range_crosses_years_and_includes_both_ends():
    assert month_range(date(2024, 11, 20), date(2025, 2, 3)) == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]
