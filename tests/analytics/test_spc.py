"""XmR charts: limits, rules, precedence, icons and edge cases.

Expected numbers are either worked by hand (in the comments) or ported from
NHSRplotthedots 0.2.x's own tests and snapshots, written here as data.
"""

import datetime as dt
import math

import numpy as np
import pytest

from msknet.analytics import spc

# A stable baseline used with fix_after_n_points=12: mean 11, mean moving
# range 2, so process limits 11 ± 5.32 = (5.68, 16.32) and two-sigma limits
# 11 ± 3.5467 = (7.4533, 14.5467). Later points do not move the limits.
BASE = [10.0, 12.0] * 6


def types(chart: spc.XmRChart) -> list[str]:
    return [str(p.special_cause_type) for p in chart.points]


def point_types(chart: spc.XmRChart) -> list[str]:
    return [str(p.point_type) for p in chart.points]


def after_base(values: list[float | None], **kwargs: object) -> list[str]:
    """Rule labels of the points that follow the fixed baseline."""
    chart = spc.xmr(BASE + values, fix_after_n_points=12, **kwargs)  # type: ignore[arg-type]
    assert chart.points[-1].mean == 11.0
    assert chart.points[-1].upl == pytest.approx(16.32)
    return types(chart)[12:]


# --- limits ------------------------------------------------------------------

# R: set.seed(123); rnorm(20) -- the data of NHSRplotthedots' own tests.
RNORM_20 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def test_xmr_matches_reference_snapshot_limits():
    # Snapshot in tests/testthat/_snaps/ptd_spc.md: mean 0.142, lpl -3.01,
    # upl 3.29, 20 common-cause points.
    chart = spc.xmr(RNORM_20)

    first = chart.points[0]
    assert first.mean == pytest.approx(0.142, abs=5e-4)
    assert first.lpl == pytest.approx(-3.01, abs=5e-3)
    assert first.upl == pytest.approx(3.29, abs=5e-3)
    assert set(point_types(chart)) == {"common_cause"}
    assert chart.variation == "common_cause"


@pytest.mark.parametrize(
    ("half", "mean", "lpl", "upl"),
    [(slice(0, 10), 0.0746, -2.60, 2.75), (slice(10, 20), 0.209, -3.28, 3.70)],
)
def test_xmr_matches_reference_snapshot_for_each_facet(half, mean, lpl, upl):
    chart = spc.xmr(RNORM_20[half])

    assert chart.points[0].mean == pytest.approx(mean, abs=5e-4)
    assert chart.points[0].lpl == pytest.approx(lpl, abs=5e-3)
    assert chart.points[0].upl == pytest.approx(upl, abs=5e-3)


def test_xmr_limits_by_hand():
    # mean 13/5 = 2.6; moving ranges 2, 1, 2, 1 -> 1.5; limits 2.6 ± 3.99.
    chart = spc.xmr([1, 3, 2, 4, 3])

    assert [p.mean for p in chart.points] == [pytest.approx(2.6)] * 5
    assert chart.points[0].lpl == pytest.approx(-1.39)
    assert chart.points[0].upl == pytest.approx(6.59)
    assert spc.LIMIT == 2.66
    assert spc.LIMIT_CLOSE == pytest.approx(1.773333)


def test_xmr_screens_outlying_moving_ranges_once():
    # MRs 0,0,0,20,20,0,0,0,0: mean 4.44, threshold 14.5 drops both 20s, so the
    # mean moving range is 0 and lpl = upl = mean = 12.
    values = [10.0] * 4 + [30.0] + [10.0] * 5

    chart = spc.xmr(values)

    assert chart.points[0].lpl == chart.points[0].upl == chart.points[0].mean
    assert types(chart) == ["below_lpl"] * 4 + ["above_upl"] + ["below_lpl"] * 5


def test_xmr_without_screening_keeps_outlying_moving_ranges():
    values = [10.0] * 4 + [30.0] + [10.0] * 5

    chart = spc.xmr(values, screen_outliers=False)

    # amr 40/9; upl = 12 + 2.66 * 4.44 = 23.82
    assert chart.points[0].upl == pytest.approx(12 + 2.66 * 40 / 9)
    assert types(chart) == ["common_cause"] * 4 + ["above_upl"] + ["common_cause"] * 5


