"""Public reading: networks, organisations, NHS regions and ICBs."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from msknet.members.models import ICB, Network, Organisation, OrganisationType, Region
from msknet.members.permissions import Permission

from .errors import FieldErrors
from .gate import api_gate
from .pagination import Pagination
from .responses import errors
from .schemas import ICBOut, NetworkOut, ODSCode, OrganisationOut, RegionOut, SearchText

router = Router(tags=["Networks and reference data"])


def networks() -> QuerySet[Network]:
    active = Q(
        memberships__user__is_active=True, memberships__user__erased_at__isnull=True
    )
    return (
        Network.objects.select_related("region")
        .prefetch_related(
            Prefetch("icbs", queryset=ICB.objects.order_by("name")), "topics"
        )
        .annotate(member_count=Count("memberships", filter=active))
        .order_by("name")
    )


def icb_by_code(ods_code: str, *, field: str) -> ICB:
    icb = ICB.objects.filter(ods_code__iexact=ods_code).first()
    if icb is None:
        raise FieldErrors(
            {field: f"There is no integrated care board with ODS code {ods_code!r}"}
        )
    return icb


@router.get(
    "/networks",
    response={200: list[NetworkOut], **errors(401, 422)},
    url_name="network-list",
    operation_id="list_networks",
    summary="List networks",
)
@api_gate(Permission.VIEW_PUBLIC)
@paginate(Pagination)
def network_list(request: HttpRequest) -> QuerySet[Network]:
    """The networks this site hosts, with their ICBs and topics."""
    return networks()


@router.get(
    "/networks/{slug}",
    response={200: NetworkOut, **errors(401, 404)},
    url_name="network-detail",
    operation_id="get_network",
    summary="Get a network",
)
@api_gate(Permission.VIEW_PUBLIC)
def network_detail(request: HttpRequest, network: Network) -> Network:
    return networks().get(pk=network.pk)


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **errors(401, 422)},
    url_name="organisation-list",
    operation_id="list_organisations",
    summary="List organisations",
)
@api_gate(Permission.VIEW_PUBLIC)
@paginate(Pagination)
def organisation_list(
    request: HttpRequest,
    type: OrganisationType | None = None,
    icb: ODSCode | None = None,
    q: SearchText = "",
) -> QuerySet[Organisation]:
    """Organisations members can choose when they join.

    Filter by `type`, by `icb` (ODS code) and by `q`, which matches words of
    the name or the exact ODS code.
    """
    organisations = Organisation.objects.select_related("icb", "region")
    if type:
        organisations = organisations.filter(type=type)
    if icb:
        organisations = organisations.filter(icb=icb_by_code(icb, field="icb"))
    words = q.split()
    if len(words) == 1:
        organisations = organisations.filter(
            Q(name__icontains=words[0]) | Q(ods_code__iexact=words[0])
        )
    else:
        for word in words:
            organisations = organisations.filter(name__icontains=word)
    return organisations.order_by("name", "pk")


@router.get(
    "/regions",
    response={200: list[RegionOut], **errors(401, 422)},
    url_name="region-list",
    operation_id="list_regions",
    summary="List NHS England regions",
)
@api_gate(Permission.VIEW_PUBLIC)
@paginate(Pagination)
def region_list(request: HttpRequest) -> QuerySet[Region]:
    return Region.objects.order_by("name")


@router.get(
    "/icbs",
    response={200: list[ICBOut], **errors(401, 422)},
    url_name="icb-list",
    operation_id="list_icbs",
    summary="List integrated care boards",
)
@api_gate(Permission.VIEW_PUBLIC)
@paginate(Pagination)
def icb_list(request: HttpRequest, region: SearchText = "") -> QuerySet[ICB]:
    """The 42 ICBs in England; `region` filters by NHS England region code."""
    icbs = ICB.objects.select_related("region").order_by("name")
    if region:
        icbs = icbs.filter(region__code__iexact=region)
    return icbs
