"""The public population-health pages: what they show, their twins, their numbers.

The numbers must be the statistics library's: each test recomputes a figure
with `msknet.analytics` on the same rows and checks the page shows it.
"""

import json

import numpy as np
import pytest
from django.urls import reverse

from msknet.analytics import phe, spc
from msknet.analytics.indicators import compare, parse_period
from msknet.insights import figures
from msknet.insights.models import Area, Indicator, IndicatorValue
from msknet.insights.queries import comparisons
from tests.queries import queries_of

ENGLAND, NCL, NWL, NENC = "E92000001", "E54000028", "E54000027", "E54000050"
QUINTILES = [
    "Most deprived quintile (IMD2019)", "Quintile 2 (IMD2019)", "Quintile 3 (IMD2019)",
    "Quintile 4 (IMD2019)", "Least deprived quintile (IMD2019)",
]
# (area, count, denominator) per period: NCL similar to England, NWL lower
# (better), NENC higher (worse).
COUNTS = {
    "2022": [(ENGLAND, 17000, 100000), (NCL, 340, 2000), (NWL, 250, 2000),
             (NENC, 450, 2000)],
    "2023": [(ENGLAND, 17100, 100000), (NCL, 350, 2000), (NWL, 240, 2000),
             (NENC, 480, 2000)],
}
# Deprivation quintiles for NCL: the gap widens from 2022 to 2023.
QUINTILE_COUNTS = {
    "2022": [(220, 1000), (200, 1000), (180, 1000), (160, 1000), (140, 1000)],
    "2023": [(300, 1000), (250, 1000), (200, 1000), (150, 1000), (100, 1000)],
}


def value_row(indicator, code, period, x, n, category_type="", category=""):
    estimate = phe.proportion(x, n, confidence=(0.95, 0.998), multiplier=100)
    (lo95, lo998), (hi95, hi998) = estimate.lower, estimate.upper
    parsed = parse_period(period)
    return IndicatorValue(
        indicator=indicator, area=Area.objects.get(code=code), period=period,
        period_sortable=parsed.sortable, sex="Persons", age="16+ yrs",
        category_type=category_type, category=category,
        value=round(estimate.value, 4), lower_95=round(lo95, 4), upper_95=round(hi95, 4),
        lower_998=round(lo998, 4), upper_998=round(hi998, 4), count=x, denominator=n,
    )


@pytest.fixture
def indicator(network):
    indicator = Indicator.objects.create(
        slug="msk-problem", name="Long-term MSK problem", unit="%",
        value_type="proportion", multiplier=100, polarity="lower_is_better",
        period_type="annual", method="Wilson score limits",
    )
    rows = [value_row(indicator, code, period, x, n)
            for period, areas in COUNTS.items() for code, x, n in areas]
    rows += [
        value_row(indicator, NCL, period, x, n, "Deprivation quintile (IMD2019)", label)
        for period, counts in QUINTILE_COUNTS.items()
        for label, (x, n) in zip(QUINTILES, counts, strict=True)
    ]
    IndicatorValue.objects.bulk_create(rows)
    return indicator


def get(client, name, *args, **query):
    response = client.get(reverse(name, args=["london", *args]), query)
    assert response.status_code == 200
    return response


def chart(response, chart_id):
    return next(c for c in response.context["charts"] if c.id == chart_id)


# The index ------------------------------------------------------------------------

def test_index_lists_indicators_with_latest_period_and_method(client, indicator):
    response = get(client, "insights")

    assert response.context["summaries"][0].latest_period == "2023"
    assert b"Long-term MSK problem" in response.content
    assert reverse("insights-indicator", args=["london", "msk-problem"]).encode() in (
        response.content)
    assert b"Compared with England using the 95% confidence intervals" in response.content


def test_index_without_indicators_says_so(client, network):
    response = get(client, "insights")

    assert b"There are no indicators yet" in response.content


def test_network_navigation_links_to_population_health(client, network):
    response = get(client, "network-about")

    assert reverse("insights", args=["london"]).encode() in response.content
    assert b"Population health" in response.content


# The indicator page -------------------------------------------------------------

def test_indicator_page_compares_icbs_with_england_as_compare_does(client, indicator):
    response = get(client, "insights-indicator", "msk-problem")

    icbs = {a.area.code: a.vs_england for a in response.context["icbs"]}
    values = {v.area.code: v for v in IndicatorValue.objects.filter(
        period="2023", category_type="").select_related("area")}
    expected = {
        code: str(compare(values[code].lower_95, values[code].upper_95,
                          values[ENGLAND].value, polarity="lower_is_better"))
        for code in (NCL, NWL, NENC)
    }
    assert icbs == expected == {NCL: "similar", NWL: "better", NENC: "worse"}
    api = {c.value.area.code: c.vs_england for c in comparisons(indicator, "2023")}
    assert {code: api[code] for code in icbs} == icbs


