"""Tests for msknet.analytics.phe: Wilson, Byar's, proportions, rates, means.

Expected values come from routes independent of the implementation: solving
the Wilson score equation by root finding, exact Poisson tails from
scipy.stats.poisson, scipy.stats.t.interval, and the reference package's own
test inputs (PHEindicatormethods tests/testthat/testWilson.R, testByars.R:
x = 65, 1045, 0.445 with n = 100, 5000, 1 at 95% and 99.8%).
"""

import json

import numpy as np
import pytest
from scipy import optimize, stats

from msknet.analytics import phe


def wilson_by_root_finding(x: float, n: float, level: float) -> tuple[float, float]:
    """Wilson limits as the two roots of (x/n - p)^2 = z^2 p (1 - p) / n."""
    z = stats.norm.ppf(0.5 + level / 2)
    p_hat = x / n

    def score(p: float) -> float:
        return (p_hat - p) ** 2 - z**2 * p * (1 - p) / n

    # Each root lies on one side of p_hat; step off p_hat where it is 0 or 1.
    lower = (
        0.0 if x == 0 else optimize.brentq(score, 0.0, p_hat * (1 - 1e-12), xtol=1e-15)
    )
    upper = 1.0 if x == n else optimize.brentq(score, p_hat + 1e-12, 1.0, xtol=1e-15)
    return lower, upper


# -- wilson ------------------------------------------------------------------

# Inputs from PHEindicatormethods testWilson.R (its expected values live in an
# Excel workbook); we check them against the score equation instead.
REFERENCE_WILSON_INPUTS = [(65, 100), (1045, 5000), (0.445, 1)]


@pytest.mark.parametrize("x, n", REFERENCE_WILSON_INPUTS)
@pytest.mark.parametrize("confidence", [0.95, 95, 0.998, 99.8])
def test_wilson_matches_score_equation_roots(x, n, confidence):
    level = confidence / 100 if confidence > 1 else confidence

    lower, upper = phe.wilson(x, n, confidence=confidence)

    expected = wilson_by_root_finding(x, n, level)
    assert lower == pytest.approx(expected[0], rel=1e-9)
    assert upper == pytest.approx(expected[1], rel=1e-9)


def test_wilson_published_example():
    # Newcombe & Altman, Statistics with Confidence: 81/263 -> 0.2553 to 0.3662.
    lower, upper = phe.wilson(81, 263)
    assert (round(lower, 4), round(upper, 4)) == (0.2553, 0.3662)


def test_wilson_zero_and_all_successes_are_exact():
    assert phe.wilson(0, 50)[0] == 0.0
    assert phe.wilson(50, 50)[1] == 1.0
    assert phe.wilson(0, 50)[1] == pytest.approx(wilson_by_root_finding(0, 50, 0.95)[1])


def test_wilson_confidence_one_gives_zero_and_one():
    # testWilson.R: confidence = 1 -> lower 0, upper 1 whatever x and n.
    assert phe.wilson(65, 100, confidence=1) == (0.0, 1.0)
    assert phe.wilson(65, 100, confidence=100) == (0.0, 1.0)


def test_wilson_vectorised_matches_scalar():
    lower, upper = phe.wilson(np.array([65, 1045]), np.array([100, 5000]))
    assert isinstance(lower, np.ndarray)
    assert lower[1] == pytest.approx(phe.wilson(1045, 5000)[0])
    assert upper[0] == pytest.approx(phe.wilson(65, 100)[1])


# -- byars -------------------------------------------------------------------


@pytest.mark.parametrize("x", [10, 65, 1045])
@pytest.mark.parametrize("confidence", [0.95, 99.8])
def test_byars_close_to_exact_poisson_limits(x, confidence):
    # testByars.R inputs. Byar's approximates the exact (gamma) limits closely.
    level = confidence / 100 if confidence > 1 else confidence
    alpha = (1 - level) / 2

    lower, upper = phe.byars(x, confidence=confidence)

    # (within 2% at 10 events and 99.8%, 0.2% from 65 events)
    tolerance = 2e-2 if x == 10 else 2e-3
    assert lower == pytest.approx(stats.gamma.ppf(alpha, x), rel=tolerance)
    assert upper == pytest.approx(stats.gamma.ppf(1 - alpha, x + 1), rel=tolerance)