def test_xmr_mean_uses_compensated_summation():
    # A naive left-to-right sum makes this mean 40.00000000000001, which would
    # put the seven 40s below the mean: a run.
    values = [40.0] * 7 + [37.1, 40.1, 42.8]

    chart = spc.xmr(values)

    assert chart.points[0].mean == 40.0
    assert types(chart)[:7] == ["common_cause"] * 7


def test_xmr_mean_of_repeated_decimal_is_exact():
    chart = spc.xmr([0.1] * 9)

    assert chart.points[0].mean == 0.1
    assert set(types(chart)) == {"common_cause"}


# --- very short, constant and missing ---------------------------------------


def test_xmr_one_point_has_no_limits():
    chart = spc.xmr([5.0], target=3)

    point = chart.points[0]
    assert (point.mean, point.lpl, point.upl) == (5.0, None, None)
    assert point.point_type == "common_cause"
    assert chart.variation == "common_cause"
    assert chart.assurance == "inconsistent"


def test_xmr_two_points_get_limits_from_one_moving_range():
    chart = spc.xmr([1.0, 2.0])

    assert chart.points[0].mean == 1.5
    assert chart.points[0].upl == pytest.approx(1.5 + 2.66)
    assert types(chart) == ["common_cause"] * 2


def test_xmr_constant_series_has_no_limits_and_no_signals():
    # Every moving range is 0 and 0 < 0 is false, so all are screened out.
    chart = spc.xmr([3.0] * 15)

    assert all(p.lpl is None and p.upl is None for p in chart.points)
    assert set(types(chart)) == {"common_cause"}


def test_xmr_constant_series_without_screening_has_zero_width_limits():
    chart = spc.xmr([3.0] * 15, screen_outliers=False)

    assert chart.points[0].lpl == chart.points[0].upl == 3.0
    assert set(types(chart)) == {"common_cause"}  # on the mean: not outside


def test_xmr_all_missing_does_not_crash():
    chart = spc.xmr([None, float("nan"), np.nan])

    assert all(p.value is None and p.mean is None for p in chart.points)
    assert chart.variation == "common_cause"


@pytest.mark.parametrize("where", [0, 5, 13])
def test_xmr_missing_value_is_common_cause_and_excluded(where):
    values: list[float | None] = [10.0, 12.0] * 7
    values[where] = None

    chart = spc.xmr(values)

    assert chart.points[where].value is None
    assert chart.points[where].point_type == "common_cause"
    assert chart.points[where].mean is not None  # the missing row gets limits
    present = [v for v in values if v is not None]
    assert chart.points[0].mean == pytest.approx(sum(present) / len(present))


def test_xmr_missing_last_value_gives_common_cause_icon():
    values = [6, 8, 6, 8, 6, 8, 6, 4, 2, 4, 2, 4, 2, 4, None]

    chart = spc.xmr(values)

    assert types(chart)[-2] == "run_below"
    assert chart.variation == "common_cause"


def test_xmr_missing_value_removes_both_adjacent_moving_ranges():
    # MRs: |1-3| = 2, then two missing, then |9-8| = 1 -> mean MR 1.5.
    chart = spc.xmr([1.0, 3.0, None, 9.0, 8.0])

    assert chart.points[0].upl == pytest.approx(21 / 4 + 2.66 * 1.5)


# --- outside limits ------------------------------------------------------------


def test_xmr_point_exactly_on_a_limit_is_inside():
    upl = spc.xmr(BASE, fix_after_n_points=12).points[0].upl
    assert upl is not None

    labels = after_base([upl, math.nextafter(upl, math.inf)])

    assert labels == ["common_cause", "above_upl"]


def test_xmr_point_exactly_on_two_sigma_is_not_close():
    near = 11.0 + spc.LIMIT_CLOSE * 2.0

    on = after_base([near, 12.0, near])
    beyond = after_base([math.nextafter(near, 99), 12.0, math.nextafter(near, 99)])

    assert on == ["common_cause"] * 3
    assert beyond == ["two_in_three_above", "common_cause", "two_in_three_above"]


def test_xmr_below_lower_limit():
    assert after_base([5.0]) == ["below_lpl"]


# --- trends --------------------------------------------------------------------


