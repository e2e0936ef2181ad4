"""Reading notifications: a person's list, their unread count, their choices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from msknet.members.models import Network

from .models import (
    DEFAULT_DELIVERY,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)

#: The kinds of notification as the preferences page lists them, by the app
#: that sends them. A kind added to `Kind` but not here is listed under "Other".
KIND_GROUPS: tuple[tuple[str, tuple[Kind, ...]], ...] = (
    ("Discussions", (Kind.DISCUSSION_MENTION, Kind.DISCUSSION_REPLY)),
    (
        "Priorities",
        (Kind.ROUND_OPENED, Kind.ROUND_CLOSING, Kind.PANEL_NAMED, Kind.SCORING_DUE),
    ),
    (
        "Governance",
        (
            Kind.ACTION_ASSIGNED,
            Kind.ACTION_DUE_SOON,
            Kind.ACTION_OVERDUE,
            Kind.PAPERS_PUBLISHED,
            Kind.TOR_FOR_APPROVAL,
        ),
    ),
    ("Improvement", (Kind.MEASURE_NO_DATA, Kind.MEASURE_SIGNAL)),
    (
        "Innovations",
        (Kind.INNOVATION_STAGE, Kind.INNOVATION_PROPOSED, Kind.INNOVATION_ADOPTION),
    ),
    ("Landscape", (Kind.SERVICE_CONFIRMATION,)),
    ("Surveys", (Kind.SURVEY_OPENED,)),
    ("Members", (Kind.JOIN_REQUEST_WAITING,)),
)


def kind_groups() -> list[tuple[str, list[Kind]]]:
    """Every kind, once, grouped by app; kinds not in KIND_GROUPS last."""
    listed = {kind for _, kinds in KIND_GROUPS for kind in kinds}
    groups = [(name, list(kinds)) for name, kinds in KIND_GROUPS]
    others = [kind for kind in Kind if kind not in listed]
    if others:
        groups.append(("Other", others))
    return groups


def notifications_for(
    user: Any, *, network: Network | None = None, kind: str | None = None
) -> QuerySet[Notification]:
    """The person's notifications in the networks they belong to, newest first."""
    notifications = Notification.objects.for_user(user).select_related("network")
    if network is not None:
        notifications = notifications.filter(network=network)
    if kind:
        notifications = notifications.filter(kind=kind)
    return notifications.order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    """How many unread notifications the person has (0 for visitors)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.for_user(user).unread().count()


def networks_for(user: Any) -> QuerySet[Network]:
    """The networks the person belongs to, to filter their notifications by."""
    return Network.objects.filter(memberships__user=user).order_by("name")


def deliveries(user: Any) -> dict[str, str]:
    """How the person gets each kind by email: their choice, else the default."""
    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list("kind", "delivery")
    )
    return {
        kind: chosen.get(kind, DEFAULT_DELIVERY.get(kind, Delivery.WEEKLY))
        for kind in Kind
    }


@dataclass(frozen=True)
class PreferenceRow:
    kind: Kind
    delivery: str
    default: str


def preference_groups(user: Any) -> list[tuple[str, list[PreferenceRow]]]:
    """Each app's kinds with the person's current choice and the default."""
    current = deliveries(user)
    return [
        (
            name,
            [
                PreferenceRow(
                    kind=kind,
                    delivery=current[kind],
                    default=DEFAULT_DELIVERY.get(kind, Delivery.WEEKLY),
                )
                for kind in kinds
            ],
        )
        for name, kinds in kind_groups()
    ]


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def personal_data(user: Any) -> dict[str, Any]:
    """What communications hold about `user`, for their data download."""
    return {
        "notifications": [
            {
                "network": n.network.name,
                "kind": n.get_kind_display(),
                "title": n.title,
                "body": n.body,
                "url": n.url,
                "created_at": _when(n.created_at),
                "read_at": _when(n.read_at),
                "emailed_at": _when(n.emailed_at),
            }
            for n in Notification.objects.filter(user=user)
            .select_related("network")
            .order_by("created_at", "pk")
        ],
        "notification_email_choices": [
            {
                "kind": p.get_kind_display(),
                "email": p.get_delivery_display(),
                "chosen_at": _when(p.updated_at),
            }
            for p in NotificationPreference.objects.filter(user=user).order_by("kind")
        ],
    }
