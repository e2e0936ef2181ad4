"""Run charts: median, shifts and trends."""

import pytest

from msknet.analytics import spc


def signals(chart: spc.RunChart) -> list[str]:
    return [str(p.signal) for p in chart.points]


def test_run_chart_median_and_runs():
    chart = spc.run_chart([1, 5, 2, 6, 3, 7])

    assert chart.median == 4
    assert chart.n_runs == 6
    assert chart.n_useful == 6
    assert set(signals(chart)) == {"common_cause"}
    assert chart.variation == "common_cause"


def test_run_chart_shift_of_six_below_the_median():
    values = [9, 8, 9, 8, 9, 8, 2, 3, 2, 3, 2, 3]

    chart = spc.run_chart(values)

    assert signals(chart) == ["shift_above"] * 6 + ["shift_below"] * 6
    assert chart.variation == "concern_low"


def test_run_chart_five_on_one_side_is_not_a_shift():
    values = [9, 8, 9, 8, 9, 2, 3, 2, 3, 2]

    assert set(signals(spc.run_chart(values))) == {"common_cause"}


def test_run_chart_points_on_the_median_neither_add_nor_break_a_shift():
    # median 5; three points on it inside six points above it.
    values = [6, 7, 5, 6, 5, 7, 5, 6, 7, 1, 2, 1, 2, 1, 2, 1, 5, 5]

    chart = spc.run_chart(values)

    assert chart.median == 5
    labels = signals(chart)
    assert labels[:9] == ["shift_above", "shift_above", "common_cause"] * 1 + [
        "shift_above",
        "common_cause",
        "shift_above",
        "common_cause",
        "shift_above",
        "shift_above",
    ]
    assert labels[9:16] == ["shift_below"] * 7


def test_run_chart_trend_of_five_with_a_repeated_value():
    # The repeated 3 neither adds to nor breaks the trend of 1, 2, 3, 4, 5.
    values = [3, 1, 2, 3, 3, 4, 5, 3]

    chart = spc.run_chart(values, improvement="decrease")

    assert signals(chart)[1:7] == ["trend_increasing"] * 6
    assert chart.points[1].point_type == "special_cause_concern"


def test_run_chart_four_rising_points_are_not_a_trend():
    assert set(signals(spc.run_chart([3, 1, 2, 3, 4, 2]))) == {"common_cause"}


def test_run_chart_missing_value_breaks_trends_and_shifts():
    values = [1, 2, 3, None, 4, 5, 6]

    chart = spc.run_chart(values)

    assert set(signals(chart)) == {"common_cause"}
    assert chart.points[3].value is None


def test_run_chart_trend_option_and_neutral_direction():
    chart = spc.run_chart([5, 4, 3, 2], trend_length=4, improvement="neutral")

    assert signals(chart) == ["trend_decreasing"] * 4
    assert chart.variation == "neutral_low"


def test_run_chart_single_point_and_all_missing():
    assert spc.run_chart([4.0]).median == 4.0
    empty = spc.run_chart([None, None])
    assert empty.median is None
    assert empty.n_runs == 0


def test_run_chart_sorts_by_date_and_serialises():
    chart = spc.run_chart([2.0, 1.0], ["2024-02-01", "2024-01-01"])

    assert chart.to_dict()["points"] == [
        {
            "date": "2024-01-01",
            "value": 1.0,
            "median": 1.5,
            "signal": "common_cause",
            "point_type": "common_cause",
        },
        {
            "date": "2024-02-01",
            "value": 2.0,
            "median": 1.5,
            "signal": "common_cause",
            "point_type": "common_cause",
        },
    ]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"values": []}, "values"),
        ({"shift_length": 0}, "shift_length"),
        ({"trend_length": 1.5}, "trend_length"),
        ({"improvement": "more"}, "improvement"),
        ({"dates": ["2024-01-01", "2024-01-01"]}, "dates"),
    ],
)
def test_run_chart_invalid_input_names_the_argument(kwargs, name):
    arguments = {"values": [1.0, 2.0], **kwargs}

    with pytest.raises(ValueError, match=name):
        spc.run_chart(**arguments)