def test_xmr_trend_of_seven_rising_points():
    assert after_base([8, 9, 10, 11, 12, 13, 14]) == ["trend_increasing"] * 7


def test_xmr_trend_of_seven_falling_points():
    assert after_base([14, 13, 12, 11, 10, 9, 8]) == ["trend_decreasing"] * 7


def test_xmr_six_rising_points_are_not_a_trend_by_default():
    assert after_base([8, 9, 10, 11, 12, 13]) == ["common_cause"] * 6


def test_xmr_six_point_trend_option():
    labels = after_base([8, 9, 10, 11, 12, 13], trend_length=6)

    assert labels == ["trend_increasing"] * 6


def test_xmr_tie_breaks_a_trend():
    assert after_base([8, 9, 10, 10, 11, 12, 13]) == ["common_cause"] * 7


def test_xmr_missing_value_inside_a_trend_breaks_it_without_crashing():
    # NHSRplotthedots 0.2.2 stops with "missing value where TRUE/FALSE needed".
    labels = after_base([8, 9, 10, None, 11, 12, 13, 14])

    assert labels == ["common_cause"] * 8


def test_xmr_trend_turning_point_takes_the_trend_that_starts_at_it():
    # Reference test trend_down_then_up_shared_point: the bottom point is
    # shared and labelled by the rising trend that starts at it.
    labels = after_base([14, 13, 12, 11, 10, 9, 8, 9, 10, 11, 12, 13, 14])

    assert labels == ["trend_decreasing"] * 6 + ["trend_increasing"] * 7


def test_xmr_trend_end_before_a_tie_keeps_its_direction():
    # Our deviation: NHSRplotthedots labels the first 14 "Decreasing", because
    # it reads the step to the right (a tie) when both neighbours trend.
    values = [8, 9, 10, 11, 12, 13, 14, 14, 13, 12, 11, 10, 9, 8]

    labels = after_base(values)  # type: ignore[arg-type]

    assert labels == ["trend_increasing"] * 7 + ["trend_decreasing"] * 7


# --- two in three ----------------------------------------------------------------


def test_xmr_two_of_three_beyond_two_sigma():
    # 14.8 and 15 are beyond 14.55; 12 is above the mean but not close.
    assert after_base([14.8, 12, 15]) == [
        "two_in_three_above",
        "common_cause",
        "two_in_three_above",
    ]


def test_xmr_two_of_three_below():
    assert after_base([7.2, 10, 7.0]) == [
        "two_in_three_below",
        "common_cause",
        "two_in_three_below",
    ]


def test_xmr_two_of_three_needs_all_three_on_one_side():
    assert after_base([14.8, 10, 15]) == ["common_cause"] * 3


def test_xmr_two_close_points_at_the_end_need_the_point_before_on_their_side():
    # BASE ends with 12 (above the mean).
    assert after_base([14.8, 15]) == ["two_in_three_above"] * 2
    assert after_base([10, 14.8, 15]) == ["common_cause"] * 3


def test_xmr_two_of_three_ignores_points_beyond_the_limits_by_default():
    # Reference issue #153: a point beyond 3 sigma does not count as close.
    assert after_base([14.8, 17, 12]) == ["common_cause", "above_upl", "common_cause"]


def test_xmr_two_of_three_option_counts_points_beyond_the_limits():
    labels = after_base([14.8, 17, 12], two_in_three_beyond_limits=True)

    assert labels == ["two_in_three_above", "above_upl", "common_cause"]


def test_xmr_missing_value_in_a_two_of_three_window_disqualifies_it():
    assert after_base([14.8, None, 15]) == ["common_cause"] * 3


def test_xmr_two_close_points_on_opposite_sides_are_common_cause():
    # Ported from test-ptd_spc_standard.R: symmetric data, then 5.5 and -5.5.
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5

    chart = spc.xmr(values)

    assert point_types(chart)[-2:] == ["common_cause", "common_cause"]


# --- runs ------------------------------------------------------------------------

# mean exactly 5; mean moving range 2 (limits 5 ± 5.32, two sigma 5 ± 3.55).
RUNS = [6, 8, 6, 8, 6, 8, 6, 4, 2, 4, 2, 4, 2, 4]


def test_xmr_run_of_seven_on_each_side():
    chart = spc.xmr(RUNS)

    assert chart.points[0].mean == 5.0
    assert types(chart) == ["run_above"] * 7 + ["run_below"] * 7


