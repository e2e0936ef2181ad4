"""Innovation adoption and spread: each site's status and history, recording
a site's status, and the spread matrix of sites × innovations.

Anyone may read the adoptions of a recommended innovation (its page is
public); members read the rest and the matrix. Recording is the
RECORD_ADOPTION rule, asked of the site's adoption (unsaved for its first
record): 403 when it refuses, then 422 naming the field for each rule the
status breaks.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from msknet.innovations import adoption_queries as queries
from msknet.innovations.actions import adoption as actions
from msknet.innovations.actions.common import Refused
from msknet.innovations.models import Adoption, AdoptionChange, Innovation
from msknet.members.models import Network, User
from msknet.members.permissions import Permission, has_permission
from msknet.priorities.models import StrategicPriority

from .errors import FieldErrors
from .gate import FORBIDDEN_MESSAGE, api_gate, api_user
from .pagination import Pagination
from .responses import errors
from .schemas import LongText

router = Router(tags=["Innovation adoption and spread"])


def load_innovation(*, network: Network, kwargs: dict[str, Any]) -> Innovation:
    return get_object_or_404(Innovation.objects.select_related("network"),
                             network=network, pk=kwargs["id"])


def load_adoption_innovation(*, network: Network, kwargs: dict[str, Any]
                             ) -> Innovation:
    """The innovation of the adoption named, which the gate asks about."""
    innovation = load_innovation(network=network, kwargs=kwargs)
    get_object_or_404(Adoption, innovation=innovation, pk=kwargs["adoption_id"])
    return innovation


class SiteOut(Schema):
    id: int
    name: str
    type: str
    icb_code: str | None = Field(None, description="The site's ICB's ODS code")


class AdoptionOut(Schema):
    id: int
    innovation_id: int
    site: SiteOut
    status: str = Field(description="not_started, aware, exploring, piloting, "
                        "adopted, sustained or stopped")
    status_on: dt.date = Field(description="When the site reached its status")
    project_id: int | None = Field(
        None, description="Its spread project, if one was started (members only)")


class ChangeOut(Schema):
    status_from: str = Field(description="Empty for the site's first record")
    status_to: str
    on: dt.date
    note: str
    reason: str = Field(description="Why the site stopped, when it did")
    by: str | None = Field(None, description="Who recorded it (members only)")


class AdoptionDetailOut(AdoptionOut):
    history: list[ChangeOut] = Field(description="Oldest first")


#: The largest id any database here stores.
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class AdoptionIn(Schema):
    site: Id = Field(description="The organisation's id: a site in one of the "
                      "network's ICBs")
    status: str
    on: dt.date = Field(description="When it happened: not in the future, nor "
                        "before the site's last change")
    note: LongText = Field("", description="Needed when the status goes back")
    reason: LongText = Field("", description="Needed when the site stopped")
    contacts: list[Id] = Field(
        default_factory=list, max_length=50,
        description="Members to name as the site's contacts, on its first record")


class MatrixInnovationOut(Schema):
    id: int
    name: str
    stage: str


class MatrixCellOut(Schema):
    innovation_id: int
    adoption_id: int
    status: str
    status_on: dt.date


class MatrixSiteOut(Schema):
    site: SiteOut
    statuses: list[MatrixCellOut] = Field(
        description="One per innovation the site has a record for")


class MatrixOut(Schema):
    innovations: list[MatrixInnovationOut]
    sites: list[MatrixSiteOut]


def is_id(value: str) -> bool:
    return value.isdigit() and 0 < int(value) <= MAX_ID


def site_out(site: Any) -> dict[str, Any]:
    return {"id": site.pk, "name": site.name, "type": site.type,
            "icb_code": site.icb.ods_code if site.icb else None}


def adoption_out(adoption: Adoption, members: bool) -> dict[str, Any]:
    return {"id": adoption.pk, "innovation_id": adoption.innovation_id,
            "site": site_out(adoption.site), "status": adoption.status,
            "status_on": adoption.status_on,
            "project_id": adoption.project_id if members else None}


def change_out(change: AdoptionChange, members: bool) -> dict[str, Any]:
    return {"status_from": change.status_from, "status_to": change.status_to,
            "on": change.on, "note": change.note, "reason": change.reason,
            "by": change.by.display_name if members and change.by else None}


def is_member(request: HttpRequest, network: Network) -> bool:
    return has_permission(api_user(request), Permission.VIEW_INNOVATIONS, network)


@router.get(
    "/networks/{slug}/innovations/adoptions/matrix",
    response={200: MatrixOut, **errors(401, 403, 404, 422)},
    url_name="innovation-adoption-matrix", operation_id="innovation_adoption_matrix",
    summary="The spread matrix: sites with a record × innovations",
)
@api_gate(Permission.VIEW_INNOVATIONS)
def matrix(request: HttpRequest, network: Network, show: str = "recommended",
           icb: str = "", kind: str = "", priority: str = ""
           ) -> dict[str, Any]:
    """Recommended innovations by default (`show=all` for every reviewed
    one); filter by `icb` (an ODS code), `kind`, or `priority` (the id of a
    strategic priority they serve). An unknown ICB or priority is 422."""
    chosen: dict[str, Any] = {"show": show, "kind": kind}
    if icb:
        chosen["icb"] = network.icbs.filter(ods_code=icb).first()
        if chosen["icb"] is None:
            raise FieldErrors({"icb": f"{network} has no ICB {icb!r}"})
    if priority:
        chosen["priority"] = StrategicPriority.objects.filter(
            network=network, pk=int(priority)).first() if is_id(priority) else None
        if chosen["priority"] is None:
            raise FieldErrors({"priority": f"{network} has no strategic priority "
                                           f"{priority}"})
    found = queries.matrix(network, **chosen)
    return {
        "innovations": [{"id": i.pk, "name": i.name, "stage": i.stage}
                        for i in found.innovations],
        "sites": [{"site": site_out(row.site), "statuses": [
            {"innovation_id": cell.innovation_id, "adoption_id": cell.pk,
             "status": cell.status, "status_on": cell.status_on}
            for cell in row.cells if cell is not None]} for row in found.rows],
    }


@router.get(
    "/networks/{slug}/innovations/{id}/adoptions",
    response={200: list[AdoptionOut], **errors(401, 403, 404, 422)},
    url_name="innovation-adoption-list", operation_id="list_innovation_adoptions",
    summary="Every site's status for an innovation",
)
@api_gate(Permission.VIEW_INNOVATION, load=load_innovation, as_="innovation")
@paginate(Pagination)
def adoption_list(request: HttpRequest, network: Network, id: int,
                  innovation: Innovation) -> list[dict[str, Any]]:
    """Grouped by ICB, then site name. Anyone may read a recommended one's."""
    members = is_member(request, network)
    return [adoption_out(a, members) for a in queries.adoptions_of(innovation)]


