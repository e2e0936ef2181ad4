"""Events, registrations and the resource library."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from msknet.community import queries
from msknet.community.actions import events as actions
from msknet.community.models import (
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
    Resource,
    ResourceAudience,
    ResourceKind,
    Visibility,
)
from msknet.community.search import search_resources
from msknet.members.models import Network
from msknet.members.permissions import Permission

from .errors import FieldErrors
from .gate import api_gate, api_user
from .pagination import Pagination
from .responses import errors
from .schemas import SearchText, Slug

router = Router(tags=["Events and resources"])


class EventOut(Schema):
    id: int
    network: str = Field(description="The network's slug")
    title: str
    kind: EventKind
    description: str
    starts_at: datetime
    ends_at: datetime
    place: str
    online: bool = Field(description="Held online; registrants see the joining link")
    capacity: int | None = Field(description="Places; null for no limit")
    visibility: Visibility
    places_taken: int
    waiting: int = Field(description="How many are on the waiting list")
    url: str = Field(description="The event's page")
    invite_url: str = Field(description="The event as an iCalendar (.ics) file")

    @staticmethod
    def resolve_network(obj: Event) -> str:
        return obj.network.slug

    @staticmethod
    def resolve_online(obj: Event) -> bool:
        return obj.is_online

    @staticmethod
    def resolve_places_taken(obj: Event) -> int:
        count = getattr(obj, "registered_count", None)
        return count if count is not None else queries.places_taken(obj)

    @staticmethod
    def resolve_waiting(obj: Event) -> int:
        count = getattr(obj, "waiting_count", None)
        return count if count is not None else queries.waiting_list(obj).count()

    @staticmethod
    def resolve_url(obj: Event) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_invite_url(obj: Event) -> str:
        return reverse("event-invite", args=[obj.network.slug, obj.pk])


class EventRef(Schema):
    id: int
    network: str
    title: str
    starts_at: datetime
    ends_at: datetime

    @staticmethod
    def resolve_network(obj: Event) -> str:
        return obj.network.slug


class RegistrationOut(Schema):
    event: EventRef
    status: RegistrationStatus
    waiting_position: int | None = Field(
        description="1 for the first on the waiting list; null unless waiting"
    )
    queued_at: datetime = Field(description="When the place was asked for")
    registered_at: datetime | None = Field(description="When a place was given")
    cancelled_at: datetime | None

    @staticmethod
    def resolve_waiting_position(obj: Registration) -> int | None:
        return obj.waiting_position()


class ResourceOut(Schema):
    id: int
    network: str
    title: str
    summary: str
    kind: ResourceKind
    visibility: Visibility
    publisher: str
    published_on: date | None
    link: str = Field(alias="url", description="A web address; empty for documents")
    file_url: str | None = Field(description="Where to download the document, if any")
    file_name: str
    topics: list[str] = Field(description="Topic slugs")
    audiences: list[ResourceAudience]
    created_at: datetime

    @staticmethod
    def resolve_network(obj: Resource) -> str:
        return obj.network.slug

    @staticmethod
    def resolve_file_url(obj: Resource) -> str | None:
        if not obj.file:
            return None
        return reverse("resource-file", args=[obj.network.slug, obj.pk])

    @staticmethod
    def resolve_topics(obj: Resource) -> list[str]:
        return [topic.slug for topic in obj.topics.all()]

    @staticmethod
    def resolve_audiences(obj: Resource) -> list[str]:
        return obj.audiences


def event_by_id(*, network: Network, kwargs: dict[str, Any]) -> Event:
    return get_object_or_404(
        Event.objects.select_related("network"), network=network, pk=kwargs["id"]
    )


def resource_by_id(*, network: Network, kwargs: dict[str, Any]) -> Resource:
    return get_object_or_404(
        Resource.objects.select_related("network").prefetch_related(
            "topics", "audience_tags"
        ),
        network=network, pk=kwargs["id"],
    )


@router.get(
    "/networks/{slug}/events",
    response={200: list[EventOut], **errors(404, 422)},
    url_name="event-list",
    operation_id="list_events",
    summary="List events",
)
@api_gate(Permission.VIEW_PUBLIC)
@paginate(Pagination)
def event_list(
    request: HttpRequest,
    network: Network,
    when: Literal["upcoming", "past", "all"] = "upcoming",
) -> QuerySet[Event]:
    """Events you may see: public ones, and members-only ones for members.

    `upcoming` (not yet finished, soonest first), `past` (latest first) or `all`.
    """
    events = queries.visible_events(api_user(request), network).with_counts()
    now = timezone.now()
    if when == "upcoming":
        return events.upcoming(now)
    if when == "past":
        return events.past(now)
    return events.order_by("starts_at", "pk")


@router.get(
    "/networks/{slug}/events/{id}",
    response={200: EventOut, **errors(401, 403, 404)},
    url_name="event-detail",
    operation_id="get_event",
    summary="Get an event",
)
@api_gate(Permission.VIEW_EVENT, load=event_by_id, as_="event")
def event_detail(request: HttpRequest, network: Network, id: int, event: Event) -> Event:
    return event


@router.post(
    "/networks/{slug}/events/{id}/registration",
    response={200: RegistrationOut, **errors(401, 403, 404, 409)},
    url_name="event-register",
    operation_id="register_for_event",
    summary="Register for an event",
)
@api_gate(Permission.REGISTER_FOR_EVENT, load=event_by_id, as_="event")
def event_register(
    request: HttpRequest, network: Network, id: int, event: Event
) -> Registration:
    """A place if one is free, else the waiting list (see `waiting_position`).

    Registering again changes nothing. 409 once the event has started.
    """
    try:
        return actions.register(event=event, by=api_user(request))
    except actions.RegistrationRefused as refused:
        raise HttpError(409, str(refused)) from None


@router.delete(
    "/networks/{slug}/events/{id}/registration",
    response={200: RegistrationOut, **errors(401, 403, 404, 409)},
    url_name="event-registration-cancel",
    operation_id="cancel_event_registration",
    summary="Cancel your place or leave the waiting list",
)
@api_gate(Permission.REGISTER_FOR_EVENT, load=event_by_id, as_="event")
def event_cancel(
    request: HttpRequest, network: Network, id: int, event: Event
) -> Registration:
    """The first on the waiting list takes the place. 404 if you are not registered;
    409 once the event has started."""
    registration = queries.registration_for(api_user(request), event)
    if registration is None:
        raise HttpError(404, "You are not registered for this event")
    try:
        return actions.cancel_registration(registration=registration,
                                           by=api_user(request))
    except actions.RegistrationRefused as refused:
        raise HttpError(409, str(refused)) from None


@router.get(
    "/me/registrations",
    response={200: list[RegistrationOut], **errors(401, 422)},
    url_name="my-registration-list",
    operation_id="list_my_registrations",
    summary="Your event registrations",
)
@api_gate(Permission.USE_OWN_ACCOUNT)
@paginate(Pagination)
def my_registrations(request: HttpRequest) -> QuerySet[Registration]:
    """Places and waiting-list places you hold, in every network, soonest first."""
    return queries.own_registrations(api_user(request))


@router.get(
    "/networks/{slug}/resources",
    response={200: list[ResourceOut], **errors(404, 422)},
    url_name="resource-list",
    operation_id="list_resources",
    summary="List or search the resource library",
)
@api_gate(Permission.VIEW_PUBLIC)
@paginate(Pagination)
def resource_list(
    request: HttpRequest,
    network: Network,
    q: SearchText = "",
    kind: ResourceKind | None = None,
    topic: Slug | None = None,
    audience: ResourceAudience | None = None,
) -> QuerySet[Resource]:
    """Resources you may see, by title, or best match first when `q` is given.

    `q` matches titles, summaries, publishers and documents' words.
    """
    resources = queries.visible_resources(api_user(request), network)
    if kind:
        resources = resources.filter(kind=kind)
    if topic:
        if not network.topics.filter(slug=topic).exists():
            raise FieldErrors({"topic": f"{network} has no topic {topic!r}"})
        resources = resources.filter(topics__slug=topic)
    if audience:
        resources = resources.filter(audience_tags__audience=audience)
    return search_resources(resources, q)


@router.get(
    "/networks/{slug}/resources/{id}",
    response={200: ResourceOut, **errors(401, 403, 404)},
    url_name="resource-detail",
    operation_id="get_resource",
    summary="Get a resource",
)
@api_gate(Permission.VIEW_RESOURCE, load=resource_by_id, as_="resource")
def resource_detail(
    request: HttpRequest, network: Network, id: int, resource: Resource
) -> Resource:
    return resource
