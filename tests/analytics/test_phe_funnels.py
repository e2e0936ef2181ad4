"""Tests for phe funnel limits and significance labels.

Reference expectations are ported as data from PHEindicatormethods'
tests/testthat CSVs (ukhsa-collaboration/PHEindicatormethods):
testdata_funnel_prop_outputs.csv (limits), testdata_funnel_prop_inputs.csv,
testdata_funnel_ratio_inputs.csv, testdata_funnel_ratio_outputs.csv and
testdata_funnel_rate_dsr_inputs.csv (labels) and
testdata_funnel_rate_outputs.csv (rate limits). Subsets are used where the
full files are long; the pooled average is then passed explicitly.
"""

import numpy as np
import pytest

from msknet.analytics import phe

# -- proportion limits: testdata_funnel_prop_outputs.csv (percent, clamped 0-100)
# Population, lower 2s, upper 2s, lower 3s, upper 3s; baseline 80.642448
PROP_LIMITS = [
    (1, 3.204264, 100, 0, 100),
    (2, 25.885383, 100, 0, 100),
    (3, 35.933491, 100, 10.150815, 100),
    (18, 62.390093, 98.894803, 51.864359, 100),
    (41, 68.548635, 92.73626, 61.574398, 99.710497),
    (1008, 78.203374, 83.081521, 76.796814, 84.488082),
    (25552, 80.158005, 81.126891, 79.878637, 81.406259),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]
PROP_AVERAGE = 0.80642448


def test_proportion_funnel_limits_match_reference_after_clamping():
    n = [row[0] for row in PROP_LIMITS]

    limits = phe.proportion_funnel_limits(n, PROP_AVERAGE, multiplier=100).clamped()

    expected = np.array([row[1:] for row in PROP_LIMITS], dtype=float)
    got = np.column_stack(
        [limits.lower_2s, limits.upper_2s, limits.lower_3s, limits.upper_3s]
    )
    np.testing.assert_allclose(got, expected, atol=2e-6)
    assert limits.baseline == pytest.approx(80.642448)


def test_proportion_funnel_limits_are_unclamped_by_default():
    limits = phe.proportion_funnel_limits([1, 2], PROP_AVERAGE, multiplier=100)
    assert limits.upper_2s[0] > 100
    assert limits.lower_3s[0] < 0
    # clamped() caps at the multiplier, not at 100 as the reference does.
    per_1000 = phe.proportion_funnel_limits(
        [1], PROP_AVERAGE, multiplier=1000
    ).clamped()
    assert per_1000.upper_2s[0] == 1000


def test_proportion_funnel_limit_is_where_wilson_interval_reaches_average():
    # Independent route: at the 2s upper limit the Wilson 95% lower bound of
    # the observed proportion equals the average.
    limits = phe.proportion_funnel_limits([50, 500, 5000], 0.3)
    for n, upper, lower in zip(
        [50, 500, 5000], limits.upper_2s, limits.lower_2s, strict=True
    ):
        assert phe.wilson(upper * n, n)[0] == pytest.approx(0.3, rel=1e-9)
        assert phe.wilson(lower * n, n)[1] == pytest.approx(0.3, rel=1e-9)


def test_funnel_limits_to_dict():
    payload = phe.proportion_funnel_limits([10, 20], 0.5).to_dict()
    assert set(payload) >= {
        "denominator",
        "lower_2s",
        "upper_2s",
        "lower_3s",
        "upper_3s",
    }
    assert payload["denominator"] == [10.0, 20.0]


# -- poisson_funnel: testdata_funnel_ratio_outputs.csv
# Observed, lower_2s_exp (high, 0.025), upper_2s_exp (low, 0.025),
# lower_3s_exp (high, 0.001), upper_3s_exp (low, 0.001)
POISSON_FUNNEL = [
    (1, 5.571644585, 0.025317898, 9.233410143, 0.001000547),
    (2, 7.224687515, 0.242209467, 11.22886836, 0.04540199),
    (10, 18.39035799, 4.795387629, 24.13397235, 2.960519925),
    (100, 121.6268111, 81.36400699, 134.9243187, 71.92139974),
    (716, 770.4222128, 664.5083011, 802.60414, 636.1521174),
]


