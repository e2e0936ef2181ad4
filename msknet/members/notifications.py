"""Notifications about joining, and who in a network may do what.

`members_who_may` answers "who here holds this permission through their
role?", so that other apps tell the people the permission gate would let
act: the leads who decide join requests or approve terms of reference, the
steering group that scores a round with no named panel.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from msknet.communications.models import Kind
from msknet.communications.notify import notify

from .models import JoinRequest, Membership, Network, User
from .permissions import ROLE_CLASSES, Permission

#: A join request undecided for longer than this is brought to the leads.
JOIN_REQUEST_WAIT = timedelta(days=5)


def members_who_may(network: Network, permission: Permission) -> QuerySet[User]:
    """The network's active members whose role grants `permission`.

    Only the role is asked: a permission with an object rule (the chair of
    one group, a named panel) needs its object, which callers handle.
    """
    roles = [
        role
        for role, role_class in ROLE_CLASSES.items()
        if permission in role_class.permissions
    ]
    members = Membership.objects.for_network(network).active().filter(role__in=roles)
    return User.objects.filter(pk__in=members.values("user_id")).order_by("pk")


def tell_join_request_waiting(join_request: JoinRequest, *, now: datetime) -> int:
    """Tell the leads once that a request has waited too long for a decision.

    The title names the applicant's profession and sector, not the person:
    notifications outlive a declined request, and the page behind the link
    shows the rest to those who may see it.
    """
    network = join_request.network
    days = (now - join_request.created_at).days
    title = (
        f"Join request waiting {days} days for a decision: "
        f"{join_request.get_profession_display()}, "
        f"{join_request.get_sector_display()} ({network.short_name})"
    )
    made = notify(
        kind=Kind.JOIN_REQUEST_WAITING,
        recipients=members_who_may(network, Permission.DECIDE_JOIN_REQUESTS),
        network=network,
        key=f"join-request:{join_request.pk}:waiting",
        title=title,
        url=reverse(
            "join-request-decide",
            kwargs={"network_slug": network.slug, "pk": join_request.pk},
        ),
        body=(
            f"They asked to join {network.name} on "
            f"{timezone.localdate(join_request.created_at):%-d %B %Y}. "
            "Approve or decline the request so they know where they stand."
        ),
    )
    return len(made)


def tell_join_requests_waiting(*, now: datetime | None = None) -> int:
    """Tell each network's leads about requests undecided for over 5 days;
    how many notifications were made. Safe to run again: each lead is told
    about a request once."""
    now = now or timezone.now()
    waiting = JoinRequest.objects.filter(
        status=JoinRequest.Status.PENDING, created_at__lt=now - JOIN_REQUEST_WAIT
    ).select_related("network")
    return sum(tell_join_request_waiting(request, now=now) for request in waiting)
