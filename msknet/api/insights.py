"""Public reading of population-health indicators, areas, values and comparisons."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from msknet.insights.models import Area, AreaType, Indicator, IndicatorValue
from msknet.insights.queries import Comparison, comparisons, latest_period
from msknet.members.permissions import Permission

from .errors import FieldErrors
from .gate import api_gate
from .pagination import Pagination
from .responses import errors
from .schemas import text

router = Router(tags=["Population-health indicators"])
Code = text(12)
ShortText = text(200)


class IndicatorOut(Schema):
    slug: str
    fingertips_id: int | None = Field(description="Fingertips indicator ID, if any")
    name: str
    definition: str
    unit: str
    value_type: str = Field(description="proportion, rate, ratio, mean or unknown")
    multiplier: float
    polarity: str = Field(
        description="higher_is_better, lower_is_better or no_judgement"
    )
    source: str
    method: str
    period_type: str


class AreaRef(Schema):
    code: str
    name: str
    area_type: str


class AreaOut(AreaRef):
    parent_code: str | None

    @staticmethod
    def resolve_parent_code(obj: Area) -> str | None:
        return obj.parent.code if obj.parent else None


class ValueOut(Schema):
    indicator: str = Field(description="The indicator's slug")
    area: AreaRef
    period: str
    period_sortable: int
    period_start: date | None
    period_end: date | None
    sex: str
    age: str
    category_type: str
    category: str
    value: float | None
    lower_95: float | None
    upper_95: float | None
    lower_998: float | None
    upper_998: float | None
    count: float | None
    denominator: float | None
    value_note: str

    @staticmethod
    def resolve_indicator(obj: IndicatorValue) -> str:
        return obj.indicator.slug


class ComparisonOut(Schema):
    area: AreaRef
    period: str
    sex: str
    age: str
    value: float | None
    lower_95: float | None
    upper_95: float | None
    england_value: float | None
    vs_england: str | None = Field(
        description="better, similar, worse (higher, similar, lower when the "
        "indicator makes no judgement) or not compared; null for England itself"
    )
    region: AreaRef | None
    region_value: float | None
    vs_region: str | None = Field(description="As vs_england; null above region level")

    @staticmethod
    def resolve_area(obj: Comparison) -> Area:
        return obj.value.area

    @staticmethod
    def resolve_period(obj: Comparison) -> str:
        return obj.value.period

    @staticmethod
    def resolve_sex(obj: Comparison) -> str:
        return obj.value.sex

    @staticmethod
    def resolve_age(obj: Comparison) -> str:
        return obj.value.age

    @staticmethod
    def resolve_value(obj: Comparison) -> float | None:
        return obj.value.value

    @staticmethod
    def resolve_lower_95(obj: Comparison) -> float | None:
        return obj.value.lower_95

    @staticmethod
    def resolve_upper_95(obj: Comparison) -> float | None:
        return obj.value.upper_95


def indicator_by_slug(slug: str, *, field: str) -> Indicator:
    indicator = Indicator.objects.filter(slug=slug).first()
    if indicator is None:
        raise FieldErrors({field: f"There is no indicator {slug!r}"})
    return indicator


def area_by_code(code: str, *, field: str) -> Area:
    area = Area.objects.filter(code__iexact=code).first()
    if area is None:
        raise FieldErrors({field: f"There is no area with code {code!r}"})
    return area


@router.get(
    "/indicators",
    response={200: list[IndicatorOut], **errors(401, 422)},
    url_name="indicator-list",
    operation_id="list_indicators",
    summary="List indicators",
)
@api_gate(Permission.VIEW_PUBLIC)
@paginate(Pagination)
def indicator_list(request: HttpRequest) -> QuerySet[Indicator]:
    """Population-health indicators, from Fingertips or local figures."""
    return Indicator.objects.order_by("name", "pk")


@router.get(
    "/indicators/{indicator_slug}",
    response={200: IndicatorOut, **errors(401, 404)},
    url_name="indicator-detail",
    operation_id="get_indicator",
    summary="Get an indicator",
)
@api_gate(Permission.VIEW_PUBLIC)
def indicator_detail(request: HttpRequest, indicator_slug: str) -> Indicator:
    return get_object_or_404(Indicator, slug=indicator_slug)


@router.get(
    "/areas",
    response={200: list[AreaOut], **errors(401, 422)},
    url_name="area-list",
    operation_id="list_areas",
    summary="List areas",
)
@api_gate(Permission.VIEW_PUBLIC)
@paginate(Pagination)
def area_list(
    request: HttpRequest, type: AreaType | None = None, parent: Code = ""
) -> QuerySet[Area]:
    """England, NHS regions, ICBs and finer areas; filter by `type` or `parent` code."""
    areas = Area.objects.select_related("parent")
    if type:
        areas = areas.filter(area_type=type)
    if parent:
        areas = areas.filter(parent=area_by_code(parent, field="parent"))
    return areas.order_by("name", "pk")


@router.get(
    "/indicator-values",
    response={200: list[ValueOut], **errors(401, 422)},
    url_name="indicator-value-list",
    operation_id="list_indicator_values",
    summary="List indicator values",
)
@api_gate(Permission.VIEW_PUBLIC)
@paginate(Pagination)
def value_list(
    request: HttpRequest,
    indicator: ShortText = "",
    area: Code = "",
    period: ShortText = "",
    category_type: ShortText | None = None,
) -> QuerySet[IndicatorValue]:
    """Values with their limits. Filter by `indicator` slug, `area` code, `period`
    and `category_type` (empty for the main rows only)."""
    values = IndicatorValue.objects.select_related("indicator", "area")
    if indicator:
        values = values.filter(indicator=indicator_by_slug(indicator, field="indicator"))
    if area:
        values = values.filter(area=area_by_code(area, field="area"))
    if period:
        values = values.filter(period=period)
    if category_type is not None:
        values = values.filter(category_type=category_type)
    return values.order_by("indicator__slug", "period_sortable", "area__code", "sex",
                           "age", "category_type", "category", "pk")


@router.get(
    "/indicators/{indicator_slug}/comparisons",
    response={200: list[ComparisonOut], **errors(401, 404, 422)},
    url_name="indicator-comparison-list",
    operation_id="list_indicator_comparisons",
    summary="Compare areas with England and their region",
)
@api_gate(Permission.VIEW_PUBLIC)
@paginate(Pagination)
def comparison_list(
    request: HttpRequest, indicator_slug: str, period: ShortText = "",
    two_level: bool = False,
) -> list[Comparison]:
    """Each area's value for `period` (default the latest) against England's and its
    region's, by the 95% limits (and 99.8% with `two_level`) as Fingertips does."""
    indicator = get_object_or_404(Indicator, slug=indicator_slug)
    period = period or latest_period(indicator) or ""
    return comparisons(indicator, period, two_level=two_level)
