"""xmr_many: many series at once, the same numbers as xmr on each."""

import datetime as dt
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msknet.analytics import spc

START = dt.date(2020, 1, 1)


def day(i: int) -> dt.date:
    return START + dt.timedelta(days=i)


def test_xmr_many_matches_xmr_per_series_in_any_row_order():
    rng = random.Random(7)
    series = {
        "A81001": [rng.gauss(50, 5) for _ in range(30)],
        "B82002": [10.0, 12.0] * 6 + [30.0, None, 31.0],
        "C83003": [4.0],
    }
    rows = [(k, day(i), v) for k, vs in series.items() for i, v in enumerate(vs)]
    rng.shuffle(rows)
    ids, dates, values = zip(*rows, strict=True)

    many = spc.xmr_many(ids, dates, values, improvement="decrease", target=45)

    assert len(many) == 3
    assert list(many.series_ids) == ["A81001", "B82002", "C83003"]
    for key, vs in series.items():
        expected = spc.xmr(
            vs, [day(i) for i in range(len(vs))], improvement="decrease", target=45
        )
        assert many.chart(key) == expected


def test_xmr_many_columns_are_sorted_by_id_then_date():
    many = spc.xmr_many(
        ["b", "a", "b", "a"],
        ["2024-02-01", "2024-02-01", "2024-01-01", "2024-01-01"],
        [4.0, 2.0, 3.0, 1.0],
    )

    assert list(many.ids) == ["a", "a", "b", "b"]
    assert list(many.values) == [1.0, 2.0, 3.0, 4.0]
    assert list(many.series_starts) == [0, 2]
    assert list(many.mean) == [1.5, 1.5, 3.5, 3.5]
    assert many.to_records()[0] == {
        "id": "a",
        "date": "2024-01-01",
        "value": 1.0,
        "mean": 1.5,
        "lpl": pytest.approx(1.5 - 2.66),
        "upl": pytest.approx(1.5 + 2.66),
        "special_cause_type": "common_cause",
        "point_type": "common_cause",
        "rebase_group": 0,
    }
    assert [r["n_points"] for r in many.series_records()] == [2, 2]


def test_xmr_many_accepts_numpy_columns():
    ids = np.repeat(np.array([101, 202]), 14)
    dates = np.tile(np.arange("2023-01", "2024-03", dtype="datetime64[M]"), 2)
    values = np.tile(np.array([6, 8, 6, 8, 6, 8, 6, 4, 2, 4, 2, 4, 2, 4.0]), 2)

    many = spc.xmr_many(ids, dates, values)

    chart = many.chart(202)
    assert chart.points[0].date == dt.date(2023, 1, 1)
    assert chart.variation == "concern_low"
    assert list(many.variation) == ["concern_low", "concern_low"]


def test_xmr_many_targets_and_rebases_per_series():
    values = [1.0, 3.0] * 8 + [11.0, 13.0] * 8
    ids = ["x"] * 32 + ["y"] * 32
    dates = [day(i) for i in range(32)] * 2

    many = spc.xmr_many(
        ids,
        dates,
        values * 2,
        target={"x": 5.0, "zz": 1.0},
        rebase={"x": [day(16)], "not-there": [day(3)]},
    )

    assert many.chart("x") == spc.xmr(values, dates[:32], target=5.0, rebase=[day(16)])
    assert many.chart("y") == spc.xmr(values, dates[:32])
    assert list(many.assurance) == ["consistent_pass", None]


def test_xmr_many_without_dates_keeps_row_order_within_each_series():
    many = spc.xmr_many(["a", "b", "a", "b"], None, [1.0, 5.0, 2.0, 6.0], rebase=[1])

    assert many.chart("a") == spc.xmr([1.0, 2.0], rebase=[1])
    assert [p.date for p in many.chart("b").points] == [0, 1]


def test_xmr_many_charts_iterates_every_series_in_id_order():
    many = spc.xmr_many(["b", "a", "b"], None, [1.0, 2.0, 3.0])

    charts = dict(many.charts())

    assert list(charts) == ["a", "b"]
    assert charts["b"] == spc.xmr([1.0, 3.0])


def test_xmr_many_empty_input_gives_an_empty_result():
    many = spc.xmr_many([], [], [])

    assert len(many) == 0
    assert many.to_records() == []
    assert many.series_records() == []


def test_xmr_many_unknown_id_is_a_key_error():
    many = spc.xmr_many(["a"], None, [1.0])

    with pytest.raises(KeyError):
        many.chart("b")


def test_xmr_many_duplicate_date_names_the_series():
    with pytest.raises(ValueError, match="dates.*'b'"):
        spc.xmr_many(["a", "b", "b"], [day(0), day(0), day(0)], [1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"ids": ["a"]}, "ids"),
        ({"improvement": "sideways"}, "improvement"),
        ({"fix_after_n_points": 5}, "fix_after_n_points"),
        ({"target": {"a": "x"}}, "target"),
        ({"rebase": {"a": "2020-01-01"}}, "rebase"),
    ],
)
def test_xmr_many_invalid_input_names_the_argument(kwargs, name):
    arguments = {"ids": ["a", "a"], "dates": None, "values": [1.0, 2.0], **kwargs}

    with pytest.raises(ValueError, match=name):
        spc.xmr_many(**arguments)


# Values from a small set make ties, points on the mean and constant stretches
# common; None makes missing values common.
value = st.one_of(
    st.none(), st.sampled_from([0.0, 1.0, 2.0, 2.5, 3.0, 10.0]), st.floats(-100, 100)
)
one_series = st.lists(value, min_size=1, max_size=40)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    series=st.lists(one_series, min_size=1, max_size=6),
    rebase_days=st.lists(st.integers(0, 45), max_size=3),
    fix=st.one_of(st.none(), st.integers(12, 20)),
    screen=st.booleans(),
    lengths=st.sampled_from([(7, 7), (6, 6), (6, 7)]),
    beyond=st.booleans(),
    improvement=st.sampled_from(["increase", "decrease", "neutral"]),
    target=st.one_of(st.none(), st.floats(-10, 20)),
    seed=st.integers(0, 2**16),
)
def test_xmr_many_equals_xmr_on_every_series(
    series, rebase_days, fix, screen, lengths, beyond, improvement, target, seed
):
    options = {
        "improvement": improvement,
        "target": target,
        "rebase": [day(d) for d in rebase_days],
        "fix_after_n_points": fix,
        "screen_outliers": screen,
        "run_length": lengths[0],
        "trend_length": lengths[1],
        "two_in_three_beyond_limits": beyond,
    }
    rows = [(k, day(i), v) for k, vs in enumerate(series) for i, v in enumerate(vs)]
    random.Random(seed).shuffle(rows)
    ids, dates, values = zip(*rows, strict=True)

    many = spc.xmr_many(np.array(ids), list(dates), list(values), **options)

    for k, vs in enumerate(series):
        expected = spc.xmr(vs, [day(i) for i in range(len(vs))], **options)
        assert many.chart(k) == expected
