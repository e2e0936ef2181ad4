"""Spiegelhalter's (2005) over-dispersion adjustment, against worked values.

The worked example: ten units, each expecting 100 events, observed so that
their z-scores on the square-root scale, 2(√O − √E), are −4, −3, −2, −1, 0, 0,
1, 2, 3 and 4. Winsorised at R's type-7 10th and 90th percentiles (−3.1 and
3.1): Σz² = 47.22, so phi = 4.722; each w = 1/s² = 4E = 400, so
tau² = (47.22 − 9) / (4000 − 10 × 400² / 4000) = 38.22 / 3600.
"""

import numpy as np
import pytest

from msknet.analytics import phe

Z = [-4, -3, -2, -1, 0, 0, 1, 2, 3, 4]
OBSERVED = [(10 + z / 2) ** 2 for z in Z]  # 64, 72.25, ..., 144
EXPECTED = [100.0] * 10


def test_z_scores_on_the_square_root_scale():
    z, s = phe.sqrt_z_scores(OBSERVED, EXPECTED)

    assert z.tolist() == pytest.approx(Z)
    assert s.tolist() == pytest.approx([0.05] * 10)


def test_winsorising_sets_the_tails_to_the_10th_and_90th_percentiles():
    assert phe.winsorise(Z).tolist() == pytest.approx(
        [-3.1, -3, -2, -1, 0, 0, 1, 2, 3, 3.1])


def test_phi_and_tau2_match_the_worked_example():
    z, s = phe.sqrt_z_scores(OBSERVED, EXPECTED)

    result = phe.overdispersion(z, s)

    assert result.units == 10
    assert result.phi == pytest.approx(4.722)
    assert result.tau2 == pytest.approx(38.22 / 3600)
    assert result.over_dispersed  # 47.22 > 16.92, chi-squared(9) at 95%


def test_no_excess_variation_means_no_tau2_and_no_adjustment():
    z = [-1.0, -0.5, 0.0, 0.5, 1.0, -0.2, 0.3, 0.8, -0.9, 0.1]

    result = phe.overdispersion(z, [0.05] * 10)

    assert result.phi < 1 and result.tau2 == 0 and not result.over_dispersed


def test_mild_excess_gives_tau2_but_fails_the_test():
    # I·phi = 12 > I − 1 = 9, so tau² > 0, but below chi-squared(9)'s 16.92.
    z = np.array([-1.2] * 5 + [1.2] * 5)
    z = z * np.sqrt(1.2 / 1.44)  # every z² = 1.2 (and no tails to winsorise)

    result = phe.overdispersion(z, [0.05] * 10)

    assert result.phi == pytest.approx(1.2)
    assert result.tau2 == pytest.approx(3 / 3600)
    assert not result.over_dispersed


def test_adjusted_labels_take_in_the_between_unit_variance():
    # Rate 1 per unit of denominator: E = 100 for every unit, as above.
    labels, result = phe.overdispersed_rate_significance(OBSERVED, [100.0] * 10,
                                                         average=1.0)
    plain = phe.funnel_significance(OBSERVED, [100.0] * 10, statistic="rate",
                                    multiplier=1, average=1.0)

    # z = 4 is far outside Poisson limits, but (1.2 − 1) / √(0.0025 + tau²)
    # = 1.75 lies within the adjusted 95% limits.
    assert plain[-1] == phe.HIGH_0001
    assert labels[-1] == phe.NOT_SIGNIFICANT
    assert result.over_dispersed


def test_adjusted_limits_at_a_denominator():
    tau2 = 38.22 / 3600
    lower, upper = phe.adjusted_rate_limits([100.0], 1.0, tau2, 0.025)

    spread = 1.959964 * np.sqrt(0.0025 + tau2)
    assert upper[0] == pytest.approx((1 + spread) ** 2, rel=1e-6)
    assert lower[0] == pytest.approx((1 - spread) ** 2, rel=1e-6)


def test_adjusted_lower_limit_stops_at_zero():
    lower, _ = phe.adjusted_rate_limits([1.0], 1.0, 1.0, 0.001)

    assert lower[0] == 0


def test_inputs_are_checked():
    with pytest.raises(ValueError, match="at least two units"):
        phe.overdispersion([1.0], [0.1])
    with pytest.raises(ValueError, match="one value per z-score"):
        phe.overdispersion([1.0, 2.0], [0.1])
    with pytest.raises(ValueError, match="trim"):
        phe.winsorise(Z, trim=0.5)
    with pytest.raises(ValueError, match="expected"):
        phe.sqrt_z_scores([1.0], [0.0])
    with pytest.raises(ValueError, match="baseline"):
        phe.adjusted_rate_limits([1.0], 0.0, 0.1, 0.025)
