"""Landscape: keeping services up to date. The stale list (services nobody
has confirmed for six months, or ever), confirming a service's details, and
importing services from CSV text, all-or-nothing: a file with any bad row is
refused with 422 listing every row and field at fault, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from msknet.landscape.actions import confirmation
from msknet.landscape.actions import imports as import_actions
from msknet.landscape.models import Service
from msknet.members.models import Network
from msknet.members.permissions import Permission

from .gate import api_gate, api_user
from .responses import errors

router = Router(tags=["Landscape: keeping services up to date"])

#: The most CSV text one request may carry.
MAX_CSV_CHARS = 2 * 1024 * 1024
ROW_ERROR = re.compile(r"^Row (?P<row>\d+)(?:, (?P<column>\w+))?: ")


def load_service(*, network: Network, kwargs: dict[str, Any]) -> Service:
    return get_object_or_404(Service.objects.select_related("network", "provider"),
                             network=network, pk=kwargs["id"])


class StaleServiceOut(Schema):
    id: int
    name: str
    provider: str
    icb_code: str = Field(description="The ICB's ODS code")
    step: str
    last_confirmed_on: dt.date | None = Field(description="Null if never confirmed")
    owners: list[str] = Field(description="Who would be asked to confirm it: members "
                              "from its provider")
    last_asked_at: dt.datetime | None = Field(description="When its owners were last "
                                              "asked to confirm it")


class ConfirmedOut(Schema):
    id: int
    last_confirmed_on: dt.date


class ImportIn(Schema):
    csv: str = Field(max_length=MAX_CSV_CHARS,
                     description="The CSV text, with the columns the export has")
    dry_run: bool = Field(False, description="Only check the file: write nothing")


class ImportOut(Schema):
    added: int
    updated: int
    unchanged: int
    providers_added: int
    dry_run: bool
    summary: str


@router.get(
    "/networks/{slug}/services/stale",
    response={200: list[StaleServiceOut], **errors(401, 403, 404)},
    url_name="service-stale-list", operation_id="list_stale_services",
    summary="Services nobody has confirmed for six months, oldest first",
)
@api_gate(Permission.MANAGE_LANDSCAPE)
def stale_list(request: HttpRequest, network: Network) -> list[dict[str, Any]]:
    from django.db.models import F, Max

    from msknet.landscape.views.confirmation import owners_by_provider

    services = list(
        Service.objects.filter(network=network).stale()
        .select_related("provider", "icb")
        .annotate(last_asked=Max("confirmation_requests__sent_at"))
        .order_by(F("last_confirmed_on").asc(nulls_first=True), "name", "pk"))
    owners = owners_by_provider(network, {s.provider_id for s in services})
    return [{
        "id": s.pk, "name": s.name, "provider": s.provider.name,
        "icb_code": s.icb.ods_code, "step": s.step,
        "last_confirmed_on": s.last_confirmed_on,
        "owners": [u.display_name for u in owners.get(s.provider_id, [])],
        "last_asked_at": s.last_asked,
    } for s in services]


@router.post(
    "/networks/{slug}/services/{id}/confirm",
    response={200: ConfirmedOut, **errors(401, 403, 404)},
    url_name="service-confirm-api", operation_id="confirm_service",
    summary="Confirm a service's details are right today",
)
@api_gate(Permission.EDIT_SERVICE, load=load_service, as_="service")
def confirm(request: HttpRequest, network: Network, id: int,
            service: Service) -> dict[str, Any]:
    """For leads and members from the service's provider."""
    service = confirmation.confirm_service(service=service, by=api_user(request))
    return {"id": service.pk, "last_confirmed_on": service.last_confirmed_on}


@router.post(
    "/networks/{slug}/services/import",
    response={200: ImportOut, **errors(401, 403, 404, 422)},
    url_name="service-import-api", operation_id="import_services",
    summary="Add and update services from CSV text, all or nothing",
)
@api_gate(Permission.MANAGE_LANDSCAPE)
def import_services(request: HttpRequest, network: Network,
                    payload: ImportIn) -> Any:
    """A row with an `id`, or the same provider and name as a listed service,
    updates it; any other row adds one. 422 lists every problem, its `field`
    naming the row and column ("row 7, step"); nothing is written then."""
    try:
        result = import_actions.import_text(
            network=network, text=payload.csv.lstrip("\ufeff"), by=api_user(request),
            dry_run=payload.dry_run)
    except import_actions.ImportRefused as refusal:
        return Status(422, {"detail": str(refusal), "errors": [
            {"field": _field(message), "message": message}
            for message in refusal.errors]})
    return {"added": result.added, "updated": result.updated,
            "unchanged": result.unchanged, "providers_added": result.providers_added,
            "dry_run": result.dry_run, "summary": result.summary}


def _field(message: str) -> str:
    match = ROW_ERROR.match(message)
    if match is None:
        return "csv"
    if match["column"]:
        return f"row {match['row']}, {match['column']}"
    return f"row {match['row']}"
