"""Synthetic demo indicators: MSK population-health figures for every ICB.

Every figure here is invented (every indicator's source says so), shaped to
sit near published national figures so the pages look realistic: a long-term
MSK problem reported by 17.0% of people in England and 22.5% in North East
and North Cumbria in the latest year; chronic pain 41% in the most deprived
fifth against 30% in the least; depression or anxiety among people with a
long-term MSK problem 32% in the most deprived decile against 19% in the
least. Counts and denominators are generated per ICB; regions and England
are their sums; every limit is computed by `msknet.analytics.phe`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction

from msknet.analytics import phe
from msknet.analytics.indicators import parse_period

from .models import (
    Area,
    AreaType,
    Indicator,
    IndicatorValue,
    PeriodType,
    Polarity,
    ValueType,
)

SEED = 2026
SYNTHETIC = "Synthetic demo data, not real figures"
ENGLAND = "E92000001"
NENC_ICB = "E54000050"
CALENDAR_YEARS = [str(y) for y in range(2018, 2025)]
FINANCIAL_YEARS = [f"{y}/{(y + 1) % 100:02d}" for y in range(2017, 2025)]
QUINTILE_TYPE = "Deprivation quintile (IMD2019)"
QUINTILES = [
    "Most deprived quintile (IMD2019)",
    *[f"Quintile {q} (IMD2019)" for q in range(2, 5)],
    "Least deprived quintile (IMD2019)",
]
DECILE_TYPE = "Deprivation decile (IMD2019)"
DECILES = [
    "Most deprived decile (IMD2019)",
    *[f"Decile {d} (IMD2019)" for d in range(2, 10)],
    "Least deprived decile (IMD2019)",
]
LOCAL_ICBS = (NENC_ICB, "E54000028")  # North East and North Cumbria, North Central London
LOCAL_MONTHS = [f"{2022 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(36)]


@dataclass(frozen=True)
class DemoIndicator:
    slug: str
    name: str
    definition: str
    value_type: str
    multiplier: float
    unit: str
    polarity: str
    period_type: str
    periods: Sequence[str]
    latest: float  # England in the latest period
    yearly_change: float  # added each period up to the latest
    spread: float  # sd of ICBs around England, in the value's units
    denominator: tuple[int, int]  # ICB denominators drawn from this range
    fixed: dict[str, float] = field(default_factory=dict)  # ICB code: latest value
    categories: tuple[str, Sequence[str], tuple[float, float]] | None = None
    source: str = SYNTHETIC
    age: str = "16+ yrs"


INDICATORS = (
    DemoIndicator(
        slug="long-term-msk-problem",
        name="Percentage reporting a long-term musculoskeletal (MSK) problem",
        definition="People aged 16 and over answering the GP Patient Survey who report "
        "a long-term back, joint or other musculoskeletal problem.",
        value_type=ValueType.PROPORTION, multiplier=100, unit="%",
        polarity=Polarity.LOWER_IS_BETTER, period_type=PeriodType.ANNUAL,
        periods=CALENDAR_YEARS, latest=17.0, yearly_change=0.15, spread=1.6,
        denominator=(6000, 22000), fixed={NENC_ICB: 22.5},
        source=f"{SYNTHETIC}: modelled on the GP Patient Survey",
    ),
    DemoIndicator(
        slug="back-pain-prevalence",
        name="Back pain prevalence in people of all ages",
        definition="Estimated percentage of people with back pain.",
        value_type=ValueType.PROPORTION, multiplier=100, unit="%",
        polarity=Polarity.NO_JUDGEMENT, period_type=PeriodType.ANNUAL,
        periods=CALENDAR_YEARS, latest=16.9, yearly_change=0.05, spread=1.2,
        denominator=(8000, 30000), age="All ages",
        source=f"{SYNTHETIC}: modelled on the MSK calculator estimates",
    ),
    DemoIndicator(
        slug="chronic-pain",
        name="Chronic pain in adults",
        definition="Adults reporting pain or discomfort that has lasted more than "
        "three months.",
        value_type=ValueType.PROPORTION, multiplier=100, unit="%",
        polarity=Polarity.LOWER_IS_BETTER, period_type=PeriodType.ANNUAL,
        periods=CALENDAR_YEARS, latest=35.5, yearly_change=0.1, spread=1.5,
        denominator=(2500, 9000),
        categories=(QUINTILE_TYPE, QUINTILES, (41.0, 30.0)),
        source=f"{SYNTHETIC}: modelled on the Health Survey for England",
    ),
    DemoIndicator(
        slug="hip-fractures-65",
        name="Hip fractures in people aged 65 and over",
        definition="Emergency admissions for fractured neck of femur in people aged "
        "65 and over, per 100,000 (directly standardised in the real indicator; "
        "a crude rate here).",
        value_type=ValueType.RATE, multiplier=100000, unit="per 100,000",
        polarity=Polarity.LOWER_IS_BETTER, period_type=PeriodType.FINANCIAL_YEAR,
        periods=FINANCIAL_YEARS, latest=551.0, yearly_change=-4.0, spread=45.0,
        denominator=(120000, 650000), age="65+ yrs",
        source=f"{SYNTHETIC}: modelled on Hospital Episode Statistics",
    ),
    DemoIndicator(
        slug="physical-inactivity",
        name="Percentage of physically inactive adults",
        definition="Adults doing less than 30 minutes of moderate physical activity "
        "a week.",
        value_type=ValueType.PROPORTION, multiplier=100, unit="%",
        polarity=Polarity.LOWER_IS_BETTER, period_type=PeriodType.FINANCIAL_YEAR,
        periods=FINANCIAL_YEARS, latest=22.6, yearly_change=-0.2, spread=2.0,
        denominator=(1500, 6000), age="19+ yrs",
        source=f"{SYNTHETIC}: modelled on the Active Lives Adult Survey",
    ),
    DemoIndicator(
        slug="msk-work-absence",
        name="Employees absent from work because of an MSK problem",
        definition="Employees who had at least one day off sick in the previous week "
        "because of a musculoskeletal problem, as a percentage of employees.",
        value_type=ValueType.PROPORTION, multiplier=100, unit="%",
        polarity=Polarity.LOWER_IS_BETTER, period_type=PeriodType.FINANCIAL_YEAR,
        periods=FINANCIAL_YEARS, latest=0.9, yearly_change=0.02, spread=0.15,
        denominator=(4000, 15000), age="16-64 yrs",
        source=f"{SYNTHETIC}: modelled on the Labour Force Survey",
    ),
    DemoIndicator(
        slug="msk-depression-anxiety",
        name="Depression or anxiety among people with a long-term MSK problem",
        definition="People reporting a long-term MSK problem who also report "
        "depression or anxiety.",
        value_type=ValueType.PROPORTION, multiplier=100, unit="%",
        polarity=Polarity.LOWER_IS_BETTER, period_type=PeriodType.ANNUAL,
        periods=CALENDAR_YEARS, latest=25.5, yearly_change=0.3, spread=1.5,
        denominator=(3000, 10000),
        categories=(DECILE_TYPE, DECILES, (32.0, 19.0)),
        source=f"{SYNTHETIC}: modelled on the GP Patient Survey",
    ),
)
LOCAL = DemoIndicator(
    slug="fcp-seen-within-2-weeks",
    name="MSK first contact practitioner appointments within 2 weeks",
    definition="Percentage of people referred to an MSK first contact practitioner "
    "who were seen within two weeks, by month.",
    value_type=ValueType.PROPORTION, multiplier=100, unit="%",
    polarity=Polarity.HIGHER_IS_BETTER, period_type=PeriodType.MONTHLY,
    periods=LOCAL_MONTHS, latest=78.0, yearly_change=0.0, spread=0.0,
    denominator=(700, 1300), age="All ages",
    source=f"{SYNTHETIC}: local ICB service figures",
)


class DemoValues:
    """Builds one indicator's values: ICBs drawn, regions and England summed."""

    def __init__(self, rng: np.random.Generator, areas: dict[str, Area]) -> None:
        self.rng = rng
        self.areas = areas
        self.icbs = [a for a in areas.values() if a.area_type == AreaType.ICB]
        self.regions = [a for a in areas.values() if a.area_type == AreaType.REGION]

    def icb_values(self, spec: DemoIndicator, denominators: np.ndarray) -> np.ndarray:
        """ICB values per period (rows) whose denominator-weighted mean is England's."""
        offsets = self.rng.normal(0, spec.spread, len(self.icbs))
        fixed = np.array([spec.fixed.get(a.code, np.nan) for a in self.icbs])
        periods = len(spec.periods)
        values = np.empty((periods, len(self.icbs)))
        for t in range(periods):
            england = spec.latest - spec.yearly_change * (periods - 1 - t)
            noise = self.rng.normal(0, spec.spread * 0.15, len(self.icbs))
            v = england + offsets + noise
            drift = spec.latest - england
            v = np.where(np.isnan(fixed), v, fixed - drift)
            free = np.isnan(fixed)
            weights = denominators[t]
            gap = england * weights.sum() - (v * weights).sum()
            v[free] += gap / weights[free].sum()
            values[t] = v
        return values

    def rows(self, indicator: Indicator, spec: DemoIndicator) -> list[IndicatorValue]:
        periods = len(spec.periods)
        base = self.rng.integers(*spec.denominator, len(self.icbs))
        growth = 1 + 0.01 * np.arange(periods)[:, None]
        denominators = np.round(base[None, :] * growth)
        values = self.icb_values(spec, denominators)
        counts = np.round(values / spec.multiplier * denominators)
        out: list[IndicatorValue] = []
        for t, period in enumerate(spec.periods):
            if spec.categories is None:
                out += self.aggregate(indicator, spec, period, "", "", counts[t],
                                      denominators[t])
                continue
            # Each ICB sits as far from England in every category as overall;
            # equal denominators per category make England's categories the
            # gradient and its overall value the gradient's mean (spec.latest).
            category_type, labels, (first, last) = spec.categories
            england = spec.latest - spec.yearly_change * (periods - 1 - t)
            shift = values[t] - england
            n = np.round(denominators[t] / len(labels))
            total_x = np.zeros(len(self.icbs))
            for label, level in zip(labels, np.linspace(first, last, len(labels)),
                                    strict=True):
                p = np.clip(level - (spec.latest - england) + shift, 1, 99)
                x = np.round(p / spec.multiplier * n)
                total_x += x
                out += self.aggregate(indicator, spec, period, category_type, label, x, n)
            total_n = n * len(labels)
            out += self.aggregate(indicator, spec, period, "", "", total_x, total_n)
        return out

    def aggregate(self, indicator: Indicator, spec: DemoIndicator, period: str,
                  category_type: str, category: str, x: np.ndarray, n: np.ndarray
                  ) -> list[IndicatorValue]:
        """Values for every ICB, region and England from the ICBs' counts."""
        areas = list(self.icbs)
        xs, ns = list(x), list(n)
        for region in self.regions:
            members = [i for i, a in enumerate(self.icbs) if a.parent_id == region.pk]
            areas.append(region)
            xs.append(x[members].sum())
            ns.append(n[members].sum())
        if category_type:
            # Category rows for England and each ICB, as Fingertips publishes them.
            areas, xs, ns = areas[:len(self.icbs)], xs[:len(self.icbs)], ns[:len(self.icbs)]
        areas.append(self.areas[ENGLAND])
        xs.append(x.sum())
        ns.append(n.sum())
        return build_values(indicator, spec, period, category_type, category, areas,
                            np.array(xs), np.array(ns))


