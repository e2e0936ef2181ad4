"""Chart builders and page figures for the insights pages: no database."""

import altair as alt
import pytest

from msknet.analytics import phe, spc
from msknet.insights import charts, figures
from msknet.insights.models import Area, Indicator, IndicatorValue
from msknet.insights.queries import AreaValue, FunnelArea, ProfileRow


def make_indicator(**kwargs):
    defaults = {"slug": "msk", "name": "MSK problem", "unit": "%",
                "value_type": "proportion", "multiplier": 100,
                "polarity": "lower_is_better", "period_type": "annual"}
    return Indicator(**{**defaults, **kwargs})


def area(code, name):
    return Area(code=code, name=name, area_type="icb")


def value(v, lo, hi, period="2023", count=None, denominator=None, category=""):
    return IndicatorValue(value=v, lower_95=lo, upper_95=hi, period=period,
                          count=count, denominator=denominator, category=category)


def valid(chart):
    alt.LayerChart.from_dict(chart.spec, validate=True)  # raises if invalid
    return True


ICBS = [
    AreaValue(area("E54000050", "NENC"), value(24.0, 22.2, 25.9, count=480,
                                               denominator=2000),
              17.1, "worse", False),
    AreaValue(area("E54000028", "NCL"), value(17.5, 15.9, 19.2, count=350,
                                              denominator=2000),
              17.1, "similar", True),
]


def test_icb_bar_chart_labels_every_bar_in_words_and_marks_the_network():
    chart = charts.icb_bar_chart(make_indicator(), "2023", 17.1, ICBS)

    labels = [d["label"] for d in chart.spec["datasets"]["figures"]]
    assert labels == ["NENC: worse", "NCL (this network): similar"]
    assert chart.rows[1][-2:] == ("similar", "Yes")
    assert valid(chart)


def test_icb_bar_chart_colours_follow_polarity():
    judged = charts.icb_bar_chart(make_indicator(), "2023", 17.1, ICBS)
    neutral = charts.icb_bar_chart(make_indicator(polarity="no_judgement"), "2023",
                                   17.1, ICBS)

    assert judged.spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == [
        "better", "similar", "worse", "not compared"]
    assert neutral.spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == [
        "higher", "similar", "lower", "not compared"]


def test_icb_bar_chart_without_england_has_no_england_line():
    chart = charts.icb_bar_chart(make_indicator(), "2023", None, ICBS)

    assert len(chart.spec["layer"]) == 2
    assert valid(chart)


def test_figure_column_shows_its_decimal_places():
    column = charts.Figure("rii", "RII", places=3)

    assert column.display(0.66012) == "0.660"
    assert column.display(None) == ""
    assert column.display(12) == "12"
    assert column.numeric


def profile_row(polarity, v, england=10.0, lowest=5.0, highest=20.0):
    return ProfileRow(
        indicator=make_indicator(polarity=polarity), period="2023",
        value=value(v, v - 1, v + 1), england=england, vs_england="worse",
        lowest=lowest, q25=8.0, q75=12.0, highest=highest, icbs=42,
    )


def test_spine_puts_better_to_the_right_whatever_the_polarity():
    low_good = profile_row("lower_is_better", 15.0)
    high_good = profile_row("higher_is_better", 15.0)

    # England at 0; the widest side (10 above England) reaches 1.
    assert charts.spine_position(low_good, 15.0) == -0.5
    assert charts.spine_position(high_good, 15.0) == 0.5
    assert charts.spine_position(low_good, 10.0) == 0
    assert charts.spine_position(profile_row("no_judgement", 15.0), 20.0) == 1


def test_spine_without_england_leaves_the_row_off_the_chart():
    row = profile_row("lower_is_better", 15.0, england=None)

    chart = charts.spine_chart("NCL", [row])

    assert chart.spec["datasets"]["figures"] == []
    assert len(chart.rows) == 1


def test_spine_chart_is_valid_and_tabulates_the_range():
    chart = charts.spine_chart("NCL", [profile_row("lower_is_better", 15.0)])

    assert chart.rows[0][3:9] == (15.0, 10.0, 5.0, 8.0, 12.0, 20.0)
    assert valid(chart)


def test_trend_and_spc_charts_are_valid():
    indicator = make_indicator(period_type="monthly")
    series = [AreaValue(area("E54000028", "NCL"), value(70.0 + i, 68 + i, 72 + i,
                                                       period=f"2024-{i + 1:02d}"),
                        None, "", False) for i in range(12)]
    xmr = spc.xmr([a.value.value for a in series])

    trend = charts.trend_chart(indicator, "NCL", series)
    control = charts.spc_chart(indicator, "NCL", [a.value.period for a in series], xmr)

    assert trend.rows[0][-1] == "not compared"
    assert control.rows[-1][-1] == "Special cause: improvement"
    assert valid(trend) and valid(control)


def test_funnel_chart_rows_carry_phe_labels_in_words():
    indicator = make_indicator()
    values = [value(24.0, 22, 26, count=480, denominator=2000),
              value(12.0, 10, 14, count=240, denominator=2000)]
    areas = [FunnelArea(area("E54000050", "NENC"), values[0], False),
             FunnelArea(area("E54000028", "NCL"), values[1], True)]
    england = value(17.1, 17, 17.2)

    funnel = figures.funnel(indicator, england, values)
    chart = charts.funnel_chart(indicator, "2023", "ICBs", areas, funnel)

    assert funnel.labels == phe.funnel_significance([480, 240], [2000, 2000],
                                                    average=0.171)
    assert [r[5] for r in chart.rows] == ["Above the 99.8% limit",
                                          "Below the 99.8% limit"]
    assert set(chart.spec["datasets"]) == {"figures", "limits"}
    assert valid(chart)