def test_indicator_page_shows_method_england_and_network_icbs(client, indicator):
    response = get(client, "insights-indicator", "msk-problem")

    content = response.content.decode()
    assert "Compared with England using the 95% confidence intervals" in content
    assert "England: <strong>17.1%</strong>" in content
    # London's ICBs get their own table with words, not colour alone.
    assert [a.area.code for a in response.context["network_icbs"]] == [NCL, NWL]
    assert "nhsuk-tag--green\">Better</strong>" in content
    assert "of 3 integrated care boards: 1 better, 1 similar, 1 worse" in content.lower()


def test_indicator_page_period_selector_shows_older_period(client, indicator):
    response = get(client, "insights-indicator", "msk-problem", period="2022")

    assert response.context["period"] == "2022"
    assert response.context["england"].value == 17.0
    assert b'<option value="2022" selected>' in response.content


def test_indicator_page_unknown_period_is_not_found(client, indicator):
    url = reverse("insights-indicator", args=["london", "msk-problem"])

    response = client.get(url, {"period": "1999"})

    assert response.status_code == 404


def test_indicator_page_without_values_explains(client, network):
    Indicator.objects.create(slug="empty", name="Empty", value_type="proportion",
                             multiplier=100)

    response = get(client, "insights-indicator", "empty")

    assert b"There are no values for this indicator yet" in response.content
    assert response.context["charts"] == []


