"""The measure's SPC figures are the analytics library's, with signals in words."""

import datetime as dt

import pytest

from msknet.analytics import spc
from msknet.improvement import figures
from msknet.improvement.models import DataPoint, Measure, Rebase
from tests.factories.improvement import SHIFT, monthly

MONTHS = monthly(dt.date(2024, 1, 1), 24)


def points(values, quintile=None):
    return [DataPoint(period=p, value=v, quintile=quintile)
            for p, v in zip(MONTHS, values, strict=True)]


def test_overall_chart_is_the_spc_librarys():
    measure = Measure(improvement="increase", target=55)

    result = figures.measure_spc(measure, points(SHIFT), [])

    assert result.overall.chart == spc.xmr(SHIFT, MONTHS, improvement="increase",
                                           target=55)
    assert result.overall.icons.variation_text == (
        "Special cause variation: improvement (higher)")
    assert result.overall.icons.assurance_text == (
        "The target is met some of the time (hit and miss)")


def test_rebases_start_new_limits():
    measure = Measure(improvement="increase")
    rebase = Rebase(period=dt.date(2025, 1, 1), reason="Adopted")

    result = figures.measure_spc(measure, points(SHIFT), [rebase])

    assert result.overall.chart == spc.xmr(SHIFT, MONTHS, improvement="increase",
                                           rebase=[dt.date(2025, 1, 1)])
    assert result.overall.signals == []  # each phase is stable


def test_a_shift_is_a_signal_on_each_side_with_its_rule():
    result = figures.measure_spc(Measure(improvement="increase"), points(SHIFT), [])

    before, after = result.overall.signals
    assert (before.start, before.end) == (dt.date(2024, 1, 1), dt.date(2024, 12, 1))
    assert before.text.startswith("Special cause: concern: ")
    assert "a shift: a run of 7 or more below the mean" in before.rule
    assert (after.start, after.end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 1))
    assert after.text.startswith("Special cause: improvement: ")
    assert "a shift: a run of 7 or more above the mean" in after.rule


def test_quintiles_get_their_own_charts():
    measure = Measure(improvement="decrease")

    result = figures.measure_spc(measure, points(SHIFT) + points(SHIFT, 1), [])

    assert [q for q, _ in result.quintiles] == [1]
    assert result.quintiles[0][1].label == "Quintile 1 (most deprived)"
    assert result.quintiles[0][1].icons.variation == "concern_high"


@pytest.mark.parametrize("n", [0, 11])
def test_short_series_have_no_chart(n):
    result = figures.measure_spc(Measure(improvement="increase"),
                                 points(SHIFT)[:n], [])

    assert result.overall.chart is None and result.overall.icons is None
