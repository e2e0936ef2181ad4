"""Reusable reads for governance pages and the API."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from msknet.members.models import Network

from .models import (
    Action,
    ActionStatus,
    Decision,
    Group,
    GroupMembership,
    Meeting,
    Milestone,
    Phase,
    TermsStatus,
)


def groups(network: Network) -> QuerySet[Group]:
    return Group.objects.for_network(network).prefetch_related(
        Prefetch(
            "memberships",
            queryset=GroupMembership.objects.select_related("user").order_by(
                "user__full_name"
            ),
        )
    )


def get_group(network: Network, slug: str) -> Group:
    group = groups(network).filter(slug=slug).first()
    if group is None:
        raise Http404("No such group")
    return group


def get_meeting(network: Network, pk: int) -> Meeting:
    meeting = (
        Meeting.objects.for_network(network)
        .select_related("group", "group__network")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def current_terms(group: Group):
    """The latest approved version, or None."""
    return (
        group.terms_versions.filter(status=TermsStatus.APPROVED)
        .order_by("-number")
        .first()
    )


def meetings(network: Network) -> QuerySet[Meeting]:
    return Meeting.objects.for_network(network).select_related("group")


def search_decisions(
    network: Network, *, q: str = "", group: Group | None = None
) -> QuerySet[Decision]:
    """The network's decision log, newest first, matching words of `q` in the
    decision's text or its reference (D-2025-001)."""
    decisions = Decision.objects.for_network(network).select_related(
        "meeting", "meeting__group", "meeting__group__network", "network"
    )
    if group is not None:
        decisions = decisions.filter(meeting__group=group)
    for word in q.split()[:10]:
        match = Q(text__icontains=word)
        parts = word.upper().removeprefix("D-").split("-")
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            match |= Q(year=int(parts[0]), number=int(parts[1]))
        decisions = decisions.filter(match)
    return decisions.order_by("-decided_on", "-year", "-number")


def actions_for(network: Network, user) -> QuerySet[Action]:
    """A member's actions in the network: open ones first, soonest due first."""
    return (
        Action.objects.for_network(network)
        .filter(owner=user)
        .select_related("meeting", "meeting__group", "network", "owner")
        .order_by("status", "due_on", "pk")
    )


def open_actions(network: Network) -> QuerySet[Action]:
    return (
        Action.objects.for_network(network)
        .filter(status=ActionStatus.OPEN)
        .select_related("owner", "meeting", "meeting__group", "network")
    )


def timeline(network: Network) -> dict:
    return {
        "phases": list(Phase.objects.filter(network=network)),
        "milestones": list(Milestone.objects.filter(network=network)),
    }
