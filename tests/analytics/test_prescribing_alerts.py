"""The alert method: a CUSUM on an organisation's monthly percentile signals a
sustained move up or down the ranking, once, and not a stable series or a
single unusual month."""

import math

import pytest

from msknet.analytics.prescribing import alerts
from msknet.analytics.prescribing.alerts import CusumParams, cusum

# Twelve months wobbling a few points around the 50th percentile: the
# reference period (mean 50, standard deviation about 2.6).
STEADY = [50, 53, 47, 51, 49, 54, 46, 50, 52, 48, 51, 49]


def test_stable_series_does_not_signal():
    series = STEADY * 3

    found = cusum(series)

    assert found.signals == ()


def test_no_month_signals_before_the_reference_period_is_complete():
    found = cusum([10, 90, 10, 90, 95, 99])

    assert found.signals == ()
    assert set(found.upper) == {None}


def test_sustained_rise_signals_up_in_its_second_month():
    series = STEADY + [85, 86, 88, 87]

    found = cusum(series)

    assert [(s.index, s.direction) for s in found.signals] == [(13, "up")]
    signal = found.signal_at(13)
    assert signal.from_percentile == pytest.approx(50.0)
    assert signal.to_percentile == 86


def test_sustained_fall_signals_down():
    series = STEADY + [20, 18, 22]

    found = cusum(series)

    assert [(s.index, s.direction) for s in found.signals] == [(13, "down")]
    assert found.signal_at(-2).to_percentile == 18


def test_single_spike_does_not_signal():
    series = STEADY + [99] + STEADY

    found = cusum(series)

    assert found.signals == ()


def test_plain_cusum_without_clipping_signals_a_large_single_spike():
    series = STEADY + [99, 50, 49]

    found = cusum(series, CusumParams(clip=None))

    assert [(s.index, s.direction) for s in found.signals] == [(12, "up")]


def test_small_gradual_drift_signals_once_it_has_built_up():
    # Two points a month above the reference: each month adds a little.
    series = STEADY + [50 + 2 * i for i in range(1, 13)]

    found = cusum(series)

    first = found.signals[0]
    assert first.direction == "up"
    assert 12 < first.index < 24


def test_change_is_signalled_once_then_compared_with_the_new_level():
    series = STEADY + [85, 86, 84, 86, 85, 87, 84, 86, 85, 86, 84, 85, 86, 85]

    found = cusum(series)

    assert len(found.signals) == 1


def test_a_second_change_after_a_new_reference_period_signals_again():
    # The new reference period starts at the month that signalled (index 13).
    high = [85, 86, 84, 86, 85, 87, 84, 86, 85, 86, 84, 85, 86]
    series = STEADY + high + [20, 22]

    found = cusum(series)

    assert [s.direction for s in found.signals] == ["up", "down"]
    assert found.signals[1].index == len(series) - 1


def test_missing_months_are_skipped_not_counted():
    series = [*STEADY[:6], None, *STEADY[6:], math.nan, 85, 86]

    found = cusum(series)

    assert found.upper[6] is None and found.upper[13] is None
    assert [(s.index, s.direction) for s in found.signals] == [(15, "up")]


def test_flat_reference_uses_the_least_standard_deviation():
    # Never moved: a shift of two places is not a change.
    series = [40.0] * 12 + [42.0, 42.0, 42.0, 42.0]

    found = cusum(series)

    assert found.signals == ()


def test_same_series_gives_the_same_signals():
    series = STEADY + [85, 86]

    assert cusum(series) == cusum(list(series))


@pytest.mark.parametrize("params", [
    {"window": 1}, {"threshold": 0}, {"min_sd": 0}, {"slack": 1.0, "clip": 0.5},
])
def test_parameters_are_checked(params):
    with pytest.raises(ValueError):
        CusumParams(**params)


def rows(org, percentiles, start=1):
    return [{"month": f"2024-{start + i:02d}", "org_code": org, "value": p / 10,
             "percentile": p} for i, p in enumerate(percentiles)]


def test_changes_in_month_names_only_the_organisations_that_moved():
    table = rows("MOVED", STEADY[:10] + [90, 92]) + rows("STILL", STEADY)
    params = CusumParams(window=10)

    found = alerts.changes_in_month(table, "2024-12", params=params)

    assert list(found) == ["MOVED"]
    change = found["MOVED"]
    assert change.signal.direction == "up"
    assert change.latest_value == 9.2
    assert [m.month for m in change.history][-1] == "2024-12"


def test_changes_in_month_is_empty_for_a_month_without_data():
    table = rows("MOVED", STEADY[:10] + [90, 92])

    assert alerts.changes_in_month(table, "2025-01") == {}


def test_changes_in_month_looks_only_at_the_organisations_asked_about():
    table = rows("MOVED", STEADY[:10] + [90, 92]) + rows("OTHER", STEADY[:10] + [5, 4])
    params = CusumParams(window=10)

    found = alerts.changes_in_month(table, "2024-12", org_codes=["OTHER"],
                                    params=params)

    assert list(found) == ["OTHER"]
    assert found["OTHER"].signal.direction == "down"


def test_an_organisation_missing_a_month_gets_a_gap_in_its_series():
    table = rows("A", [50, 51]) + [{"month": "2024-03", "org_code": "B", "value": 1.0,
                                    "percentile": 50.0}]

    months, series = alerts.series_by_org(table)

    assert months == ["2024-01", "2024-02", "2024-03"]
    assert series["A"][2].percentile is None
    assert series["B"][0].value is None