def test_byars_formula_hand_worked_at_one_event():
    # lower = 1 * (1 - 1/9 - 1.96/3)^3, upper = 2 * (1 - 1/18 + 1.96/(3 sqrt 2))^3
    z = 1.959963984540054
    lower, upper = phe.byars(1)
    assert lower == pytest.approx((1 - 1 / 9 - z / 3) ** 3, rel=1e-12)
    assert upper == pytest.approx(
        2 * (1 - 1 / 18 + z / (3 * np.sqrt(2))) ** 3, rel=1e-12
    )


def test_byars_lower_undefined_at_zero_and_when_negative():
    assert phe.byars(0)[0] is None
    assert phe.byars(0)[1] == pytest.approx(3.6680118, rel=1e-6)
    # At 99.8% the approximation goes negative for one event.
    assert phe.byars(1, confidence=0.998)[0] is None
    lower, _ = phe.byars(np.array([0.0, 1.0, 50.0]), confidence=0.998)
    assert np.isnan(lower[:2]).all() and lower[2] > 0


# -- proportion ----------------------------------------------------------------


def test_proportion_value_limits_and_metadata():
    est = phe.proportion(65, 100, multiplier=100)

    assert est.value == pytest.approx(65.0)
    assert est.lower == pytest.approx(100 * wilson_by_root_finding(65, 100, 0.95)[0])
    assert est.upper == pytest.approx(100 * wilson_by_root_finding(65, 100, 0.95)[1])
    assert est.method == "Wilson"
    assert est.statistic == "percentage"
    assert est.confidence == 0.95


def test_proportion_two_levels_give_pairs():
    est = phe.proportion(1045, 5000, confidence=(0.95, 0.998))

    assert est.confidence == (0.95, 0.998)
    assert isinstance(est.lower, tuple) and isinstance(est.upper, tuple)
    assert est.lower[0] == pytest.approx(phe.wilson(1045, 5000)[0])
    assert est.upper[1] == pytest.approx(phe.wilson(1045, 5000, 0.998)[1])
    assert est.lower[1] < est.lower[0] < est.value < est.upper[0] < est.upper[1]
    assert est.to_dict()["lower99_8cl"] == pytest.approx(est.lower[1])


def test_proportion_percent_confidence_same_as_proportion():
    assert phe.proportion(30, 90, confidence=95) == phe.proportion(
        30, 90, confidence=0.95
    )


def test_proportion_edge_counts():
    assert phe.proportion(0, 20).lower == 0.0
    assert phe.proportion(20, 20).upper == 1.0
    assert phe.proportion(20, 20, multiplier=1000).statistic == "proportion of 1000"


def test_proportion_takes_the_counts_it_is_given():
    # phe_proportion on an ungrouped data frame gives one row per input row
    # (a data-frame artefact); here the caller passes summed or per-area counts.
    single = phe.proportion(30 + 35, 50 + 50)
    per_area = phe.proportion(np.array([30, 35]), np.array([50, 50]))
    assert single.value == pytest.approx(0.65)
    assert per_area.value == pytest.approx([0.6, 0.7])


def test_proportion_to_dict_is_json_ready_for_arrays():
    est = phe.proportion(np.array([1, 2]), np.array([10, 10]), confidence=(95, 99.8))
    payload = json.loads(json.dumps(est.to_dict()))
    assert payload["confidence"] == "95%, 99.8%"
    assert len(payload["upper95_0cl"]) == 2


# -- rate ----------------------------------------------------------------------