def build_values(indicator: Indicator, spec: DemoIndicator, period: str,
                 category_type: str, category: str, areas: list[Area],
                 x: np.ndarray, n: np.ndarray) -> list[IndicatorValue]:
    parsed = parse_period(period)
    assert parsed is not None
    if spec.value_type == ValueType.RATE:
        estimate = phe.rate(x, n, confidence=(0.95, 0.998), multiplier=spec.multiplier)
    else:
        estimate = phe.proportion(x, n, confidence=(0.95, 0.998),
                                  multiplier=spec.multiplier)
    (lo95, lo998), (hi95, hi998) = estimate.lower, estimate.upper  # type: ignore[misc]
    value = np.asarray(estimate.value)
    return [
        IndicatorValue(
            indicator=indicator, area=area, period=period,
            period_sortable=parsed.sortable, period_start=parsed.start,
            period_end=parsed.end, sex="Persons", age=spec.age,
            category_type=category_type, category=category,
            value=round(float(value[i]), 4), lower_95=round(float(lo95[i]), 4),
            upper_95=round(float(hi95[i]), 4), lower_998=round(float(lo998[i]), 4),
            upper_998=round(float(hi998[i]), 4), count=float(x[i]),
            denominator=float(n[i]), limits_computed=True,
        )
        for i, area in enumerate(areas)
    ]


