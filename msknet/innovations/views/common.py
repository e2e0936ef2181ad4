"""What the innovations pages share: loaders for the gate, breadcrumbs."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse

from msknet.members.models import Network

from ..models import Adoption, Innovation


def load_innovation(*, network: Network, kwargs: dict[str, Any]) -> Innovation:
    return get_object_or_404(
        Innovation.objects.select_related("network", "proposed_by"),
        network=network, pk=kwargs.pop("innovation_id"),
    )


def load_adoption(*, network: Network, kwargs: dict[str, Any]) -> Adoption:
    return get_object_or_404(
        Adoption.objects.select_related("innovation__network", "site__icb"),
        innovation__network=network, innovation_id=kwargs.pop("innovation_id"),
        pk=kwargs.pop("adoption_id"),
    )


def crumbs(network: Network, innovation: Innovation | None = None
           ) -> list[tuple[str, str]]:
    items = [
        (network.short_name, network.get_absolute_url()),
        ("Innovations", reverse("innovation-list", args=[network.slug])),
    ]
    if innovation is not None:
        items.append((innovation.name, innovation.get_absolute_url()))
    return items