@pytest.mark.parametrize("obs, high_2s, low_2s, high_3s, low_3s", POISSON_FUNNEL)
def test_poisson_funnel_matches_reference(obs, high_2s, low_2s, high_3s, low_3s):
    assert phe.poisson_funnel(obs, 0.025, "high") == pytest.approx(high_2s, rel=1e-8)
    assert phe.poisson_funnel(obs, 0.025, "low") == pytest.approx(low_2s, rel=1e-7)
    assert phe.poisson_funnel(obs, 0.001, "high") == pytest.approx(high_3s, rel=1e-8)
    assert phe.poisson_funnel(obs, 0.001, "low") == pytest.approx(low_3s, rel=1e-6)


def test_poisson_funnel_vectorised_and_close_to_gamma_quantiles():
    obs = np.array([5, 50, 500])
    got = phe.poisson_funnel(obs, 0.025, "high")
    from scipy import stats

    np.testing.assert_allclose(got, stats.gamma.ppf(0.975, obs + 1), rtol=1e-6)


def test_rate_funnel_population_from_poisson_funnel():
    # testdata_funnel_rate_outputs.csv: dsr per 100,000, baseline 116.1720835,
    # 3 years of data. Events 1 -> lower_2s_population_1_year 1598.675694,
    # events 1360 -> upper_3s_population_1_year 358342.3275.
    average = 116.1720835 / 100000
    assert phe.poisson_funnel(1, 0.025, "high") / average / 3 == pytest.approx(
        1598.675694, rel=1e-8
    )
    assert phe.poisson_funnel(1360, 0.001, "low") / average / 3 == pytest.approx(
        358342.3275, rel=1e-8
    )


# -- significance: proportions, testdata_funnel_prop_inputs.csv (subset) -------
PROP_SIGNIFICANCE = [
    (35078.4880, 41980, "High (0.001)"),
    (24803.6256, 31824, "Low (0.001)"),
    (50050.7443, 61921, "Not significant"),
    (24648.7596, 30521, "Not significant"),
    (26789.2380, 33012, "High (0.025)"),
    (36850.0492, 45449, "High (0.025)"),
    (34502.0685, 42485, "High (0.025)"),
    (23910.2469, 29457, "High (0.025)"),
    (30277.5312, 37828, "Low (0.025)"),
    (24866.9160, 30929, "Not significant"),
    (21139.2936, 25992, "High (0.025)"),
    (20759.6500, 25750, "Not significant"),
    (14493.3552, 17964, "Not significant"),
    (18365.4621, 29277, "Low (0.001)"),
    (13551.2220, 16386, "High (0.001)"),
    (38045.3716, 46958, "High (0.025)"),
    (16924.1296, 20776, "High (0.025)"),
    (15524.9934, 19257, "Not significant"),
    (81412.8600, 102950, "Low (0.001)"),
    (13240.9172, 16477, "Not significant"),
    (18504.9982, 22739, "High (0.025)"),
    (29709.0543, 36583, "High (0.025)"),
    (28537.4507, 35201, "High (0.025)"),
    (26882.4969, 32573, "High (0.001)"),
]


def test_funnel_significance_proportions_match_reference():
    x, n, expected = zip(*PROP_SIGNIFICANCE, strict=True)
    labels = phe.funnel_significance(x, n, statistic="proportion", average=PROP_AVERAGE)
    assert labels == list(expected)