def test_indicator_chart_csv_is_exact(client, indicator):
    response = client.get(reverse("insights-indicator-chart",
                                  args=["london", "msk-problem", "icb-values", "csv"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="msk-problem-2023-icb-values.csv"' in response["Content-Disposition"]
    assert response.content.decode() == (
        "Integrated care board,Area code,Value (%),Lower 95% limit,Upper 95% limit,"
        "Count,Denominator,England,Compared with England,In this network\r\n"
        "NHS North East and North Cumbria Integrated Care Board,E54000050,24.0,22.1792,"
        "25.9205,480.0,2000.0,17.1,worse,No\r\n"
        "NHS North Central London Integrated Care Board,E54000028,17.5,15.8975,19.2271,"
        "350.0,2000.0,17.1,similar,Yes\r\n"
        "NHS North West London Integrated Care Board,E54000027,12.0,10.6482,13.4975,"
        "240.0,2000.0,17.1,better,Yes\r\n"
    )


def test_indicator_chart_json_keeps_the_period(client, indicator):
    page = get(client, "insights-indicator", "msk-problem", period="2022")
    url = chart(page, "icb-values").json_url

    data = client.get(url).json()

    assert url.endswith("icb-values.json?period=2022")
    assert data["rows"][0]["england"] == 17.0


def test_indicator_chart_unknown_is_not_found(client, indicator):
    response = client.get(reverse("insights-indicator-chart",
                                  args=["london", "msk-problem", "nothing", "csv"]))

    assert response.status_code == 404


@pytest.mark.slow
@pytest.mark.parametrize("more_icbs", [0, 3])
def test_indicator_page_query_count_does_not_grow_with_icbs(
        client, indicator, more_icbs):
    url = reverse("insights-indicator", args=["london", "msk-problem"])
    IndicatorValue.objects.bulk_create([
        value_row(indicator, code, "2023", 300, 2000)
        for code in ("E54000008", "E54000010", "E54000011")[:more_icbs]
    ])
    client.get(url)  # warm the content-type and site caches

    response, queries = queries_of(lambda: client.get(url))

    assert len(queries) == 5
    assert len(response.context["icbs"]) == 3 + more_icbs


# The area profile ---------------------------------------------------------------

def test_area_profile_shows_range_and_comparison(client, indicator):
    response = get(client, "insights-area", NCL)

    (row,) = response.context["rows"]
    icb_values = [24.0, 17.5, 12.0]
    assert row.period == "2023" and row.value.value == 17.5
    assert row.england == 17.1 and row.vs_england == "similar"
    assert [row.lowest, row.q25, row.q75, row.highest] == pytest.approx(
        list(np.percentile(icb_values, [0, 25, 75, 100])))
    csv = client.get(chart(response, "spine").csv_url).content.decode()
    assert csv.splitlines()[1] == (
        "Long-term MSK problem,2023,%,17.5,17.1,12.0,14.75,20.75,24.0,similar,"
        "Lower is better")


def test_area_profile_without_values_explains(client, network):
    response = get(client, "insights-area", "E54000008")

    assert b"There are no indicator values for" in response.content


def test_area_profile_unknown_area_is_not_found(client, network):
    response = client.get(reverse("insights-area", args=["london", "E54999999"]))

    assert response.status_code == 404


# The trend page -----------------------------------------------------------------

def test_trend_compares_each_period_with_england(client, indicator):
    response = get(client, "insights-trend", "msk-problem", NENC)

    series = response.context["series"]
    assert [(a.value.period, a.england, a.vs_england) for a in series] == [
        ("2022", 17.0, "worse"), ("2023", 17.1, "worse")]
    assert response.context["xmr"] is None
    data = client.get(chart(response, "trend").json_url).json()
    assert [r["value"] for r in data["rows"]] == [22.5, 24.0]


@pytest.fixture
def monthly(network):
    indicator = Indicator.objects.create(
        slug="fcp-2-weeks", name="FCP within 2 weeks", unit="%",
        value_type="proportion", multiplier=100, polarity="higher_is_better",
        period_type="monthly",
    )
    counts = [70, 68, 71, 69, 72, 70, 67, 71, 70, 69, 71, 70, 80, 82, 81, 83, 80, 82]
    months = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}"
                                                         for m in range(1, 7)]
    IndicatorValue.objects.bulk_create([
        value_row(indicator, NCL, month, x, 100) for month, x in zip(months, counts,
                                                                     strict=True)])
    return indicator, counts


@pytest.mark.slow
def test_trend_monthly_series_gets_the_xmr_chart(client, monthly):
    _, counts = monthly

    response = get(client, "insights-trend", "fcp-2-weeks", NCL)

    expected = spc.xmr([float(c) for c in counts], improvement="increase")
    data = client.get(chart(response, "spc").json_url).json()
    assert [r["upl"] for r in data["rows"]] == [p.upl for p in expected.points]
    assert data["rows"][-1]["point_type"] == "Special cause: improvement"
    assert b"Special cause variation: improvement (higher)" in response.content
    assert b"No assurance: this indicator has no target" in response.content
    assert b"There is no England value for these periods" in response.content


def test_trend_without_values_explains(client, indicator):
    response = get(client, "insights-trend", "msk-problem", "E54000008")

    assert b"There are no values for" in response.content


# The inequality page ------------------------------------------------------------

def test_inequality_sii_equals_phe_sii_on_the_same_rows(client, indicator):
    response = get(client, "insights-inequality", "msk-problem", NCL)

    rows = list(IndicatorValue.objects.filter(area__code=NCL, period="2023")
                .exclude(category_type="").order_by("category"))
    ranks = [figures.quantile_rank(v.category, 5) for v in rows]
    expected = phe.sii(ranks, [v.denominator for v in rows],
                       [v.value / 100 for v in rows],
                       lower=[v.lower_95 / 100 for v in rows],
                       upper=[v.upper_95 / 100 for v in rows],
                       value_type=2, multiplier=100, repetitions=100_000,
                       seed=figures.SII_SEED)
    shown = response.context["latest_sii"].result
    assert shown == expected
    assert f"is {expected.sii:.2f} percentage points".encode() in response.content
    assert f"{expected.sii_lower:.2f} to {expected.sii_upper:.2f}".encode() in (
        response.content)


@pytest.mark.slow
def test_inequality_says_the_gap_is_widening(client, indicator):
    response = get(client, "insights-inequality", "msk-problem", NCL)

    change = response.context["change"]
    assert change.verdict == figures.WIDENING
    assert change.first.result.sii == pytest.approx(-10.0, abs=0.01)
    assert change.latest.result.sii == pytest.approx(-25.0, abs=0.01)
    assert b"Yes: the gap is widening." in response.content
    data = client.get(chart(response, "sii-over-time").json_url).json()
    assert [r["period"] for r in data["rows"]] == ["2022", "2023"]


@pytest.mark.slow
def test_inequality_by_deprivation_chart_lists_groups_most_deprived_first(
        client, indicator):
    response = get(client, "insights-inequality", "msk-problem", NCL)

    data = client.get(chart(response, "by-deprivation").json_url).json()
    assert [r["rank"] for r in data["rows"]] == [1, 2, 3, 4, 5]
    assert data["rows"][0]["value"] == 30.0


def test_inequality_without_breakdowns_explains(client, indicator):
    response = get(client, "insights-inequality", "msk-problem", NENC)

    assert b"There are no values by deprivation group" in response.content


# The funnel plot ----------------------------------------------------------------

@pytest.mark.slow
def test_funnel_labels_equal_phe_funnel_significance(client, indicator):
    response = get(client, "insights-funnel", "msk-problem")

    expected = phe.funnel_significance([480, 350, 240], [2000, 2000, 2000],
                                       "proportion", average=0.171)
    data = client.get(chart(response, "funnel").json_url).json()
    assert {r["code"]: r["label"] for r in data["rows"]} == dict(zip(
        [NENC, NCL, NWL], expected, strict=True))
    assert expected == ["High (0.001)", "Not significant", "Low (0.001)"]
    outliers = [(a.area.code, text) for a, text in response.context["outliers"]]
    assert sorted(outliers) == [(NWL, "Below the 99.8% limit"),
                                (NENC, "Above the 99.8% limit")]


def test_funnel_limits_are_phe_limits(client, indicator):
    response = get(client, "insights-funnel", "msk-problem")

    funnel = response.context["funnel"]
    denominators = [d for d, _ in funnel.limits["95% upper"]]
    expected = phe.proportion_funnel_limits(denominators, 0.171, multiplier=100)
    assert [v for _, v in funnel.limits["95% upper"]] == pytest.approx(
        list(expected.upper_2s))
    assert funnel.baseline == pytest.approx(17.1)


def test_funnel_of_a_rate_uses_poisson_limits(client, network):
    indicator = Indicator.objects.create(slug="hip", name="Hip fractures",
                                         value_type="rate", multiplier=100000)
    rows = [(ENGLAND, 5000, 1_000_000), (NCL, 90, 20000), (NWL, 120, 20000),
            (NENC, 150, 20000)]
    IndicatorValue.objects.bulk_create([
        IndicatorValue(indicator=indicator, area=Area.objects.get(code=code),
                       period="2023/24", period_sortable=20230000, value=x / n * 1e5,
                       count=x, denominator=n)
        for code, x, n in rows
    ])

    response = get(client, "insights-funnel", "hip")

    expected = phe.funnel_significance([150, 90, 120], [20000] * 3, "rate",
                                       rates=[750.0, 450.0, 600.0], average=500.0)
    labels = zip(response.context["areas"], response.context["funnel"].labels,
                 strict=True)
    assert {a.area.code: label for a, label in labels} == dict(zip(
        [NENC, NCL, NWL], expected, strict=True))
    assert response.context["funnel"].limits["99.8% upper"]


def test_funnel_within_a_parent_plots_its_children(client, indicator):
    parent = Area.objects.get(code=NCL)
    for code in ("A00001", "A00002"):
        Area.objects.create(code=code, name=f"Practice {code}", area_type="gp_practice",
                            parent=parent)
    IndicatorValue.objects.bulk_create([
        value_row(indicator, "A00001", "2023", 30, 100),
        value_row(indicator, "A00002", "2023", 10, 100),
    ])

    response = get(client, "insights-funnel", "msk-problem", parent=NCL)

    assert [a.code for a in response.context["parents"]] == [NCL]
    assert [a.area.code for a, _ in response.context["outliers"]] == ["A00001"]


def test_funnel_leaves_out_suppressed_values(client, indicator):
    IndicatorValue.objects.filter(area__code=NENC, period="2023").update(
        value=None, count=None, value_note="Suppressed")

    response = get(client, "insights-funnel", "msk-problem")

    assert [a.area.code for a in response.context["left_out"]] == [NENC]
    assert b"Not plotted" in response.content


def test_funnel_of_a_ratio_explains(client, network):
    Indicator.objects.create(slug="ratio", name="A ratio", value_type="ratio")

    response = get(client, "insights-funnel", "ratio")

    assert b"Funnel plots need a proportion or a rate" in response.content


# The network home ---------------------------------------------------------------

def test_network_home_shows_headline_indicators_for_its_icbs(client, indicator):
    indicator.slug = "long-term-msk-problem"
    indicator.save()

    response = get(client, "network-home")

    (headline,) = response.context["headlines"]
    assert headline.period == "2023"
    assert [(a.area.code, a.vs_england) for a in headline.areas] == [
        (NCL, "similar"), (NWL, "better")]
    assert b"nhsuk-tag--yellow\">Similar</strong>" in response.content


def test_network_home_without_headlines_links_to_insights(client, network):
    response = get(client, "network-home")

    assert response.context["headlines"] == []
    assert b"will appear here once indicator data is imported" in response.content


@pytest.mark.slow
def test_every_insights_page_twin_is_json(client, indicator):
    pages = [
        ("insights-indicator", ["msk-problem"]), ("insights-area", [NCL]),
        ("insights-trend", ["msk-problem", NCL]),
        ("insights-inequality", ["msk-problem", NCL]),
        ("insights-funnel", ["msk-problem"]),
    ]
    for name, args in pages:
        for linked in get(client, name, *args).context["charts"]:
            data = json.loads(client.get(linked.json_url).content)
            assert data["id"] == linked.id and len(data["rows"]) == len(linked.rows)