def test_funnel_of_unsupported_value_type_is_none():
    assert figures.funnel(make_indicator(value_type="ratio"), None, []) is None


def test_quantile_rank_reads_fingertips_labels():
    assert figures.quantile_rank("Most deprived decile (IMD2019)", 10) == 1
    assert figures.quantile_rank("Decile 4 (IMD2019)", 10) == 4
    assert figures.quantile_rank("Least deprived quintile (IMD2019)", 5) == 5
    assert figures.quantile_rank("Urban", 5) is None


def test_ranked_refuses_groups_it_cannot_order():
    rows = [value(1, 0, 2, category=c) for c in ("Urban", "Rural", "A", "B", "C")]

    assert figures.ranked(rows) is None


def sii_result(sii, lower, upper):
    return phe.SIIResult(sii=sii, rii=1.0, intercept=1.0, sii_lower=lower,
                         sii_upper=upper, rii_lower=1.0, rii_upper=1.0,
                         confidence=0.95, value_type=2, transform=False,
                         multiplier=100, repetitions=1000, method="simulation")


@pytest.mark.parametrize(
    ("first", "latest", "verdict"),
    [
        (-10.0, (-25.0, -28.0, -22.0), figures.WIDENING),
        (-25.0, (-10.0, -13.0, -7.0), figures.NARROWING),
        (-10.0, (-11.0, -14.0, -8.0), figures.NO_CLEAR_CHANGE),
        (10.0, (25.0, 22.0, 28.0), figures.WIDENING),
    ],
)
def test_gap_change_compares_earliest_sii_with_latest_interval(first, latest, verdict):
    siis = [figures.PeriodSII("2020", sii_result(first, first - 1, first + 1)),
            figures.PeriodSII("2021", None, "missing"),
            figures.PeriodSII("2022", sii_result(*latest))]

    change = figures.gap_change(siis)

    assert change.verdict == verdict
    assert (change.first.period, change.latest.period) == ("2020", "2022")


def test_gap_change_needs_two_periods():
    assert figures.gap_change([figures.PeriodSII("2022", sii_result(1, 0, 2))]) is None


def test_period_sii_explains_missing_limits():
    rows = figures.ranked([value(20.0, None, None, category=f"Quintile {q}",
                                 denominator=100) for q in range(1, 6)])

    result = figures.period_sii(make_indicator(), "2023", rows)

    assert result.result is None
    assert "lacks a value, its 95% limits or its denominator" in result.problem


def test_spc_chart_only_for_long_monthly_or_quarterly_series():
    values = [value(70.0, 69, 71) for _ in range(12)]

    assert figures.spc_chart(make_indicator(period_type="monthly"), values) is not None
    assert figures.spc_chart(make_indicator(period_type="annual"), values) is None
    assert figures.spc_chart(make_indicator(period_type="monthly"), values[:11]) is None


# Reference lines and their labels ----------------------------------------------

def text_layers(spec):
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]


def data_rows(spec, layer):
    """How many rows of data a layer draws a mark for."""
    data = layer.get("data", {"name": "figures"})
    return len(data["values"] if "values" in data else spec["datasets"][data["name"]])


def labelled(spec, text):
    """The text layer drawing `text`, and how many rows of data it is drawn from."""
    (layer,) = [t for t in text_layers(spec)
                if t["encoding"].get("text", {}).get("value") == text]
    return layer, data_rows(spec, layer)


def test_england_line_and_label_are_drawn_once_not_once_per_bar():
    chart = charts.icb_bar_chart(make_indicator(), "2023", 17.1, ICBS)

    _, rows = labelled(chart.spec, "England 17.1")
    (rule,) = [r for r in chart.spec["layer"] if r["mark"]["type"] == "rule"
               and "x" in r["encoding"] and "datum" in r["encoding"]["x"]]

    assert rows == 1
    assert data_rows(chart.spec, rule) == 1
    assert valid(chart)


def test_england_label_leans_away_from_the_right_edge():
    near_edge = charts.icb_bar_chart(make_indicator(), "2023", 25.0, ICBS)
    near_zero = charts.icb_bar_chart(make_indicator(), "2023", 3.0, ICBS)

    right, _ = labelled(near_edge.spec, "England 25.0")
    left, _ = labelled(near_zero.spec, "England 3.0")

    assert (right["mark"]["align"], right["mark"]["dx"]) == ("right", -4)
    assert (left["mark"]["align"], left["mark"]["dx"]) == ("left", 4)


def test_icb_labels_put_the_comparison_on_a_line_of_its_own():
    chart = charts.icb_bar_chart(make_indicator(), "2023", 17.1, ICBS)

    axis = chart.spec["layer"][0]["encoding"]["y"]["axis"]
    assert axis["labelExpr"] == "split(datum.value, ': ')"
    # The legend wraps rather than running off the chart's right edge.
    assert chart.spec["layer"][0]["encoding"]["color"]["legend"]["columns"] == 2


def test_deprivation_chart_labels_the_overall_value_once():
    rows_ = [figures.RankedRow(i, value(v, v - 1, v + 1, category=f"Q{i}"))
             for i, v in enumerate([30.0, 25.0, 20.0], start=1)]

    chart = charts.category_chart(make_indicator(), "NENC", "2023", rows_, 24.0)

    _, rows = labelled(chart.spec, "NENC overall 24.0")
    assert rows == 1
    assert valid(chart)


def test_spine_end_labels_lean_inwards_so_neither_is_cut_off():
    chart = charts.spine_chart("NENC", [profile_row("lower_is_better", 12.0)])

    axis = chart.spec["layer"][0]["encoding"]["x"]["axis"]
    assert axis["labelAlign"] == {
        "expr": "datum.value < 0 ? 'left' : datum.value > 0 ? 'right' : 'center'"}
    assert valid(chart)