def test_funnel_significance_proportions_agree_with_wilson_limits():
    # Independent route: High (0.025) iff the area's Wilson 95% lower limit is
    # above the average, High (0.001) iff its 99.8% lower limit is.
    rng = np.random.default_rng(11)
    n = rng.integers(200, 20000, size=400)
    x = rng.binomial(n, rng.uniform(0.2, 0.3, size=400))
    average = x.sum() / n.sum()

    labels = phe.funnel_significance(x, n)

    lower95, upper95 = phe.wilson(x, n, 0.95)
    lower998, upper998 = phe.wilson(x, n, 0.998)
    expected = np.select(
        [upper998 < average, upper95 < average, lower998 > average, lower95 > average],
        ["Low (0.001)", "Low (0.025)", "High (0.001)", "High (0.025)"],
        default="Not significant",
    )
    assert labels == expected.tolist()


# -- significance: ratios, testdata_funnel_ratio_inputs.csv (subset) ----------
RATIO_SIGNIFICANCE = [
    (8, 6.239860227, "Not significant"),
    (151, 106.4429719, "High (0.001)"),
    (159, 232.9329036, "Low (0.001)"),
    (191, 184.0963855, "Not significant"),
    (150, 119.5695496, "High (0.025)"),
    (0, 240.6273499, "Low (0.001)"),
    (101, 126.2973615, "Low (0.025)"),
    (16, 36.38844667, "Low (0.001)"),
    (6, 4.293052052, "Not significant"),
    (27, 26.73002673, "Not significant"),
    (74, 52.09066592, "High (0.025)"),
    (87, 45.27241505, "High (0.001)"),
    (48, 64, "Low (0.025)"),
    (49, 87.5, "Low (0.001)"),
    (35, 45.76359833, "Not significant"),
    (31, 57.81424841, "Low (0.001)"),
    (40, 55.14959327, "Low (0.025)"),
    (38, 35.36199516, "Not significant"),
    (29, 31.19956966, "Not significant"),
    (893, 706.7669173, "High (0.001)"),
    (241, 288.6919023, "Low (0.025)"),
    (319, 274.8815166, "High (0.025)"),
    (28, 37.38816931, "Not significant"),
    (94, 67.43668843, "High (0.025)"),
]


def test_funnel_significance_ratios_match_reference():
    obs, expected_events, expected = zip(*RATIO_SIGNIFICANCE, strict=True)
    labels = phe.funnel_significance(obs, expected_events, statistic="ratio")
    assert labels == list(expected)


@pytest.mark.slow
def test_funnel_significance_ratios_agree_with_per_area_rate_limits():
    # Independent route: the scalar rate() limits of O / E at 95% and 99.8%.
    rng = np.random.default_rng(3)
    expected_events = rng.uniform(1, 300, size=150)
    obs = rng.poisson(expected_events * rng.uniform(0.6, 1.4, size=150))

    labels = phe.funnel_significance(obs, expected_events, statistic="ratio")

    for o, e, label in zip(obs, expected_events, labels, strict=True):
        est = phe.rate(o, e, confidence=(0.95, 0.998), multiplier=1)
        (lo95, lo998), (hi95, hi998) = est.lower, est.upper
        if lo998 > 1:
            assert label == "High (0.001)"
        elif lo95 > 1:
            assert label == "High (0.025)"
        elif hi998 < 1:
            assert label == "Low (0.001)"
        elif hi95 < 1:
            assert label == "Low (0.025)"
        else:
            assert label == "Not significant"


