"""Reading indicator data: filters and the benchmark comparisons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from msknet.analytics.indicators import compare

from .models import Area, AreaType, Indicator, IndicatorValue

ENGLAND_CODE = "E92000001"


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