@pytest.mark.parametrize(("length", "signal"), [
    (6, False),  # one short of the rule
    (7, True),   # the rule's length
    (8, True),   # longer: every point of the run is marked, not only seven
])
@pytest.mark.parametrize(("values", "label"), [
    ([12.0, 13.0], "run_above"),  # above the fixed mean of 11, inside two sigma
    ([10.0, 9.0], "run_below"),
])
def test_xmr_run_rule_at_its_length_and_either_side(length, signal, values, label):
    # Alternating values never make a trend; a point on the mean starts the
    # run afresh (the baseline ends above it) and one across the mean ends it.
    run = (values * length)[:length]
    across = 22.0 - values[0]  # the first value mirrored across the mean

    labels = after_base([11.0, *run, across])

    assert labels[1:length + 1] == ([label] if signal else ["common_cause"]) * length
    assert labels[length + 1] == "common_cause"


def test_xmr_point_on_the_mean_breaks_a_run():
    # Same means and ranges, with the 4th and 11th points exactly on the mean.
    values = [6, 8, 6, 5, 8, 6, 8, 4, 2, 4, 5, 2, 4, 2]

    chart = spc.xmr(values)

    assert chart.points[0].mean == 5.0
    assert set(types(chart)) == {"common_cause"}


def test_xmr_run_of_six_only_with_the_option():
    values = [6, 8, 6, 8, 6, 8, 4, 2, 4, 2, 4, 2]

    assert set(types(spc.xmr(values))) == {"common_cause"}
    labels = types(spc.xmr(values, run_length=6))
    assert labels == ["run_above"] * 6 + ["run_below"] * 6


def test_xmr_missing_value_breaks_a_run():
    values: list[float | None] = [6, 8, 6, None, 8, 6, 8, 4, 2, 4, 2, 4, 2, 4]

    labels = types(spc.xmr(values))

    assert labels[:7] == ["common_cause"] * 7
    assert labels[7:] == ["run_below"] * 7


# --- precedence ----------------------------------------------------------------


def test_xmr_outside_limits_beats_trend():
    labels = after_base([8, 9, 10, 11, 12, 13, 14, 17])

    assert labels == ["trend_increasing"] * 7 + ["above_upl"]


def test_xmr_trend_beats_two_of_three():
    # 14.6 and 15 are close and above the mean, but part of a rising trend.
    labels = after_base([9, 10, 11, 12, 13, 14.6, 15])

    assert labels == ["trend_increasing"] * 7


def test_xmr_two_of_three_beats_run():
    # The 7s are beyond two sigma (6.91) in runs of points above the mean.
    values = [6, 7, 6, 7, 6, 7, 6, 4, 3, 4, 3, 4, 3, 4]

    labels = types(spc.xmr(values))

    assert labels[:7] == ["run_above", *["two_in_three_above", "run_above"] * 3]


def test_xmr_point_below_lpl_inside_rising_trend_is_concern():
    labels = after_base([5, 6, 8, 9, 10, 11, 12])

    assert labels == ["below_lpl"] + ["trend_increasing"] * 6


# --- direction, point types and variation icons ----------------------------------


@pytest.mark.parametrize(
    ("values", "improvement", "point_type", "variation"),
    [
        (RUNS, "increase", "special_cause_concern", "concern_low"),
        (RUNS[::-1], "increase", "special_cause_improvement", "improvement_high"),
        (RUNS, "decrease", "special_cause_improvement", "improvement_low"),
        (RUNS[::-1], "decrease", "special_cause_concern", "concern_high"),
        (RUNS, "neutral", "special_cause_neutral_low", "neutral_low"),
        (RUNS[::-1], "neutral", "special_cause_neutral_high", "neutral_high"),
        (RUNS[:10], "increase", "common_cause", "common_cause"),
    ],
)
def test_xmr_variation_icon_from_latest_point(
    values, improvement, point_type, variation
):
    chart = spc.xmr(values, improvement=improvement)

    assert chart.points[-1].point_type == point_type
    assert chart.variation == variation