@pytest.mark.parametrize("x", [1, 5, 9])
def test_rate_exact_limits_below_ten_events(x):
    est = phe.rate(x, 25000)

    assert est.method == "Exact"
    lower_count = est.lower * 25000 / 100000
    upper_count = est.upper * 25000 / 100000
    # The exact limits put 2.5% in each Poisson tail.
    assert stats.poisson.sf(x - 1, lower_count) == pytest.approx(0.025, rel=1e-7)
    assert stats.poisson.cdf(x, upper_count) == pytest.approx(0.025, rel=1e-7)


def test_rate_zero_events():
    est = phe.rate(0, 1000)
    assert (est.value, est.lower) == (0.0, 0.0)
    assert est.upper == pytest.approx(-np.log(0.025) / 1000 * 100000)


def test_rate_switches_to_byars_at_ten_events():
    assert phe.rate(9, 1000).method == "Exact"
    ten = phe.rate(10, 1000)
    assert ten.method == "Byars"
    lower, upper = phe.byars(10)
    assert ten.lower == pytest.approx(lower / 1000 * 100000)
    assert ten.upper == pytest.approx(upper / 1000 * 100000)


def test_rate_two_levels_and_vector_input():
    est = phe.rate(np.array([3, 30]), np.array([1000, 1000]), confidence=(0.95, 0.998))
    assert est.method == "Exact (below 10 events), Byars (10 or more)"
    lower95, lower998 = est.lower
    assert (lower998 < lower95).all()
    assert lower95[1] == pytest.approx(phe.rate(30, 1000).lower)


def test_rate_does_not_require_x_le_n():
    # Rates can exceed the denominator (e.g. repeat events); the reference allows it.
    assert phe.rate(150, 100, multiplier=1).value == pytest.approx(1.5)


# -- mean ----------------------------------------------------------------------


def test_mean_matches_scipy_t_interval():
    values = [20, 30, 40, 22, 35, 31, 28]
    expected = stats.t.interval(
        0.95, len(values) - 1, loc=np.mean(values), scale=stats.sem(values)
    )

    est = phe.mean(values)

    assert est.value == pytest.approx(np.mean(values))
    assert (est.lower, est.upper) == pytest.approx(expected)
    assert est.method == "Student's t-distribution"
    assert est.extras == {
        "value_sum": 206.0,
        "value_count": 7.0,
        "stdev": pytest.approx(np.std(values, ddof=1)),
    }


def test_mean_two_levels():
    est = phe.mean(np.arange(10.0), confidence=(95, 99.8))
    assert est.lower[1] < est.lower[0] < 4.5 < est.upper[0] < est.upper[1]


# -- validation ----------------------------------------------------------------


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: phe.wilson(-1, 10), "x"),
        (lambda: phe.wilson(11, 10), "x"),
        (lambda: phe.wilson(1, 0), "n"),
        (lambda: phe.wilson(1, 10, confidence=0.7), "confidence"),
        (lambda: phe.wilson(1, 10, confidence=(0.95, 0.998)), "confidence"),
        (lambda: phe.byars(-4), "x"),
        (lambda: phe.byars(4, confidence=125), "confidence"),
        (lambda: phe.proportion(5, 0), "n"),
        (lambda: phe.proportion(-1, 10), "x"),
        (lambda: phe.proportion(11, 10), "x"),
        (lambda: phe.proportion(1, 10, confidence=14), "confidence"),
        (lambda: phe.proportion(1, 10, multiplier=0), "multiplier"),
        (lambda: phe.proportion(1, float("nan")), "n"),
        (lambda: phe.rate(-1, 10), "x"),
        (lambda: phe.rate(1, 0), "n"),
        (lambda: phe.rate(1, 10, confidence=0.89), "confidence"),
        (lambda: phe.rate(1, 10, confidence=(0.95, 101)), "confidence"),
        (lambda: phe.mean([1.0]), "values"),
        (lambda: phe.mean([1.0, float("nan")]), "values"),
        (lambda: phe.mean([1.0, 2.0], confidence=0.5), "confidence"),
    ],
)
def test_invalid_input_raises_value_error_naming_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
