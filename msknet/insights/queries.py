"""Reading indicator data: filters and the benchmark comparisons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Max, Q

from msknet.analytics.indicators import compare

from .models import Area, AreaType, Indicator, IndicatorValue
from .reference import ENGLAND_CODE


@dataclass(frozen=True)
class Comparison:
    value: IndicatorValue
    england_value: float | None
    vs_england: str
    region: Area | None
    region_value: float | None
    vs_region: str | None


def latest_period(indicator: Indicator) -> str | None:
    return (
        indicator.values.order_by("-period_sortable", "period")
        .values_list("period", flat=True)
        .first()
    )


def region_of(area_id: int, parents: dict[int, tuple[int | None, str]]) -> int | None:
    """The nearest NHS region above the area (None for England and regions)."""
    parent = parents[area_id][0]
    while parent is not None:
        up, area_type = parents[parent]
        if area_type == AreaType.REGION:
            return parent
        parent = up
    return None


def comparisons(
    indicator: Indicator, period: str, *, two_level: bool = False
) -> list[Comparison]:
    """Each area's main value for the period, compared with England and its region.

    Values are matched with benchmarks of the same sex and age. Regions are
    compared with England only.
    """
    values = list(
        IndicatorValue.objects.filter(indicator=indicator, period=period, category_type="")
        .select_related("area")
        .order_by("area__area_type", "area__name", "sex", "age")
    )
    parents = {
        a["pk"]: (a["parent_id"], a["area_type"])
        for a in Area.objects.values("pk", "parent_id", "area_type")
    }
    by_area = {(v.area_id, v.sex, v.age): v for v in values}
    england = Area.objects.filter(code=ENGLAND_CODE).first()
    regions = {a.pk: a for a in Area.objects.filter(area_type=AreaType.REGION)}

    def benchmark(area_id: int | None, v: IndicatorValue) -> float | None:
        found = by_area.get((area_id, v.sex, v.age)) if area_id else None
        return found.value if found else None

    england_values = [benchmark(england.pk if england else None, v) for v in values]
    region_ids = [region_of(v.area_id, parents) for v in values]
    region_values = [benchmark(r, v) for r, v in zip(region_ids, values, strict=True)]
    extra: dict[str, Any] = {}
    if two_level:
        extra = {"lower_998": [v.lower_998 for v in values],
                 "upper_998": [v.upper_998 for v in values]}
    lower = [v.lower_95 for v in values]
    upper = [v.upper_95 for v in values]
    if not values:
        return []
    vs_england = compare(lower, upper, england_values, polarity=indicator.polarity, **extra)
    vs_region = compare(lower, upper, region_values, polarity=indicator.polarity, **extra)
    is_england = np.array([v.area.area_type == AreaType.ENGLAND for v in values])
    vs_england = np.where(is_england, None, vs_england)
    return [
        Comparison(
            value=v,
            england_value=england_values[i],
            vs_england=vs_england[i],
            region=regions.get(region_ids[i]) if region_ids[i] else None,
            region_value=region_values[i],
            vs_region=vs_region[i] if region_ids[i] else None,
        )
        for i, v in enumerate(values)
    ]


# Reads for the public insights pages -------------------------------------------

#: The headline MSK indicators on a network's home page, by slug or Fingertips ID.
HEADLINE_SLUGS = ("long-term-msk-problem", "chronic-pain")
HEADLINE_FINGERTIPS_IDS = (93377,)
MAIN_SEX = "Persons"


@dataclass(frozen=True)
class AreaValue:
    """One area's main value for a period, compared with England's."""

    area: Area
    value: IndicatorValue
    england: float | None
    vs_england: str
    in_network: bool


@dataclass(frozen=True)
class IndicatorSummary:
    indicator: Indicator
    latest_period: str | None
    periods: int


def network_area_codes(network: Any) -> set[str]:
    """ONS codes of the network's ICBs."""
    return set(Area.objects.filter(icb__networks=network).values_list("code", flat=True))


def indicator_summaries() -> list[IndicatorSummary]:
    """Every indicator with its latest period and how many periods it has."""
    latest: dict[int, tuple[int, str]] = {}
    counts: dict[int, set[str]] = {}
    rows = (
        IndicatorValue.objects.filter(category_type="")
        .values_list("indicator_id", "period_sortable", "period")
        .distinct()
    )
    for indicator_id, sortable, period in rows:
        counts.setdefault(indicator_id, set()).add(period)
        if indicator_id not in latest or (sortable, period) > latest[indicator_id]:
            latest[indicator_id] = (sortable, period)
    return [
        IndicatorSummary(
            indicator=indicator,
            latest_period=latest[indicator.pk][1] if indicator.pk in latest else None,
            periods=len(counts.get(indicator.pk, ())),
        )
        for indicator in Indicator.objects.all()
    ]