def test_xmr_trend_point_type_follows_trend_direction_not_side_of_mean():
    # A rising trend that starts below the mean is improvement throughout.
    chart = spc.xmr(BASE + [8, 9, 10, 11, 12, 13, 14], fix_after_n_points=12)

    assert set(point_types(chart)[12:]) == {"special_cause_improvement"}


# --- assurance -------------------------------------------------------------------

# mean 2, mean moving range 2: limits (-3.32, 7.32).
ALTERNATING = [1.0, 3.0] * 8


@pytest.mark.parametrize(
    ("target", "improvement", "assurance"),
    [
        (8, "increase", "consistent_fail"),
        (-4, "increase", "consistent_pass"),
        (2, "increase", "inconsistent"),
        (8, "decrease", "consistent_pass"),
        (-4, "decrease", "consistent_fail"),
        (2, "decrease", "inconsistent"),
        (8, "neutral", None),
        (None, "increase", None),
    ],
)
def test_xmr_assurance(target, improvement, assurance):
    chart = spc.xmr(ALTERNATING, target=target, improvement=improvement)

    assert chart.assurance == assurance


def test_xmr_target_exactly_on_a_limit_is_inconsistent():
    upl = spc.xmr(ALTERNATING).points[0].upl
    assert upl is not None

    assert spc.xmr(ALTERNATING, target=upl).assurance == "inconsistent"


def test_xmr_assurance_uses_the_latest_rebase_group():
    values = ALTERNATING + [11.0, 13.0] * 8
    rebase = [16]  # positions, as there are no dates

    # 5 is within the first group's limits but below the second's (6.68).
    chart = spc.xmr(values, rebase=rebase, target=5)

    assert chart.points[-1].lpl == pytest.approx(12 - 5.32)
    assert chart.assurance == "consistent_pass"


# --- rebase ----------------------------------------------------------------------


