"""What the priorities pages share: loaders for the gate, breadcrumbs."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse

from msknet.members.models import Network

from ..models import Nomination, Round


def load_round(*, network: Network, kwargs: dict[str, Any]) -> Round:
    return get_object_or_404(
        Round.objects.select_related("network"),
        network=network, pk=kwargs.pop("round_id"),
    )


def load_nomination(*, network: Network, kwargs: dict[str, Any]) -> Nomination:
    return get_object_or_404(
        Nomination.objects.select_related("round__network", "topic", "nominated_by"),
        round__network=network, round_id=kwargs.pop("round_id"),
        pk=kwargs.pop("nomination_id"),
    )


def crumbs(network: Network, round: Round | None = None) -> list[tuple[str, str]]:
    items = [
        (network.short_name, network.get_absolute_url()),
        ("Priorities", reverse("priorities", args=[network.slug])),
    ]
    if round is not None:
        items.append((round.title, round.get_absolute_url()))
    return items