# -- significance: rates, testdata_funnel_rate_dsr_inputs.csv (all 40 rows) ---
# count, dsr per 100,000, population, crude per 100,000,
# labels: dsr (with the 0-event row), crude (with it), crude (without it)
RATE_ROWS = [
    (2419, 907.6174266, 264102, 915.9339952, "H1", "H1", "H1"),
    (2337, 948.5620216, 259711, 899.8463677, "H1", "H1", "H1"),
    (2291, 799.9690496, 289247, 792.056616, "H1", "H1", "H1"),
    (2242, 852.5637927, 265029, 845.9451607, "H1", "H1", "H1"),
    (2218, 868.5358183, 284649, 779.2052668, "H1", "H1", "H1"),
    (2159, 769.6242217, 293578, 735.409329, "H1", "H1", "H1"),
    (2130, 752.3254955, 286718, 742.8902266, "H2", "H1", "H1"),
    (2111, 710.2689402, 307381, 686.7698394, "NS", "NS", "NS"),
    (2105, 815.3530325, 274145, 767.8418355, "H1", "H1", "H1"),
    (2083, 717.7035916, 297424, 700.3469794, "NS", "H2", "NS"),
    (2078, 755.8016993, 272628, 762.2107781, "H1", "H1", "H1"),
    (2062, 825.9742848, 269656, 764.6779601, "H1", "H1", "H1"),
    (2061, 702.2972468, 294692, 699.3742619, "NS", "H2", "NS"),
    (2033, 785.6210132, 277710, 732.0586223, "H1", "H1", "H2"),
    (2033, 743.6763018, 259213, 784.2970839, "H2", "H1", "H1"),
    (2010, 781.8323058, 285516, 703.9885681, "H1", "H2", "NS"),
    (2004, 772.6781064, 269449, 743.7400027, "H1", "H1", "H1"),
    (2002, 652.3391553, 290888, 688.2373972, "L1", "NS", "NS"),
    (1977, 648.4969973, 287112, 688.5814595, "L1", "NS", "NS"),
    (1944, 727.5777428, 286492, 678.5529788, "NS", "NS", "NS"),
    (1932, 625.6551186, 287012, 673.1425864, "L1", "NS", "NS"),
    (1922, 688.5582424, 291277, 659.8529922, "NS", "NS", "NS"),
    (1912, 662.4465438, 289859, 659.631062, "L2", "NS", "NS"),
    (1881, 627.1624732, 289653, 649.3977276, "L1", "NS", "L2"),
    (1844, 657.1114147, 282519, 652.6994645, "L2", "NS", "L2"),
    (1835, 724.8456714, 274220, 669.1707388, "NS", "NS", "NS"),
    (1833, 659.7820553, 280271, 654.009869, "L2", "NS", "L2"),
    (1825, 654.7053631, 284206, 642.1398563, "L1", "NS", "L2"),
    (1816, 624.4435507, 274508, 661.5472045, "L1", "NS", "NS"),
    (1809, 646.7588823, 288384, 627.2886152, "L1", "L2", "L1"),
    (1798, 703.1689982, 287072, 626.3237097, "NS", "L2", "L1"),
    (1754, 567.9922764, 282744, 620.3491498, "L1", "L1", "L1"),
    (1746, 617.7750715, 289208, 603.7177395, "L1", "L1", "L1"),
    (1709, 610.8327232, 287736, 593.9472294, "L1", "L1", "L1"),
    (1694, 608.5089462, 296175, 571.9591458, "L1", "L1", "L1"),
    (1688, 662.3775859, 303255, 556.6272609, "L2", "L1", "L1"),
    (1649, 667.6454503, 285959, 576.6560941, "L2", "L1", "L1"),
    (1553, 604.1141693, 274661, 565.4242867, "L1", "L1", "L1"),
    (1332, 469.5645784, 281425, 473.3054988, "L1", "L1", "L1"),
    (0, float("nan"), 297820, 0.0, "NA", "L1", None),
]
CODES = {
    "H1": "High (0.001)",
    "H2": "High (0.025)",
    "L1": "Low (0.001)",
    "L2": "Low (0.025)",
    "NS": "Not significant",
    "NA": "Not applicable for events less than 10 for dsrs",
}
COUNT, DSR, POP, CRUDE, DSR_LABEL, CRUDE_LABEL, CRUDE_NO_ZERO_LABEL = (
    list(column) for column in zip(*RATE_ROWS, strict=True)
)


@pytest.mark.parametrize("multiplier", [100000, 100])
def test_funnel_significance_dsr_rates_match_reference(multiplier):
    rates = np.array(DSR) * multiplier / 100000
    labels = phe.funnel_significance(
        COUNT,
        POP,
        statistic="rate",
        rates=rates,
        rate_type="dsr",
        multiplier=multiplier,
    )
    assert labels == [CODES[c] for c in DSR_LABEL]