def load_recording(*, network: Network, kwargs: dict[str, Any]) -> Adoption:
    """The site's adoption, or an unsaved one holding the innovation and the
    site named, for the RECORD_ADOPTION rule to answer about."""
    innovation = load_innovation(network=network, kwargs=kwargs)
    site = kwargs["payload"].site
    existing = (Adoption.objects.select_related("innovation__network")
                .filter(innovation=innovation, site_id=site).first())
    return existing or Adoption(innovation=innovation, site_id=site)


@router.post(
    "/networks/{slug}/innovations/{id}/adoptions",
    response={201: AdoptionDetailOut, **errors(401, 403, 404, 422)},
    url_name="innovation-adoption-record", operation_id="record_innovation_adoption",
    summary="Record a site's status for an innovation",
)
@api_gate(Permission.RECORD_ADOPTION, load=load_recording, as_="adoption")
def adoption_record(request: HttpRequest, network: Network, id: int,
                    payload: AdoptionIn, adoption: Adoption) -> Status:
    """The site's first record, or its next change if it has one. 403 unless
    you are a lead, a contact of the site or from it. Then 422 names the
    field: a site outside the network's ICBs or not a site, the same status
    twice, going back (or starting again after stopping) without a note,
    stopping without a reason, a date in the future or before the last
    change."""
    user = api_user(request)
    innovation = adoption.innovation
    if not has_permission(user, Permission.VIEW_INNOVATION, network, innovation):
        raise Http404("No such innovation")
    contacts = list(User.objects.filter(pk__in=payload.contacts))
    if len(contacts) != len(set(payload.contacts)):
        raise FieldErrors({"contacts": "Choose contacts who are members of the "
                                       "network"})
    try:
        change = actions.record_adoption(
            innovation=innovation, site=payload.site, by=user, status=payload.status,
            on=payload.on, note=payload.note, reason=payload.reason,
            contacts=contacts)
    except Refused as error:
        raise FieldErrors({error.field or "site": str(error)}) from None
    except PermissionDenied:  # the rule, asked again of what is saved
        raise HttpError(403, FORBIDDEN_MESSAGE) from None
    return Status(201, detail(change.adoption, True))


def detail(adoption: Adoption, members: bool) -> dict[str, Any]:
    adoption = Adoption.objects.select_related("site__icb").get(pk=adoption.pk)
    return {**adoption_out(adoption, members),
            "history": [change_out(c, members) for c in queries.history(adoption)]}


@router.get(
    "/networks/{slug}/innovations/{id}/adoptions/{adoption_id}",
    response={200: AdoptionDetailOut, **errors(401, 403, 404, 422)},
    url_name="innovation-adoption-detail", operation_id="innovation_adoption_detail",
    summary="One site's status for an innovation, with its history",
)
@api_gate(Permission.VIEW_INNOVATION, load=load_adoption_innovation, as_="innovation")
def adoption_detail(request: HttpRequest, network: Network, id: int, adoption_id: int,
                    innovation: Innovation) -> dict[str, Any]:
    adoption = get_object_or_404(Adoption, innovation=innovation, pk=adoption_id)
    return detail(adoption, is_member(request, network))
