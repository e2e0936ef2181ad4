"""Population-health indicators with values, computed as the importer does."""

from msknet.analytics import phe
from msknet.analytics.indicators import parse_period
from msknet.insights.models import Area, Indicator, IndicatorValue

ENGLAND, NCL, NWL, NENC = "E92000001", "E54000028", "E54000027", "E54000050"
QUINTILES = [
    "Most deprived quintile (IMD2019)", "Quintile 2 (IMD2019)", "Quintile 3 (IMD2019)",
    "Quintile 4 (IMD2019)", "Least deprived quintile (IMD2019)",
]
DEPRIVATION = "Deprivation quintile (IMD2019)"


def value_row(indicator, code, period, x, n, category_type="", category=""):
    estimate = phe.proportion(x, n, confidence=(0.95, 0.998), multiplier=100)
    (lo95, lo998), (hi95, hi998) = estimate.lower, estimate.upper
    return IndicatorValue(
        indicator=indicator, area=Area.objects.get(code=code), period=period,
        period_sortable=parse_period(period).sortable, sex="Persons", age="16+ yrs",
        category_type=category_type, category=category,
        value=round(estimate.value, 4), lower_95=round(lo95, 4), upper_95=round(hi95, 4),
        lower_998=round(lo998, 4), upper_998=round(hi998, 4), count=x, denominator=n,
    )


def indicator_with_values(slug="msk-problem", name="Long-term MSK problem"):
    """An annual proportion for England and three ICBs over two years, with
    North Central London's deprivation quintiles: enough for every chart."""
    indicator = Indicator.objects.create(
        slug=slug, name=name, unit="%", value_type="proportion", multiplier=100,
        polarity="lower_is_better", period_type="annual",
        method="Wilson score limits",
    )
    counts = {
        "2022": [(ENGLAND, 17000, 100000), (NCL, 340, 2000), (NWL, 250, 2000),
                 (NENC, 450, 2000)],
        "2023": [(ENGLAND, 17100, 100000), (NCL, 350, 2000), (NWL, 240, 2000),
                 (NENC, 480, 2000)],
    }
    quintiles = {
        "2022": [(220, 1000), (200, 1000), (180, 1000), (160, 1000), (140, 1000)],
        "2023": [(300, 1000), (250, 1000), (200, 1000), (150, 1000), (100, 1000)],
    }
    rows = [value_row(indicator, code, period, x, n)
            for period, areas in counts.items() for code, x, n in areas]
    rows += [value_row(indicator, NCL, period, x, n, DEPRIVATION, label)
             for period, pairs in quintiles.items()
             for label, (x, n) in zip(QUINTILES, pairs, strict=True)]
    IndicatorValue.objects.bulk_create(rows)
    return indicator
