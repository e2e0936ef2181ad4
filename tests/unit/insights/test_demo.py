import pytest

from msknet.insights.demo import load_demo_indicators
from msknet.insights.models import Indicator, IndicatorValue

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def demo(db):
    assert load_demo_indicators() is True


def value(slug, area, period=None, category=""):
    values = IndicatorValue.objects.filter(indicator__slug=slug, area__code=area,
                                           category=category)
    return values.get(period=period) if period else values.latest("period_sortable")


def test_load_demo_indicators_twice_changes_nothing(demo):
    count = IndicatorValue.objects.count()

    assert load_demo_indicators() is False
    assert IndicatorValue.objects.count() == count


def test_demo_indicators_say_they_are_synthetic(demo):
    assert Indicator.objects.count() == 8
    assert all("Synthetic" in i.source for i in Indicator.objects.all())


def test_demo_msk_problem_matches_england_and_nenc(demo):
    assert round(value("long-term-msk-problem", "E92000001").value, 1) == 17.0
    assert round(value("long-term-msk-problem", "E54000050").value, 1) == 22.5


def test_demo_covers_every_icb_region_and_england_each_year(demo):
    for slug, periods in (("hip-fractures-65", 8), ("long-term-msk-problem", 7)):
        values = IndicatorValue.objects.filter(indicator__slug=slug, category_type="")
        assert values.count() == periods * 50


def test_demo_deprivation_gradients(demo):
    assert round(value("chronic-pain", "E92000001",
                       category="Most deprived quintile (IMD2019)").value) == 41
    assert round(value("chronic-pain", "E92000001",
                       category="Least deprived quintile (IMD2019)").value) == 30
    assert round(value("msk-depression-anxiety", "E92000001",
                       category="Most deprived decile (IMD2019)").value) == 32
    assert round(value("msk-depression-anxiety", "E92000001",
                       category="Least deprived decile (IMD2019)").value) == 19
    icb_quintiles = IndicatorValue.objects.filter(
        indicator__slug="chronic-pain", area__code="E54000050", period="2024",
        category_type="Deprivation quintile (IMD2019)")
    assert icb_quintiles.count() == 5


def test_demo_regions_and_england_sum_their_icbs(demo):
    england = value("hip-fractures-65", "E92000001", "2024/25")
    icbs = IndicatorValue.objects.filter(indicator__slug="hip-fractures-65",
                                         period="2024/25", area__area_type="icb")
    assert england.count == sum(v.count for v in icbs)
    assert england.lower_95 < england.value < england.upper_95


def test_demo_has_a_monthly_local_series_for_two_icbs(demo):
    series = IndicatorValue.objects.filter(indicator__slug="fcp-seen-within-2-weeks")
    assert series.count() == 72
    assert set(series.values_list("area__code", flat=True)) == {"E54000050",
                                                                "E54000028"}
    assert series.order_by("period_sortable").first().period == "2022-04"
