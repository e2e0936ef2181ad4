"""Innovations: the catalogue, one innovation, proposing one, and following.

Visitors and other networks' members read the public catalogue (innovations
recommended for spread); the network's members read every reviewed
innovation. Proposals sent through the public form stay hidden until a lead
reviews them: asking for one gets 404, as for anything else the reader may
not see.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from msknet.innovations import queries
from msknet.innovations.actions import records as actions
from msknet.innovations.actions.common import Refused
from msknet.innovations.models import (
    AssuranceStatus,
    EvidenceLink,
    EvidenceStrength,
    Innovation,
    Kind,
    Marking,
    NiceStatus,
    Stage,
)
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission
from msknet.priorities.models import StrategicPriority

from .errors import FieldErrors
from .gate import api_gate, api_user
from .pagination import Pagination
from .responses import errors
from .schemas import Id, LongText, RequiredLongText, SearchText, text

router = Router(tags=["Innovations"])

# The API names an enum's schema by its class: these carry the models' values
# under names no other app's enums take.
InnovationKind = StrEnum("InnovationKind", {k.name: k.value for k in Kind})
InnovationStage = StrEnum("InnovationStage", {s.name: s.value for s in Stage})
Name = text(200, min_length=1)
Summary = text(300, min_length=1)
ShortText = text(200)
ICBCode = text(3)


class InnovationPriorityOut(Schema):
    id: int
    title: str
    source: str = Field(description="national, icb or network")


class InnovationEvidenceOut(Schema):
    title: str
    url: str
    type: str
    published_on: date | None


class InnovationOut(Schema):
    id: int
    name: str
    kind: InnovationKind
    stage: InnovationStage
    stage_reason: str
    summary: str
    problem: str
    who_for: str
    description: str
    evidence_summary: str
    evidence_strength: EvidenceStrength
    evidence: list[InnovationEvidenceOut]
    nice_status: NiceStatus
    nice_reference: str
    dtac_status: AssuranceStatus
    marking: Marking
    dcb0129_status: AssuranceStatus
    dcb0160_status: AssuranceStatus
    cost: str
    resources_needed: str
    owner: str
    contacts: str
    serves: list[InnovationPriorityOut] = Field(
        description="The strategic priorities it serves")
    sites_in_use: int = Field(description="Sites piloting, using or sustaining it")
    url: str = Field(description="Its page on the site")
    created_at: datetime

    @staticmethod
    def resolve_evidence(obj: Innovation) -> list[EvidenceLink]:
        return list(obj.evidence.all())

    @staticmethod
    def resolve_serves(obj: Innovation) -> list[StrategicPriority]:
        return list(obj.serves.all())

    @staticmethod
    def resolve_sites_in_use(obj: Innovation) -> int:
        return int(getattr(obj, "sites_in_use", 0))

    @staticmethod
    def resolve_url(obj: Innovation) -> str:
        return obj.get_absolute_url()


class InnovationIn(Schema):
    name: Name
    kind: InnovationKind
    summary: Summary
    problem: RequiredLongText
    who_for: RequiredLongText
    description: LongText = ""
    evidence_summary: LongText = ""
    evidence_strength: EvidenceStrength = EvidenceStrength.NOT_YET
    nice_status: NiceStatus = NiceStatus.NONE
    nice_reference: ShortText = ""
    dtac_status: AssuranceStatus = AssuranceStatus.NOT_APPLICABLE
    marking: Marking = Marking.NOT_APPLICABLE
    dcb0129_status: AssuranceStatus = AssuranceStatus.NOT_APPLICABLE
    dcb0160_status: AssuranceStatus = AssuranceStatus.NOT_APPLICABLE
    cost: LongText = ""
    resources_needed: LongText = ""
    owner: ShortText = ""
    contacts: LongText = ""
    serves: list[Id] = Field(
        default_factory=list, max_length=50,
        description="Ids of the network's strategic priorities it serves")


class InnovationFollowOut(Schema):
    innovation_id: int
    following: bool = Field(description="Whether you follow it now")


def with_details(innovations: QuerySet[Innovation]) -> QuerySet[Innovation]:
    return queries.with_sites_in_use(innovations).prefetch_related(
        "evidence",
        Prefetch("serves", queryset=StrategicPriority.objects.order_by(
            "source", "position", "pk")),
    )


def visible_or_404(request: HttpRequest, network: Network, id: int) -> Innovation:
    """The innovation, if the token's user may see it; 404 otherwise, so
    nobody learns what exists behind it."""
    innovation = with_details(
        Innovation.objects.for_network(network).select_related("network")
    ).filter(pk=id).first()
    if innovation is None or not has_permission(
            api_user(request), Permission.VIEW_INNOVATION, network, innovation):
        raise Http404("No such innovation")
    return innovation


@router.get(
    "/networks/{slug}/innovations",
    response={200: list[InnovationOut], **errors(404, 422)},
    url_name="innovation-list", operation_id="list_innovations",
    summary="List a network's innovations",
)
@api_gate(Permission.VIEW_PUBLIC)
@paginate(Pagination)
def innovation_list(request: HttpRequest, network: Network, q: SearchText = "",
                    kind: InnovationKind | None = None,
                    stage: InnovationStage | None = None,
                    priority: int | None = None, icb: ICBCode = ""
                    ) -> QuerySet[Innovation]:
    """By name. Without a token, or from another network, the public catalogue:
    innovations recommended for spread. `q` searches name, summary and problem;
    `priority` is a strategic priority's id; `icb` an ICB's ODS code, for
    innovations in use (piloting, adopted or sustained) at a site there."""
    filters = queries.Filters(q=q, kind=kind.value if kind else "",
                              stage=stage.value if stage else "",
                              priority=priority, icb=icb.upper())
    return with_details(queries.catalogue(api_user(request), network, filters))


@router.get(
    "/networks/{slug}/innovations/{id}",
    response={200: InnovationOut, **errors(404)},
    url_name="innovation-detail", operation_id="get_innovation",
    summary="Get an innovation",
)
@api_gate(Permission.VIEW_PUBLIC)
def innovation_detail(request: HttpRequest, network: Network, id: int) -> Innovation:
    """404 for an innovation you may not see."""
    return visible_or_404(request, network, id)


@router.post(
    "/networks/{slug}/innovations",
    response={201: InnovationOut, **errors(401, 403, 404, 409, 422)},
    url_name="innovation-create", operation_id="propose_innovation",
    summary="Propose an innovation",
)
@api_gate(Permission.PROPOSE_INNOVATION)
def innovation_create(request: HttpRequest, network: Network,
                      payload: InnovationIn) -> Status:
    """You follow it; the network's leads are told. 422 naming the field for a
    name the network already has or a priority that is not the network's."""
    fields = payload.dict(exclude={"serves"})
    wanted = set(payload.serves)
    serves = list(StrategicPriority.objects.filter(pk__in=wanted))
    if len(serves) != len(wanted):
        raise FieldErrors({"serves": "Choose only this network's strategic priorities"})
    try:
        innovation = actions.propose(network=network, by=api_user(request),
                                     serves=serves, **fields)
    except Refused as error:
        if error.field:
            raise FieldErrors({error.field: str(error)}) from None
        raise HttpError(409, str(error)) from None
    return Status(201, visible_or_404(request, network, innovation.pk))


@router.post(
    "/networks/{slug}/innovations/{id}/follow",
    response={200: InnovationFollowOut, **errors(401, 403, 404)},
    url_name="innovation-follow", operation_id="follow_innovation",
    summary="Follow an innovation",
)
@api_gate(Permission.FOLLOW_INNOVATION)
def innovation_follow(request: HttpRequest, network: Network,
                      id: int) -> InnovationFollowOut:
    """Hear when it moves stage."""
    innovation = visible_or_404(request, network, id)
    actions.follow(innovation=innovation, by=api_user(request))
    return InnovationFollowOut(innovation_id=innovation.pk, following=True)


@router.delete(
    "/networks/{slug}/innovations/{id}/follow",
    response={200: InnovationFollowOut, **errors(401, 403, 404)},
    url_name="innovation-unfollow", operation_id="unfollow_innovation",
    summary="Stop following an innovation",
)
@api_gate(Permission.FOLLOW_INNOVATION)
def innovation_unfollow(request: HttpRequest, network: Network,
                        id: int) -> InnovationFollowOut:
    innovation = visible_or_404(request, network, id)
    actions.unfollow(innovation=innovation, by=api_user(request))
    return InnovationFollowOut(innovation_id=innovation.pk, following=False)