def monthly(n: int) -> list[dt.date]:
    return [dt.date(2023 + m // 12, m % 12 + 1, 1) for m in range(n)]


def test_xmr_rebase_gives_each_group_its_own_limits():
    values = [10.0, 12.0] * 6 + [20.0, 22.0] * 6
    dates = monthly(24)

    chart = spc.xmr(values, dates, rebase=[dt.date(2024, 1, 1)])

    assert [p.mean for p in chart.points] == [11.0] * 12 + [21.0] * 12
    assert [p.rebase_group for p in chart.points] == [0] * 12 + [1] * 12
    assert set(types(chart)) == {"common_cause"}


def test_xmr_without_rebase_flags_the_shift():
    values = [10.0, 12.0] * 6 + [20.0, 22.0] * 6

    chart = spc.xmr(values, monthly(24))

    assert "common_cause" not in types(chart)


def test_xmr_rebase_date_absent_from_data_is_ignored():
    values = [10.0, 12.0] * 6 + [20.0, 22.0] * 6

    chart = spc.xmr(values, monthly(24), rebase=["2024-01-15"])

    assert chart == spc.xmr(values, monthly(24))


def test_xmr_rebase_on_first_date_changes_nothing():
    dates = monthly(14)

    chart = spc.xmr(RUNS, dates, rebase=[dates[0]])

    assert chart == spc.xmr(RUNS, dates)


def test_xmr_runs_do_not_cross_a_rebase():
    values = [10.0, 12.0] * 6 + [20.0, 22.0] * 6

    chart = spc.xmr(values, rebase=[12], fix_after_n_points=12)

    assert set(types(chart)) == {"common_cause"}


def test_xmr_fix_after_n_points_applies_within_each_rebase_group():
    values = BASE + [100.0] + BASE + [100.0]

    chart = spc.xmr(values, rebase=[13], fix_after_n_points=12)

    assert [p.mean for p in chart.points] == [11.0] * 26
    assert types(chart)[12] == types(chart)[25] == "above_upl"


# --- fix_after_n_points ---------------------------------------------------------


@pytest.mark.parametrize("bad", [0, 11, -3, 12.5, True])
def test_xmr_fix_after_fewer_than_12_points_is_an_error(bad):
    with pytest.raises(ValueError, match="fix_after_n_points"):
        spc.xmr(BASE, fix_after_n_points=bad)


def test_xmr_fix_after_n_points_freezes_limits():
    frozen = spc.xmr(BASE + [30.0, 31.0], fix_after_n_points=12)
    moving = spc.xmr(BASE + [30.0, 31.0])

    assert frozen.points[-1].mean == 11.0
    assert moving.points[-1].mean != 11.0
    assert types(frozen)[-2:] == ["above_upl", "above_upl"]


def test_xmr_fix_after_more_points_than_data_uses_them_all():
    assert spc.xmr(RUNS, fix_after_n_points=50) == spc.xmr(RUNS)


def test_xmr_fix_counts_missing_rows():
    # The baseline is the first 12 rows, missing ones included.
    values: list[float | None] = [*BASE[:11], None, 50.0]

    chart = spc.xmr(values, fix_after_n_points=12)

    assert chart.points[0].mean == pytest.approx(sum(BASE[:11]) / 11)


# --- dates -----------------------------------------------------------------------


def test_xmr_sorts_points_by_date():
    dates = ["2024-03-01", "2024-01-01", "2024-02-01"]

    chart = spc.xmr([3.0, 1.0, 2.0], dates)

    assert [p.value for p in chart.points] == [1.0, 2.0, 3.0]
    assert chart.points[0].date == dt.date(2024, 1, 1)
    assert chart.to_records()[0]["date"] == "2024-01-01"


def test_xmr_accepts_datetimes_and_datetime64():
    values = [1.0, 2.0, 4.0]
    days = [dt.datetime(2024, 1, d, 9, 30) for d in (1, 2, 3)]

    by_datetime = spc.xmr(values, days)
    by_numpy = spc.xmr(values, np.array(days, dtype="datetime64[us]"))

    assert by_datetime == by_numpy
    assert by_datetime.points[0].date == dt.datetime(2024, 1, 1, 9, 30)


def test_xmr_without_dates_labels_points_by_position():
    chart = spc.xmr([1.0, 2.0, 4.0])

    assert [p.date for p in chart.points] == [0, 1, 2]


def test_xmr_duplicate_dates_are_an_error():
    with pytest.raises(ValueError, match="dates"):
        spc.xmr([1.0, 2.0], ["2024-01-01", "2024-01-01"])


# --- validation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"values": []}, "values"),
        ({"values": ["a", "b"]}, "values"),
        ({"values": "123"}, "values"),
        ({"values": [1.0, math.inf]}, "values"),
        ({"values": [[1.0], [2.0]]}, "values"),
        ({"dates": ["2024-01-01"]}, "dates"),
        ({"dates": ["2024-01-01", "yesterday"]}, "dates"),
        ({"dates": [1, 2]}, "dates"),
        ({"improvement": "up"}, "improvement"),
        ({"target": "high"}, "target"),
        ({"target": math.nan}, "target"),
        ({"rebase": "2024-01-01"}, "rebase"),
        ({"rebase": ["2024-01-01"]}, "rebase"),
        ({"run_length": 1}, "run_length"),
        ({"trend_length": "7"}, "trend_length"),
        ({"screen_outliers": "yes"}, "screen_outliers"),
        ({"two_in_three_beyond_limits": 1}, "two_in_three_beyond_limits"),
    ],
)
def test_xmr_invalid_input_names_the_argument(kwargs, name):
    arguments = {"values": [1.0, 2.0], **kwargs}

    with pytest.raises(ValueError, match=name):
        spc.xmr(**arguments)


def test_xmr_mixed_naive_and_aware_datetimes_are_an_error():
    dates = [dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 2, tzinfo=dt.UTC)]

    with pytest.raises(ValueError, match="dates"):
        spc.xmr([1.0, 2.0], dates)


# --- results ---------------------------------------------------------------------


def test_xmr_chart_is_frozen_and_serialisable():
    chart = spc.xmr([1.0, None, 3.0], ["2024-01-01", "2024-02-01", "2024-03-01"])

    with pytest.raises(AttributeError):
        chart.variation = spc.Variation.NEUTRAL_HIGH  # type: ignore[misc]
    as_dict = chart.to_dict()
    assert as_dict["variation"] == "common_cause"
    assert as_dict["assurance"] is None
    assert as_dict["points"][1] == {  # type: ignore[index]
        "date": "2024-02-01",
        "value": None,
        "mean": 2.0,
        "lpl": None,
        "upl": None,
        "special_cause_type": "common_cause",
        "point_type": "common_cause",
        "rebase_group": 0,
    }
