"""What the governance pages share: loaders for the gate and breadcrumbs."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse

from msknet.members.models import Network

from .. import queries
from ..models import Action, Group, Meeting


def load_group(*, network: Network, kwargs: dict[str, Any]) -> Group:
    return queries.get_group(network, kwargs.pop("group_slug"))


def load_meeting(*, network: Network, kwargs: dict[str, Any]) -> Meeting:
    return queries.get_meeting(network, kwargs.pop("meeting_pk"))


def load_action(*, network: Network, kwargs: dict[str, Any]) -> Action:
    action = (
        Action.objects.for_network(network)
        .select_related("meeting", "meeting__group", "network", "owner")
        .filter(pk=kwargs.pop("action_pk"))
        .first()
    )
    if action is None:
        raise Http404("No such action")
    return action


def network_crumbs(network: Network) -> list[tuple[str, str]]:
    return [(network.short_name, network.get_absolute_url())]


def group_crumbs(group: Group) -> list[tuple[str, str]]:
    network = group.network
    return [
        *network_crumbs(network),
        ("Groups", reverse("group-list", args=[network.slug])),
        (group.name, group.get_absolute_url()),
    ]


def meeting_crumbs(meeting: Meeting) -> list[tuple[str, str]]:
    return [*group_crumbs(meeting.group), (meeting.title, meeting.get_absolute_url())]