@pytest.mark.parametrize("multiplier", [100000, 100])
def test_funnel_significance_crude_rates_match_reference(multiplier):
    rates = np.array(CRUDE) * multiplier / 100000
    labels = phe.funnel_significance(
        COUNT,
        POP,
        statistic="rate",
        rates=rates,
        rate_type="crude",
        multiplier=multiplier,
    )
    assert labels == [CODES[c] for c in CRUDE_LABEL]


def test_funnel_significance_crude_rates_without_zero_area_match_reference():
    labels = phe.funnel_significance(
        COUNT[:-1], POP[:-1], statistic="rate", rates=CRUDE[:-1], rate_type="crude"
    )
    assert labels == [CODES[c] for c in CRUDE_NO_ZERO_LABEL[:-1]]


def test_funnel_significance_crude_rates_without_rates_use_denominators():
    # The reference's crude rates are count / pop, so passing only the
    # denominators gives the same labels.
    labels = phe.funnel_significance(COUNT, POP, statistic="rate")
    assert labels == [CODES[c] for c in CRUDE_LABEL]


def test_funnel_significance_dsr_small_counts_are_not_applicable():
    labels = phe.funnel_significance(
        [9, 10, 500], None, statistic="rate", rates=[50.0, 60.0, 55.0], rate_type="dsr"
    )
    assert labels[0] == phe.DSR_NOT_APPLICABLE
    assert labels[1] != phe.DSR_NOT_APPLICABLE


def test_funnel_significance_every_label_is_known():
    assert set(CODES.values()) == set(phe.FUNNEL_LABELS)


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"numerators": [65, -80, 30], "denominators": [100, 100, 200]}, "numerators"),
        ({"numerators": [65, 80, 30], "denominators": [100, 100, 0]}, "denominators"),
        ({"numerators": [65, 80, 30], "denominators": [100, 100, 20]}, "numerators"),
        ({"numerators": [65, 80], "denominators": [100, 100, 20]}, "denominators"),
        ({"numerators": [1, 2], "denominators": None}, "denominators"),
        (
            {"numerators": [1, 2], "denominators": [3, 4], "statistic": "pop"},
            "statistic",
        ),
        (
            {
                "numerators": [1, 2],
                "denominators": [3, 4],
                "statistic": "rate",
                "rate_type": "age",
            },
            "rate_type",
        ),
        (
            {
                "numerators": [1, 2],
                "denominators": [3, 4],
                "statistic": "rate",
                "rate_type": "dsr",
            },
            "rates",
        ),
        (
            {
                "numerators": [0, 2],
                "denominators": None,
                "statistic": "rate",
                "rates": [0.0, 4.0],
            },
            "denominators",
        ),
        (
            {
                "numerators": [1, 2],
                "denominators": [3, 4],
                "statistic": "rate",
                "rates": [-1.0, 4.0],
            },
            "rates",
        ),
        ({"numerators": [1, 2], "denominators": [3, 4], "average": 2.0}, "average"),
    ],
)
def test_funnel_significance_invalid_input(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        phe.funnel_significance(**kwargs)


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: phe.proportion_funnel_limits([0, 10], 0.5), "denominators"),
        (lambda: phe.proportion_funnel_limits([10], 1.5), "average"),
        (lambda: phe.proportion_funnel_limits([10], 0.5, multiplier=0), "multiplier"),
        (lambda: phe.poisson_funnel(-1, 0.025, "high"), "obs"),
        (lambda: phe.poisson_funnel(0, 0.025, "low"), "obs"),
        (lambda: phe.poisson_funnel(3, 1.5, "low"), "p"),
        (lambda: phe.poisson_funnel(3, 0.025, "middle"), "side"),
    ],
)
def test_funnel_limit_functions_invalid_input(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
