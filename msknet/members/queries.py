"""Reusable reads for networks and members."""

from __future__ import annotations

from typing import Any

from .models import Membership, Network, Role
from .permissions import network_role


def member_count(network: Network) -> int:
    return Membership.objects.for_network(network).active().count()


def leads(network: Network) -> list[Membership]:
    """Leads who are listed in the directory, for the about page."""
    return list(
        Membership.objects.for_network(network)
        .in_directory()
        .filter(role=Role.LEAD)
        .select_related("user", "organisation")
    )


def role_label(user: Any, network: Network) -> str | None:
    role = network_role(user, network)
    return Role(role).label if role else None
