"""Asking to join a network, and a lead's decision: the joining actions."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from msknet.members.actions import joining as actions
from msknet.members.models import JoinRequest, Network, Organisation, Topic
from msknet.members.permissions import Permission
from msknet.members.queries import organisations_for

from .errors import FieldErrors
from .gate import api_gate, api_user
from .pagination import Pagination
from .reference import icb_by_code
from .responses import errors
from .schemas import DeclineIn, JoinRequestIn, JoinRequestOut, JoinRequestReceivedOut

router = Router(tags=["Joining"])

CLOSED_MESSAGE = (
    "This network is not taking requests to join. Ask a network lead to invite you."
)
RECEIVED_MESSAGE = (
    "Request received. We have emailed the address given to say what happens next."
)


def join_requests(network: Network) -> QuerySet[JoinRequest]:
    return network.join_requests.select_related(
        "organisation", "icb", "decided_by"
    ).prefetch_related("interests")


def organisation_for(network: Network, payload: JoinRequestIn) -> Organisation | None:
    """The organisation chosen, from those the join form offers."""
    if payload.organisation_id is None:
        return None
    if payload.organisation_other:
        raise FieldErrors(
            {
                "organisation_other": "Either choose your organisation from the "
                "list or type its name, not both"
            }
        )
    organisation = (
        organisations_for(network).filter(pk=payload.organisation_id).first()
    )
    if organisation is None:
        raise FieldErrors(
            {
                "organisation_id": "Choose an organisation in one of the network's "
                "ICBs, or in no ICB and the network's region (GET "
                "/api/organisations), or give its name in organisation_other"
            }
        )
    return organisation


def interests_for(network: Network, slugs: list[str]) -> list[Topic]:
    topics = list(network.topics.filter(slug__in=slugs))
    unknown = sorted(set(slugs) - {topic.slug for topic in topics})
    if unknown:
        raise FieldErrors(
            {"interests": f"{network} has no topic {', '.join(map(repr, unknown))}"}
        )
    return topics


@router.post(
    "/networks/{slug}/join-requests",
    response={202: JoinRequestReceivedOut, **errors(401, 403, 404, 422)},
    url_name="join-request-create",
    operation_id="create_join_request",
    summary="Ask to join a network",
)
@api_gate(Permission.REQUEST_TO_JOIN)
def join_request_create(
    request: HttpRequest, network: Network, payload: JoinRequestIn
) -> Status:
    """Ask to join, as the network's join form does; a lead decides.

    The answer is the same whether or not the address is already a member or
    already has a request waiting: only a new request is recorded, and the
    address is emailed what happens next (a copy of the request, or why
    nothing new was recorded).
    """
    if not network.open_to_join:
        raise HttpError(403, CLOSED_MESSAGE)
    organisation = organisation_for(network, payload)
    icb = icb_by_code(payload.icb, field="icb") if payload.icb else None
    interests = interests_for(network, payload.interests)
    try:
        actions.request_to_join(
            network=network,
            by=api_user(request),
            email=payload.email,
            full_name=payload.full_name,
            sector=payload.sector,
            profession=payload.profession,
            organisation=organisation,
            organisation_other=payload.organisation_other,
            icb=icb,
            interests=interests,
            leadership=payload.leadership,
            reason=payload.reason,
        )
    except actions.JoinRefused:  # the network closed meanwhile
        raise HttpError(403, CLOSED_MESSAGE) from None
    return Status(202, {"detail": RECEIVED_MESSAGE})


@router.get(
    "/networks/{slug}/join-requests",
    response={200: list[JoinRequestOut], **errors(401, 403, 404, 422)},
    url_name="join-request-list",
    operation_id="list_join_requests",
    summary="List requests to join",
)
@api_gate(Permission.DECIDE_JOIN_REQUESTS)
@paginate(Pagination)
def join_request_list(
    request: HttpRequest, network: Network, status: JoinRequest.Status | None = None
) -> QuerySet[JoinRequest]:
    """Newest first; `status=pending` for those waiting for a decision."""
    requests = join_requests(network)
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at", "-pk")


@router.get(
    "/networks/{slug}/join-requests/{id}",
    response={200: JoinRequestOut, **errors(401, 403, 404)},
    url_name="join-request-detail",
    operation_id="get_join_request",
    summary="Get a request to join",
)
@api_gate(Permission.DECIDE_JOIN_REQUESTS)
def join_request_detail(
    request: HttpRequest,
    network: Network,
    id: int,
) -> JoinRequest:
    return get_object_or_404(join_requests(network), pk=id)


def decided(join_request: JoinRequest) -> HttpError:
    join_request.refresh_from_db(fields=["status"])
    return HttpError(
        409,
        "This request has already been decided: "
        f"{join_request.get_status_display().lower()}",
    )


@router.post(
    "/networks/{slug}/join-requests/{id}/approve",
    response={200: JoinRequestOut, **errors(401, 403, 404, 409)},
    url_name="join-request-approve",
    operation_id="approve_join_request",
    summary="Approve a request to join",
)
@api_gate(Permission.DECIDE_JOIN_REQUESTS)
def join_request_approve(
    request: HttpRequest,
    network: Network,
    id: int,
) -> JoinRequest:
    """Make the person a member and email them; 409 if already decided."""
    join_request = get_object_or_404(join_requests(network), pk=id)
    try:
        actions.approve_join_request(join_request=join_request, by=api_user(request))
    except actions.AlreadyDecided:
        raise decided(join_request) from None
    return join_requests(network).get(pk=id)


@router.post(
    "/networks/{slug}/join-requests/{id}/decline",
    response={200: JoinRequestOut, **errors(401, 403, 404, 409, 422)},
    url_name="join-request-decline",
    operation_id="decline_join_request",
    summary="Decline a request to join",
)
@api_gate(Permission.DECIDE_JOIN_REQUESTS)
def join_request_decline(
    request: HttpRequest,
    network: Network,
    id: int,
    payload: DeclineIn,
) -> JoinRequest:
    """Decline, emailing the person the reason; 409 if already decided."""
    join_request = get_object_or_404(join_requests(network), pk=id)
    try:
        actions.decline_join_request(
            join_request=join_request, by=api_user(request), reason=payload.reason
        )
    except actions.AlreadyDecided:
        raise decided(join_request) from None
    return join_requests(network).get(pk=id)
