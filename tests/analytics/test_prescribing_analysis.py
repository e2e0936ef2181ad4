"""Deciles, percentiles, funnels, SPC changes and potential reductions."""

import numpy as np
import pyarrow as pa
import pytest

from msknet.analytics import phe
from msknet.analytics.prescribing import (
    deciles,
    funnel,
    funnel_outliers,
    load_measure,
    percentiles,
    potential_reductions,
    spc_changes,
)
from msknet.analytics.prescribing.engine import MeasureResult


def result(rows, measure="opioid_items"):
    months, orgs, nums, dens = zip(*rows, strict=True)
    values = [1000 * n / d if d else None for n, d in zip(nums, dens, strict=True)]
    table = pa.table({"month": list(months), "org_code": list(orgs),
                      "numerator": [float(n) for n in nums],
                      "denominator": [float(d) for d in dens], "value": values})
    return MeasureResult(load_measure(measure), "practice", table)


@pytest.mark.slow
def test_deciles_and_percentiles_by_month():
    r = result([("2024-01", f"P{i}", i * 10, 1000) for i in range(1, 12)])

    d = deciles(r).to_pylist()[0]
    p = {row["org_code"]: row["percentile"] for row in percentiles(r).to_pylist()}

    assert d["organisations"] == 11
    assert d["p10"] == pytest.approx(20) and d["p50"] == pytest.approx(60)
    assert p["P1"] == 0 and p["P11"] == 100


@pytest.mark.slow
def test_funnel_flags_a_high_practice():
    rows = [("2024-01", f"P{i}", 20, 10000) for i in range(20)]
    rows.append(("2024-01", "HIGH", 80, 10000))

    points = {p.org_code: p for p in funnel_outliers(result(rows))}

    assert points["HIGH"].outside_998
    assert not points["P0"].outside_95


def test_spc_changes_report_a_recent_shift_as_got_worse():
    months = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}" for m in range(1, 4)]
    steady = [10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 10]
    rising = [10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 10, 9, 30, 31, 32]
    rows = [(m, "STEADY", v, 1000) for m, v in zip(months, steady, strict=True)]
    rows += [(m, "RISING", v, 1000) for m, v in zip(months, rising, strict=True)]

    changes = spc_changes(result(rows))

    assert [(c.org_code, c.direction) for c in changes] == [("RISING", "got worse")]
    assert changes[0].month == "2024-03"


def test_potential_reductions_ranked_to_the_10th_percentile():
    rows = [("2024-01", f"P{i}", i * 10, 1000) for i in range(1, 12)]
    rows.append(("2024-01", "BIG", 200, 5000))  # 40 per 1,000 on a large list

    ranked = potential_reductions(result(rows), ["P11", "BIG", "P1"])

    # Values 10, 20, 30, 40, 40, 50 ... 110: the 10th percentile (linear) is
    # 20 + 0.1 x (30 - 20) = 21 per 1,000. P1 (10) is already below it.
    assert ranked[0].target_value == pytest.approx(21.0)
    assert [r.org_code for r in ranked] == ["BIG", "P11"]
    assert ranked[0].potential_reduction == pytest.approx((40 - 21) * 5000 / 1000)
    assert ranked[1].potential_reduction == pytest.approx((110 - 21) * 1000 / 1000)


@pytest.mark.slow
def test_funnel_of_over_dispersed_values_uses_adjusted_limits():
    # Milligram totals: 300 practices whose rates vary far beyond chance.
    rng = np.random.default_rng(3)
    sizes = rng.integers(3000, 15000, size=300)
    rates = 1500 * rng.lognormal(0, 0.3, size=300)  # per 1,000 patients
    rows = [("2024-01", f"P{i}", float(round(r * n / 1000)), float(n))
            for i, (r, n) in enumerate(zip(rates, sizes, strict=True))]
    plain = phe.funnel_significance([r[2] for r in rows], [r[3] for r in rows],
                                    statistic="rate", multiplier=1000)

    found = funnel(result(rows, measure="opioid_ome"))

    assert sum(label != phe.NOT_SIGNIFICANT for label in plain) > 250
    assert found.adjusted and found.dispersion.phi > 100 and found.tau2 > 0
    outside = [p for p in found.points if p.outside_95]
    assert 0 < len(outside) < 45  # about the 5% expected, not nearly all
    assert found.baseline == pytest.approx(
        1000 * sum(r[2] for r in rows) / sum(r[3] for r in rows))


def test_funnel_of_values_varying_by_chance_keeps_poisson_limits():
    rng = np.random.default_rng(4)
    rows = [("2024-01", f"P{i}", float(rng.poisson(200)), 10000.0) for i in range(50)]

    found = funnel(result(rows))

    assert not found.adjusted and found.tau2 == 0
    assert [p.label for p in found.points] == phe.funnel_significance(
        [r[2] for r in rows], [r[3] for r in rows], statistic="rate", multiplier=1000)