def indicator_periods(indicator: Indicator) -> list[str]:
    """The periods with main values, oldest first."""
    rows = (
        indicator.values.filter(category_type="")
        .values_list("period_sortable", "period")
        .distinct()
        .order_by("period_sortable", "period")
    )
    return [period for _, period in rows]


def main_breakdown(values: list[IndicatorValue]) -> tuple[str, str] | None:
    """The sex and age the page shows: England's Persons row if there is one."""
    if not values:
        return None

    def rank(v: IndicatorValue) -> tuple[bool, bool]:
        return (v.area.area_type != AreaType.ENGLAND, v.sex != MAIN_SEX)

    best = min(values, key=rank)
    return best.sex, best.age


def compared_with_england(
    indicator: Indicator, values: list[IndicatorValue], network_codes: set[str]
) -> tuple[IndicatorValue | None, list[AreaValue]]:
    """England's value and every other area's, compared with it by `compare`.

    ``values`` are one period's main rows with their areas; only the main sex
    and age breakdown is kept.
    """
    breakdown = main_breakdown(values)
    kept = [v for v in values if (v.sex, v.age) == breakdown]
    england = next((v for v in kept if v.area.code == ENGLAND_CODE), None)
    others = [v for v in kept if v.area.code != ENGLAND_CODE]
    benchmark = england.value if england else None
    outcomes = compare(
        [v.lower_95 for v in others], [v.upper_95 for v in others], benchmark,
        polarity=indicator.polarity,
    ) if others else []
    return england, [
        AreaValue(area=v.area, value=v, england=benchmark, vs_england=str(outcome),
                  in_network=v.area.code in network_codes)
        for v, outcome in zip(others, outcomes, strict=True)
    ]


def icb_values(
    indicator: Indicator, period: str, network_codes: set[str]
) -> tuple[IndicatorValue | None, list[AreaValue]]:
    """England's value and each ICB's for the period, highest value first."""
    values = list(
        IndicatorValue.objects.filter(
            indicator=indicator, period=period, category_type="",
            area__area_type__in=[AreaType.ICB, AreaType.ENGLAND],
        ).select_related("area__icb")
    )
    england, icbs = compared_with_england(indicator, values, network_codes)
    icbs.sort(key=lambda a: (a.value.value is None, -(a.value.value or 0), a.area.name))
    return england, icbs


@dataclass(frozen=True)
class ProfileRow:
    """One indicator on an area's profile: its value against England and the ICBs."""

    indicator: Indicator
    period: str
    value: IndicatorValue
    england: float | None
    vs_england: str
    lowest: float | None
    q25: float | None
    q75: float | None
    highest: float | None
    icbs: int


def area_profile(area: Area) -> list[ProfileRow]:
    """Each indicator's latest main value for the area, with England and the ICB range."""
    own = list(
        IndicatorValue.objects.filter(area=area, category_type="")
        .select_related("indicator")
        .order_by("indicator__name", "-period_sortable", "period")
    )
    latest: dict[int, IndicatorValue] = {}
    for v in own:
        if v.indicator_id in latest or v.value is None:
            continue
        latest[v.indicator_id] = v
    if not latest:
        return []
    peers = list(
        IndicatorValue.objects.filter(
            indicator_id__in=latest, category_type="",
            period_sortable__in={v.period_sortable for v in latest.values()},
            area__area_type__in=[AreaType.ICB, AreaType.ENGLAND],
        ).select_related("area__icb")
    )
    rows = []
    for indicator_id, v in latest.items():
        same = [
            p for p in peers
            if p.indicator_id == indicator_id and p.period == v.period
            and (p.sex, p.age) == (v.sex, v.age)
        ]
        england = next((p.value for p in same if p.area.code == ENGLAND_CODE), None)
        icb_values_ = np.array(
            [p.value for p in same if p.area.area_type == AreaType.ICB
             and p.value is not None], dtype=float,
        )
        quartiles: list[float | None] = [None, None, None, None]
        if icb_values_.size:
            quartiles = [float(q) for q in np.percentile(icb_values_, [0, 25, 75, 100])]
        rows.append(ProfileRow(
            indicator=v.indicator, period=v.period, value=v, england=england,
            vs_england=str(compare(v.lower_95, v.upper_95, england,
                                   polarity=v.indicator.polarity))
            if v.area.code != ENGLAND_CODE else "",
            lowest=quartiles[0], q25=quartiles[1], q75=quartiles[2],
            highest=quartiles[3], icbs=int(icb_values_.size),
        ))
    return rows


