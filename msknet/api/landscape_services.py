"""Landscape: the service directory and keeping services up to date.

Anyone may list and read the network's services (patients and referrers need
them) and their activity and waits; workforce figures are for members.
Adding, changing and recording figures is the EDIT_SERVICE rule: members from
the service's provider organisation, or a lead. 403 when it refuses, then 422
naming the field for each detail the service cannot hold.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from msknet.landscape import queries
from msknet.landscape.actions import services as actions
from msknet.landscape.actions.common import Refused
from msknet.landscape.models import Service, Step
from msknet.members.models import Network, Organisation
from msknet.members.permissions import Permission, has_permission

from .errors import FieldErrors
from .gate import api_gate, api_user
from .pagination import Pagination
from .responses import errors
from .schemas import MAX_ID, Id, LongText, text

router = Router(tags=["Landscape: services"])

Short = text(200)
Medium = text(300)


def load_service(*, network: Network, kwargs: dict[str, Any]) -> Service:
    if not 0 < kwargs["id"] <= MAX_ID:
        raise Http404("No such service")
    return get_object_or_404(queries.service_page(network, kwargs["id"]))


def load_new_service(*, network: Network, kwargs: dict[str, Any]) -> Service:
    """An unsaved service of the provider named, for the EDIT_SERVICE rule."""
    return Service(network=network, provider_id=kwargs["payload"].provider)


class ServiceOut(Schema):
    id: int
    name: str
    description: str
    provider_id: int
    provider: str = Field(description="The provider organisation's name")
    icb: str = Field(description="The ICB's ODS code")
    place: str
    step: str = Field(description="The pathway step: " + ", ".join(Step.values))
    conditions: list[str]
    self_referral: bool
    gp_referral: bool
    fcp_referral: bool
    other_referrers: str
    via_ers: bool
    via_email: bool
    via_form: bool
    referral_contact: str
    eligibility: str
    address: str
    postcode: str
    outward_code: str
    opening: str
    accessibility: str
    languages: str
    digital_offer: str
    website: str
    phone: str
    last_confirmed_on: dt.date | None
    stale: bool = Field(description="Not confirmed for six months, or ever")
    withdrawn: bool
    nearness: int | None = Field(
        None, description="With `near`: 0 in the same postcode district, 1 "
        "elsewhere in its area")


class ActivityOut(Schema):
    id: int
    period_start: dt.date
    period_end: dt.date
    referrals_per_month: float | None
    median_wait_weeks: float | None
    p90_wait_weeks: float | None


class WorkforceOut(Schema):
    id: int
    as_of: dt.date
    profession: str
    wte: float
    vacancies_wte: float


class ServiceDetailOut(ServiceOut):
    latest_activity: ActivityOut | None
    workforce: list[WorkforceOut] | None = Field(
        None, description="The latest date's figures by profession (members only)")


class ServiceIn(Schema):
    provider: Id = Field(description="The provider organisation's id: members add "
                         "services for their own organisation")
    name: text(200, min_length=1)  # type: ignore[valid-type]
    icb: text(3) = Field(description="The ICB's ODS code: one of the network's")  # type: ignore[valid-type]
    step: text(30) = Field(description=", ".join(Step.values))  # type: ignore[valid-type]
    description: LongText = ""
    place: Short = ""
    conditions: text(500) = Field("", description="Separated by semicolons")  # type: ignore[valid-type]
    self_referral: bool = False
    gp_referral: bool = False
    fcp_referral: bool = False
    other_referrers: Medium = ""
    via_ers: bool = False
    via_email: bool = False
    via_form: bool = False
    referral_contact: Medium = ""
    eligibility: LongText = ""
    address: Medium = ""
    postcode: text(10) = ""  # type: ignore[valid-type]
    opening: Medium = ""
    accessibility: LongText = ""
    languages: Medium = ""
    digital_offer: LongText = ""
    website: text(500) = ""  # type: ignore[valid-type]
    phone: text(40) = ""  # type: ignore[valid-type]


class ServicePatch(Schema):
    """Only the fields sent change; saving confirms the details today."""

    name: text(200, min_length=1) | None = None  # type: ignore[valid-type]
    icb: text(3) | None = None  # type: ignore[valid-type]
    step: text(30) | None = None  # type: ignore[valid-type]
    description: LongText | None = None
    place: Short | None = None
    conditions: text(500) | None = None  # type: ignore[valid-type]
    self_referral: bool | None = None
    gp_referral: bool | None = None
    fcp_referral: bool | None = None
    other_referrers: Medium | None = None
    via_ers: bool | None = None
    via_email: bool | None = None
    via_form: bool | None = None
    referral_contact: Medium | None = None
    eligibility: LongText | None = None
    address: Medium | None = None
    postcode: text(10) | None = None  # type: ignore[valid-type]
    opening: Medium | None = None
    accessibility: LongText | None = None
    languages: Medium | None = None
    digital_offer: LongText | None = None
    website: text(500) | None = None  # type: ignore[valid-type]
    phone: text(40) | None = None  # type: ignore[valid-type]


class ActivityIn(Schema):
    period_start: dt.date = Field(description="Not in the future")
    period_end: dt.date | None = Field(
        None, description="Left out: the end of period_start's month")
    referrals_per_month: Decimal | None = Field(None, max_digits=8, decimal_places=1)
    median_wait_weeks: Decimal | None = Field(None, max_digits=5, decimal_places=1)
    p90_wait_weeks: Decimal | None = Field(
        None, max_digits=5, decimal_places=1, description="Not below the median")


class WorkforceIn(Schema):
    as_of: dt.date = Field(description="Not in the future")
    profession: text(30)  # type: ignore[valid-type]
    wte: Decimal = Field(max_digits=7, decimal_places=2)
    vacancies_wte: Decimal = Field(Decimal(0), max_digits=7, decimal_places=2)


def number(value: Any) -> float | None:
    return None if value is None else float(value)


def service_out(service: Service) -> dict[str, Any]:
    fields = {name: getattr(service, name) for name in (
        "id", "name", "description", "provider_id", "place", "step",
        "self_referral", "gp_referral", "fcp_referral", "other_referrers",
        "via_ers", "via_email", "via_form", "referral_contact", "eligibility",
        "address", "postcode", "outward_code", "opening", "accessibility",
        "languages", "digital_offer", "website", "phone", "last_confirmed_on")}
    return {**fields, "provider": service.provider.name, "icb": service.icb.ods_code,
            "conditions": service.condition_list, "stale": service.is_stale(),
            "withdrawn": service.withdrawn_at is not None,
            "nearness": getattr(service, "nearness", None)}


def activity_out(activity: Any) -> dict[str, Any]:
    return {"id": activity.pk, "period_start": activity.period_start,
            "period_end": activity.period_end,
            "referrals_per_month": number(activity.referrals_per_month),
            "median_wait_weeks": number(activity.median_wait_weeks),
            "p90_wait_weeks": number(activity.p90_wait_weeks)}


def workforce_out(staff: Any) -> dict[str, Any]:
    return {"id": staff.pk, "as_of": staff.as_of, "profession": staff.profession,
            "wte": float(staff.wte), "vacancies_wte": float(staff.vacancies_wte)}


def detail(request: HttpRequest, network: Network, service: Service) -> dict[str, Any]:
    service = queries.service_page(network, service.pk).get()
    members = has_permission(api_user(request), Permission.VIEW_SERVICE_WORKFORCE,
                             network)
    latest = service.activity.order_by("period_start").last()
    workforce = None
    if members:
        workforce = [workforce_out(w) for w in
                     queries.latest_workforce(queries.workforce_of(service))]
    return {**service_out(service),
            "latest_activity": activity_out(latest) if latest else None,
            "workforce": workforce}


def icb_of(network: Network, code: str | None) -> Any:
    if code is None:
        return None
    icb = network.icbs.filter(ods_code=code.upper()).first()
    if icb is None:
        raise FieldErrors({"icb": f"{network} has no ICB {code!r}"})
    return icb


def check_step(step: str | None) -> None:
    if step is not None and step not in Step.values:
        raise FieldErrors({"step": "Choose one of " + ", ".join(Step.values)})


@router.get(
    "/networks/{slug}/services",
    response={200: list[ServiceOut], **errors(401, 403, 404, 422)},
    url_name="landscape-service-list", operation_id="list_landscape_services",
    summary="The service directory: search, filter and find services near a postcode",
)
@api_gate(Permission.VIEW_PUBLIC)
@paginate(Pagination)
def service_list(request: HttpRequest, network: Network, q: str = "", icb: str = "",
                 step: str = "", self_referral: bool = False, method: str = "",
                 language: str = "", near: str = "") -> list[dict[str, Any]]:
    """Active services by name. `q` searches names, descriptions, conditions
    and providers; `icb` is an ODS code; `method` is ers, email or form;
    `language` is contained in the languages offered. `near` (a postcode or
    outward code like NE1) puts the same postcode district first, then the
    rest of its area, and leaves others out."""
    if len(q) > 200 or len(language) > 60:
        raise FieldErrors({"q" if len(q) > 200 else "language": "Too long"})
    check_step(step or None)
    if method and method not in queries.METHODS:
        raise FieldErrors({"method": "Choose one of " + ", ".join(queries.METHODS)})
    where = queries.parse_near(near) if near else None
    if near and where is None:
        raise FieldErrors({"near": queries.NEAR_MESSAGE})
    filters = queries.Filters(q=q.strip(), icb=icb_of(network, icb) if icb else None,
                              step=step, self_referral=self_referral, method=method,
                              language=language.strip(), near=where)
    return [service_out(s) for s in queries.directory(network, filters)]


@router.get(
    "/networks/{slug}/services/{id}",
    response={200: ServiceDetailOut, **errors(401, 403, 404, 422)},
    url_name="landscape-service-detail", operation_id="landscape_service_detail",
    summary="One service, its latest waits and (for members) its workforce",
)
@api_gate(Permission.VIEW_PUBLIC, load=load_service, as_="service")
def service_detail(request: HttpRequest, network: Network, id: int,
                   service: Service) -> dict[str, Any]:
    return detail(request, network, service)


@router.post(
    "/networks/{slug}/services",
    response={201: ServiceDetailOut, **errors(401, 403, 404, 422)},
    url_name="landscape-service-create", operation_id="create_landscape_service",
    summary="Add a service; its details count as confirmed today",
)
@api_gate(Permission.EDIT_SERVICE, load=load_new_service, as_="service")
def service_create(request: HttpRequest, network: Network, payload: ServiceIn,
                   service: Service) -> Status:
    """403 unless you are a lead or from the provider organisation. Then 422
    names the field: an ICB or provider outside the network, an unknown step,
    a postcode that is not a UK postcode's shape, a name the provider already
    uses."""
    data = payload.dict()
    provider = Organisation.objects.filter(pk=data.pop("provider")).first()
    if provider is None:
        raise FieldErrors({"provider": "No organisation has that id"})
    data["icb"] = icb_of(network, data["icb"])
    check_step(data["step"])
    try:
        added = actions.add_service(network=network, provider=provider,
                                    by=api_user(request), **data)
    except Refused as error:
        raise FieldErrors({error.field or "name": str(error)}) from None
    return Status(201, detail(request, network, added))


@router.patch(
    "/networks/{slug}/services/{id}",
    response={200: ServiceDetailOut, **errors(401, 403, 404, 422)},
    url_name="landscape-service-update", operation_id="update_landscape_service",
    summary="Change a service's details; saving confirms them today",
)
@api_gate(Permission.EDIT_SERVICE, load=load_service, as_="service")
def service_update(request: HttpRequest, network: Network, id: int,
                   payload: ServicePatch, service: Service) -> dict[str, Any]:
    data = {k: v for k, v in payload.dict(exclude_unset=True).items()}
    for name, value in data.items():
        if value is None and name not in ("icb", "step"):
            raise FieldErrors({name: "Send a value, or leave the field out"})
    if "icb" in data:
        if data["icb"] is None:
            raise FieldErrors({"icb": "A service must be in an ICB"})
        data["icb"] = icb_of(network, data["icb"])
    if "step" in data:
        if data["step"] is None:
            raise FieldErrors({"step": "A service must sit at a step"})
        check_step(data["step"])
    try:
        actions.update_service(service=service, by=api_user(request), **data)
    except Refused as error:
        raise FieldErrors({error.field or "name": str(error)}) from None
    return detail(request, network, service)


@router.get(
    "/networks/{slug}/services/{id}/activity",
    response={200: list[ActivityOut], **errors(401, 403, 404, 422)},
    url_name="landscape-service-activity-list",
    operation_id="list_landscape_service_activity",
    summary="A service's referrals and waits, period by period",
)
@api_gate(Permission.VIEW_PUBLIC, load=load_service, as_="service")
@paginate(Pagination)
def activity_list(request: HttpRequest, network: Network, id: int,
                  service: Service) -> list[dict[str, Any]]:
    """Oldest period first."""
    return [activity_out(a) for a in queries.activity_of(service)]


@router.post(
    "/networks/{slug}/services/{id}/activity",
    response={201: ActivityOut, **errors(401, 403, 404, 422)},
    url_name="landscape-service-activity-record",
    operation_id="record_landscape_service_activity",
    summary="Record a period's referrals and waits (replacing that period's)",
)
@api_gate(Permission.EDIT_SERVICE, load=load_service, as_="service")
def activity_record(request: HttpRequest, network: Network, id: int,
                    payload: ActivityIn, service: Service) -> Status:
    """422 names the field: a period starting in the future, ending before it
    starts, a negative figure, a 90th-percentile wait below the median."""
    try:
        activity = actions.record_activity(service=service, by=api_user(request),
                                           **payload.dict())
    except Refused as error:
        raise FieldErrors({error.field or "period_start": str(error)}) from None
    return Status(201, activity_out(activity))


@router.post(
    "/networks/{slug}/services/{id}/workforce",
    response={201: WorkforceOut, **errors(401, 403, 404, 422)},
    url_name="landscape-service-workforce-record",
    operation_id="record_landscape_service_workforce",
    summary="Record a profession's whole-time equivalents in post and vacant",
)
@api_gate(Permission.EDIT_SERVICE, load=load_service, as_="service")
def workforce_record(request: HttpRequest, network: Network, id: int,
                     payload: WorkforceIn, service: Service) -> Status:
    try:
        staff = actions.record_workforce(service=service, by=api_user(request),
                                         **payload.dict())
    except Refused as error:
        raise FieldErrors({error.field or "profession": str(error)}) from None
    return Status(201, workforce_out(staff))
