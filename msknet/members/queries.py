"""Reusable reads for networks and members."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When

from .models import Membership, Network, Organisation, Role
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


def organisations_for(network: Network) -> QuerySet[Organisation]:
    """The organisations a network's forms offer, its own ICBs' first.

    Those in the network's ICBs, then those in no ICB that belong to the
    network's region or to none (national bodies). Another network's
    organisations (in its ICBs, or its region's universities, councils and
    charities) are never offered.
    """
    own_icbs = network.icbs.values("pk")
    local = Q(icb__isnull=True) & (
        Q(region__isnull=True) | Q(region_id=network.region_id)
    )
    return (
        Organisation.objects.filter(Q(icb__in=own_icbs) | local)
        .annotate(
            in_own_icb=Case(When(icb__in=own_icbs, then=Value(0)), default=Value(1))
        )
        .order_by("in_own_icb", "name")
    )