def area_series(indicator: Indicator, area: Area) -> tuple[list[AreaValue], bool]:
    """The area's main values over time, each compared with England's that period.

    Also says whether any period had an England value to compare with.
    """
    values = list(
        IndicatorValue.objects.filter(
            indicator=indicator, category_type="", area__code__in=[area.code, ENGLAND_CODE]
        ).select_related("area__icb").order_by("period_sortable", "period")
    )
    by_period: dict[str, list[IndicatorValue]] = {}
    for v in values:
        by_period.setdefault(v.period, []).append(v)
    series: list[AreaValue] = []
    any_england = False
    breakdown = main_breakdown([v for v in values if v.area.code == area.code] or values)
    for period_values in by_period.values():
        kept = [v for v in period_values if (v.sex, v.age) == breakdown]
        if area.code == ENGLAND_CODE:
            series += [AreaValue(area=v.area, value=v, england=v.value, vs_england="",
                                 in_network=False) for v in kept]
            continue
        england, others = compared_with_england(indicator, kept, set())
        any_england = any_england or england is not None
        series += others
    return series, any_england


def category_values(
    indicator: Indicator, area: Area, category_type: str | None = None
) -> tuple[list[str], dict[str, list[IndicatorValue]]]:
    """The area's deprivation breakdowns: the category types and, per period, rows.

    Only category types naming deprivation count. The first type (or
    ``category_type``) is returned, oldest period first.
    """
    types = sorted(
        set(
            IndicatorValue.objects.filter(indicator=indicator, area=area)
            .exclude(category_type="")
            .filter(category_type__icontains="deprivation")
            .values_list("category_type", flat=True)
        )
    )
    chosen = category_type if category_type in types else (types[0] if types else None)
    by_period: dict[str, list[IndicatorValue]] = {}
    if chosen is None:
        return types, by_period
    rows = IndicatorValue.objects.filter(
        indicator=indicator, area=area, category_type=chosen
    ).order_by("period_sortable", "period", "sex", "age", "category")
    for v in rows:
        by_period.setdefault(v.period, []).append(v)
    return types, by_period


@dataclass(frozen=True)
class FunnelArea:
    area: Area
    value: IndicatorValue
    in_network: bool


def funnel_values(
    indicator: Indicator, period: str, parent: Area | None, network_codes: set[str]
) -> tuple[IndicatorValue | None, list[FunnelArea]]:
    """England's value and the areas on the funnel: the parent's children, or ICBs."""
    children = (
        Q(area__parent=parent) if parent is not None else Q(area__area_type=AreaType.ICB)
    )
    values = list(
        IndicatorValue.objects.filter(indicator=indicator, period=period, category_type="")
        .filter(children | Q(area__code=ENGLAND_CODE))
        .select_related("area__icb")
        .order_by("area__name")
    )
    breakdown = main_breakdown(values)
    kept = [v for v in values if (v.sex, v.age) == breakdown]
    england = next((v for v in kept if v.area.code == ENGLAND_CODE), None)
    return england, [
        FunnelArea(area=v.area, value=v, in_network=v.area.code in network_codes)
        for v in kept if v.area.code != ENGLAND_CODE
    ]


def funnel_parents(indicator: Indicator) -> list[Area]:
    """ICBs (and other areas) with child areas that have values for the indicator."""
    return list(
        Area.objects.filter(
            children__values__indicator=indicator, area_type=AreaType.ICB
        ).distinct()
    )


@dataclass(frozen=True)
class Headline:
    indicator: Indicator
    period: str
    england: IndicatorValue | None
    areas: list[AreaValue]


def headline_indicators(network: Any) -> list[Headline]:
    """The network's ICBs on the headline MSK indicators, latest period, vs England."""
    indicators = list(
        Indicator.objects.filter(
            Q(slug__in=HEADLINE_SLUGS) | Q(fingertips_id__in=HEADLINE_FINGERTIPS_IDS)
        )
    )
    if not indicators:
        return []
    latest = {
        row["indicator_id"]: row["latest"]
        for row in IndicatorValue.objects.filter(indicator__in=indicators, category_type="")
        .values("indicator_id").annotate(latest=Max("period_sortable"))
    }
    codes = network_area_codes(network)
    values = list(
        IndicatorValue.objects.filter(
            indicator__in=indicators, category_type="",
            period_sortable__in=set(latest.values()),
        ).filter(Q(area__code__in=codes) | Q(area__code=ENGLAND_CODE))
        .select_related("area__icb")
        .order_by("area__name")
    )
    headlines = []
    for indicator in indicators:
        if indicator.pk not in latest:
            continue
        mine = [v for v in values if v.indicator_id == indicator.pk
                and v.period_sortable == latest[indicator.pk]]
        period = max(v.period for v in mine) if mine else ""
        mine = [v for v in mine if v.period == period]
        england, areas = compared_with_england(indicator, mine, codes)
        if areas:
            headlines.append(Headline(indicator, period, england, areas))
    return headlines
