"""Reading events and resources as the person asking may see them."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from msknet.members.models import Membership, Network
from msknet.members.permissions import Permission, permissions_for

from .models import (
    Event,
    Registration,
    RegistrationStatus,
    Resource,
    ResourceAudienceTag,
)


def visible_events(user: Any, network: Network) -> QuerySet[Event]:
    """Members see every event of their network; everyone else the public ones."""
    events = Event.objects.for_network(network).select_related("network")
    if Permission.VIEW_EVENT in permissions_for(user, network):
        return events
    return events.public()


def with_own_status(events: QuerySet[Event], user: Any) -> QuerySet[Event]:
    """Each event's `own_status`: the person's registration status, or None."""
    if not getattr(user, "is_authenticated", False):
        return events
    own = (
        Registration.objects.filter(event=OuterRef("pk"), user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values("status")[:1]
    )
    return events.annotate(own_status=Subquery(own))


def visible_resources(user: Any, network: Network) -> QuerySet[Resource]:
    resources = Resource.objects.for_network(network)
    if Permission.VIEW_RESOURCE not in permissions_for(user, network):
        resources = resources.public()
    return resources.select_related("network").prefetch_related(
        "topics", Prefetch("audience_tags", ResourceAudienceTag.objects.order_by("audience"))
    )


def registration_for(user: Any, event: Event) -> Registration | None:
    """The person's current registration (placed or waiting), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        event.registrations.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )


def places_taken(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def waiting_list(event: Event) -> QuerySet[Registration]:
    """Who is waiting, first in line first."""
    return event.registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "queued_at", "pk"
    )


def own_registrations(user: Any) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event", "event__network")
        .order_by("event__starts_at", "pk")
    )


def personal_data(user: Any) -> dict[str, Any]:
    """The person's event registrations and library resources, for their download."""
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("event", "event__network")
        .order_by("event__starts_at", "pk")
    )
    resources = Resource.objects.filter(created_by=user).select_related("network")
    return {
        "event_registrations": [
            {
                "network": r.event.network.slug,
                "event": r.event.title,
                "starts_at": r.event.starts_at.isoformat(),
                "status": r.status,
                "asked_at": r.queued_at.isoformat(),
                "attendance": r.attendance,
            }
            for r in registrations
        ],
        "resources_added": [
            {"network": r.network.slug, "title": r.title,
             "added_at": r.created_at.isoformat()}
            for r in resources.order_by("created_at", "pk")
        ],
    }


def registrations_with_shared_email(event: Event) -> list[Registration]:
    """Everyone who asked for a place, first in line first, each with
    `shared_email`: their address if they chose to share it with the event's
    network (docs/decisions/0003), otherwise None.
    """
    shared = Membership.objects.filter(
        user=OuterRef("user"), network_id=event.network_id, share_email=True
    ).values("user__email")[:1]
    return list(
        event.registrations.select_related("user")
        .annotate(shared_email=Subquery(shared))
        .order_by("queued_at", "pk")
    )
