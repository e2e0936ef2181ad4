"""Tests for phe.dsr, phe.isratio and phe.israte.

Independent checks: when each band's population is proportional to the
standard population the DSR is the crude rate and Dobson's limits reduce to
Byar's/count limits on the total; a hand-worked two-band Dobson example; and
single-band indirect standardisation reducing to O / E with count limits.
"""

import numpy as np
import pytest
from scipy import stats

from msknet.analytics import phe


def test_esp2013_has_19_bands_summing_to_100000():
    assert len(phe.ESP2013) == 19
    assert sum(phe.ESP2013) == 100000


def test_dsr_equals_crude_rate_when_population_matches_standard():
    # n_i = 0.3 * w_i: the DSR is the crude rate, Dobson limits are Byar's on O.
    stdpop = np.array(phe.ESP2013, dtype=float)
    pop = 0.3 * stdpop
    events = np.arange(19) + 5.0  # 266 events

    est = phe.dsr(events, pop, stdpop, confidence=(0.95, 0.998))
    crude = phe.rate(events.sum(), pop.sum(), confidence=(0.95, 0.998))

    assert est.value == pytest.approx(crude.value)
    assert est.lower == pytest.approx(crude.lower)
    assert est.upper == pytest.approx(crude.upper)
    assert est.method == "Dobson"
    assert est.extras == {"total_count": 266.0, "total_pop": pytest.approx(30000.0)}


def test_dsr_hand_worked_two_bands():
    # Bands: 10 events / 1000 people (weight 60), 30 / 2000 (weight 40), per 1000.
    # value = (10*60/1000 + 30*40/2000) / 100 * 1000 = (0.6 + 0.6) * 10 = 12
    # var = (10*(0.06)^2 + 30*(0.02)^2) / 100^2 = (0.036 + 0.012) / 10000 = 4.8e-6
    est = phe.dsr([10, 30], [1000, 2000], [60, 40], multiplier=1000)
    lower_count, upper_count = phe.byars(40)
    scale = np.sqrt(4.8e-6 / 40) * 1000
    assert est.value == pytest.approx(12.0)
    assert est.lower == pytest.approx(12.0 + scale * (lower_count - 40))
    assert est.upper == pytest.approx(12.0 + scale * (upper_count - 40))
    assert est.statistic == "dsr per 1000"


def test_dsr_below_ten_events_is_suppressed_and_ten_is_not():
    nine = phe.dsr([4, 5], [1000, 1000], [1, 1])
    assert (nine.value, nine.lower, nine.upper) == (None, None, None)
    assert nine.statistic == "dsr NA for total count < 10"
    assert nine.extras["total_count"] == 9.0

    two_levels = phe.dsr([4, 5], [1000, 1000], [1, 1], confidence=(0.95, 0.998))
    assert two_levels.lower == (None, None)

    ten = phe.dsr([5, 5], [1000, 1000], [1, 1])
    assert ten.value == pytest.approx(500.0)
    assert ten.lower is not None and ten.lower < 500.0 < ten.upper


def test_dsr_missing_events_count_as_zero():
    with_nan = phe.dsr([np.nan, 20, 30], [100, 200, 300], [1, 1, 1])
    with_zero = phe.dsr([0, 20, 30], [100, 200, 300], [1, 1, 1])
    assert with_nan == with_zero


def test_isratio_single_band_is_observed_over_expected():
    # E = 50 / 1000 * 400 = 20; O = 30 -> ratio 1.5 with Byar's limits / E.
    est = phe.isratio([30], [400], [50], [1000])
    lower, upper = phe.byars(30)
    assert est.value == pytest.approx(1.5)
    assert (est.lower, est.upper) == pytest.approx((lower / 20, upper / 20))
    assert est.method == "Byars"
    assert est.extras == {"observed": 30.0, "expected": pytest.approx(20.0)}


def test_isratio_small_counts_use_exact_limits_and_refvalue():
    est = phe.isratio([2, 3], [100, 100], [10, 30], [1000, 1000], refvalue=100)
    expected = 0.01 * 100 + 0.03 * 100  # 4
    assert est.method == "Exact"
    assert est.value == pytest.approx(5 / expected * 100)
    assert est.lower == pytest.approx(stats.chi2.ppf(0.025, 10) / 2 / expected * 100)
    assert est.upper == pytest.approx(stats.chi2.ppf(0.975, 12) / 2 / expected * 100)


def test_isratio_zero_observed():
    est = phe.isratio([0, 0], [100, 100], [10, 30], [1000, 1000])
    assert (est.value, est.lower) == (0.0, 0.0)
    assert est.upper == pytest.approx(stats.chi2.ppf(0.975, 2) / 2 / 4)


def test_isratio_observed_total_overrides_x():
    est = phe.isratio(None, [100, 100], [10, 30], [1000, 1000], observed=12)
    assert est.value == pytest.approx(3.0)
    assert est.extras["observed"] == 12.0


def test_israte_is_ratio_times_reference_rate():
    args = ([20, 25], [1000, 3000], [300, 200], [10000, 20000])
    ratio = phe.isratio(*args, confidence=(95, 99.8))
    rate = phe.israte(*args, confidence=(95, 99.8), multiplier=1000)
    ref_rate = 500 / 30000 * 1000
    assert rate.extras["reference_rate"] == pytest.approx(ref_rate)
    assert rate.value == pytest.approx(ratio.value * ref_rate)
    assert rate.lower == pytest.approx(tuple(v * ref_rate for v in ratio.lower))
    assert rate.upper == pytest.approx(tuple(v * ref_rate for v in ratio.upper))


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: phe.dsr([-1, 20], [100, 100], [1, 1]), "x"),
        (lambda: phe.dsr([10, 20], [0, 100], [1, 1]), "n"),
        (lambda: phe.dsr([10, 20], [100, 100], [-1, 1]), "stdpop"),
        (lambda: phe.dsr([10, 20], [100, 100], [1, 1, 1]), "stdpop"),
        (lambda: phe.dsr([10, 20], [100, 100], [1, 1], confidence=0.8), "confidence"),
        (lambda: phe.dsr([10, 20], [100, 100], [1, 1], multiplier=-1), "multiplier"),
        (lambda: phe.isratio([-1], [10], [1], [10]), "x"),
        (lambda: phe.isratio([1], [10], [1], [0]), "n_ref"),
        (lambda: phe.isratio([1], [10], [-1], [10]), "x_ref"),
        (lambda: phe.isratio([1], [10], [0], [10]), "expected"),
        (lambda: phe.isratio(None, [10], [1], [10]), "observed"),
        (lambda: phe.isratio(None, [10], [1], [10], observed=-3), "observed"),
        (lambda: phe.isratio([1], [10], [1], [10], refvalue=0), "refvalue"),
        (lambda: phe.israte([1], [10], [1], [10], confidence=120), "confidence"),
        (lambda: phe.israte([1], [10], [1], [10], multiplier=0), "multiplier"),
    ],
)
def test_invalid_input_raises_value_error_naming_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