def local_series(rng: np.random.Generator, indicator: Indicator,
                 areas: dict[str, Area]) -> list[IndicatorValue]:
    """Monthly figures for two ICBs: steady, then better after a change at month 24."""
    out: list[IndicatorValue] = []
    for code, start in zip(LOCAL_ICBS, (68.0, 74.0), strict=True):
        n = rng.integers(*LOCAL.denominator, len(LOCAL.periods)).astype(float)
        level = np.where(np.arange(len(LOCAL.periods)) < 24, start, start + 9)
        p = np.clip(level + rng.normal(0, 2.0, len(n)), 1, 99)
        x = np.round(p / 100 * n)
        for i, period in enumerate(LOCAL.periods):
            out += build_values(indicator, LOCAL, period, "", "", [areas[code]],
                                x[i:i + 1], n[i:i + 1])
    return out


def load_demo_indicators() -> bool:
    """Load the synthetic indicators once; False, changing nothing, if they are there."""
    slugs = [s.slug for s in (*INDICATORS, LOCAL)]
    with transaction.atomic():
        if Indicator.objects.filter(slug__in=slugs).exists():
            return False
        rng = np.random.default_rng(SEED)
        areas = {a.code: a for a in Area.objects.filter(
            area_type__in=[AreaType.ENGLAND, AreaType.REGION, AreaType.ICB]
        ).order_by("code")}
        builder = DemoValues(rng, areas)
        values: list[IndicatorValue] = []
        for spec in (*INDICATORS, LOCAL):
            indicator = Indicator.objects.create(
                slug=spec.slug, name=spec.name, definition=spec.definition,
                unit=spec.unit, value_type=spec.value_type, multiplier=spec.multiplier,
                polarity=spec.polarity, source=spec.source,
                method="Wilson score limits" if spec.value_type == ValueType.PROPORTION
                else "Exact (under 10 events) or Byar's limits",
                period_type=spec.period_type,
            )
            if spec is LOCAL:
                values += local_series(rng, indicator, areas)
            else:
                values += builder.rows(indicator, spec)
        IndicatorValue.objects.bulk_create(values, batch_size=2000)
    return True
