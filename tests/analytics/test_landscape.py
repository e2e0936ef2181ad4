"""The landscape figures, checked by hand over a few services."""

from datetime import date

import pytest

from msknet.analytics.landscape import (
    Activity,
    Population,
    Staff,
    gaps,
    latest_activity,
    latest_workforce,
    median,
    per_100k,
    summarise,
    waits_by_month,
    weighted_mean,
)

PATHWAY = ["self_management", "fcp", "interface", "community_msk", "orthopaedics"]
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)

# Service A: 6 weeks in January, 8 in February (100 referrals), nothing but
# referrals in March. B: 20 weeks in February (50 referrals). C: 10 weeks in
# January with no referrals recorded. D: never a wait.
ROWS = [
    Activity("A", JAN, 90, 6, 12),
    Activity("A", FEB, 100, 8, 15),
    Activity("A", MAR, 110, None, None),
    Activity("B", FEB, 50, 20, 40),
    Activity("C", JAN, None, 10, None),
    Activity("D", JAN, 30, None, None),
]


def test_gaps_are_the_steps_with_no_service_in_pathway_order():
    assert gaps(["orthopaedics", "fcp", "fcp"], PATHWAY) == [
        "self_management", "interface", "community_msk"]


def test_no_services_means_every_step_is_a_gap():
    assert gaps([], PATHWAY) == PATHWAY


def test_latest_period_is_each_services_latest_with_a_wait():
    latest = latest_activity(ROWS)

    assert latest["A"].period_start == FEB  # March has referrals but no wait
    assert latest["B"].median_wait == 20
    assert "D" not in latest


def test_latest_activity_ignores_row_order():
    assert latest_activity(reversed(ROWS))["A"].period_start == FEB


def test_summary_combines_the_services_latest_medians():
    summary = summarise(["A", "B", "C", "D"], latest_activity(ROWS), {}, None,
                        self_referral=["A", "D"])

    assert summary.services == 4
    assert summary.with_waits == 3
    assert summary.median_wait == 10.0  # median of 8, 20, 10
    # Weighted by referrals; C has none recorded so carries no weight.
    assert summary.weighted_wait == pytest.approx((8 * 100 + 20 * 50) / 150)
    assert summary.p90_wait == 27.5  # median of 15 and 40; C has no p90
    assert summary.latest_period == FEB
    assert summary.earliest_period == JAN
    assert summary.self_referral_share == 50.0


def test_summary_of_no_services_has_no_figures():
    summary = summarise([], {}, {}, None)

    assert summary.median_wait is None and summary.weighted_wait is None
    assert summary.self_referral_share is None
    assert summary.wte is None and summary.wte_per_100k is None


def test_median_and_weighted_mean_of_nothing_are_none():
    assert median([]) is None
    assert weighted_mean([(5, None), (7, 0)]) is None
    assert median([3, 1, 2]) == 2.0


def test_latest_workforce_sums_professions_on_the_latest_date():
    staff = latest_workforce([
        Staff("A", JAN, 5, 1),
        Staff("A", FEB, 4, 2),  # physiotherapists
        Staff("A", FEB, 1.5, 0),  # psychologists
        Staff("B", JAN, 3, 0),
    ])

    assert staff["A"].as_of == FEB
    assert (staff["A"].wte, staff["A"].vacancies) == (5.5, 2)
    assert staff["B"].wte == 3


def test_workforce_per_100k_with_a_population():
    staff = latest_workforce([Staff("A", FEB, 45, 5)])

    summary = summarise(["A"], {}, staff, Population(1_500_000, 2023))

    assert summary.wte_per_100k == pytest.approx(3.0)
    assert summary.vacancies_per_100k == pytest.approx(5 / 15)
    assert summary.vacancy_rate == pytest.approx(10.0)  # 5 of 50 posts


def test_workforce_per_100k_without_a_population_is_not_made_up():
    staff = latest_workforce([Staff("A", FEB, 45, 5)])

    summary = summarise(["A"], {}, staff, None)

    assert summary.wte == 45
    assert summary.wte_per_100k is None and summary.vacancies_per_100k is None
    assert per_100k(10, Population(0, 2023)) is None


def test_waits_by_month_per_group():
    months = waits_by_month({"north": ["A", "C"], "south": ["B"]}, ROWS)

    assert [(m.group, m.month, m.services, m.median_wait) for m in months] == [
        ("north", JAN, 2, 8.0),  # A 6, C 10
        ("north", FEB, 1, 8.0),
        ("south", FEB, 1, 20.0),
    ]
