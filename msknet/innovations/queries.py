"""Reads for innovations: what each reader may see, the catalogue and its filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission
from msknet.priorities.models import StrategicPriority

from .models import IN_USE, Follow, Innovation, Stage


def sees_every_stage(user: Any, network: Network) -> bool:
    """Members see every reviewed innovation; everyone else the public catalogue."""
    return has_permission(user, Permission.VIEW_INNOVATIONS, network)


def visible(user: Any, network: Network) -> QuerySet[Innovation]:
    """The innovations `user` may list: never an unreviewed public proposal."""
    innovations = Innovation.objects.for_network(network)
    if sees_every_stage(user, network):
        return innovations.reviewed()
    return innovations.public()


@dataclass(frozen=True)
class Filters:
    """What the catalogue is narrowed by; empty means everything."""

    q: str = ""
    kind: str = ""
    stage: str = ""
    priority: int | None = None
    icb: str = ""  # the ICB's ODS code


def with_sites_in_use(innovations: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """Each with `sites_in_use`: how many sites pilot, use or sustain it."""
    return innovations.annotate(
        sites_in_use=Count("adoptions", filter=Q(adoptions__status__in=IN_USE),
                           distinct=True),
    )


def filtered(innovations: QuerySet[Innovation], filters: Filters
             ) -> QuerySet[Innovation]:
    if filters.q:
        for word in filters.q.split():
            innovations = innovations.filter(
                Q(name__icontains=word) | Q(summary__icontains=word)
                | Q(problem__icontains=word)
            )
    if filters.kind:
        innovations = innovations.filter(kind=filters.kind)
    if filters.stage:
        innovations = innovations.filter(stage=filters.stage)
    if filters.priority is not None:
        innovations = innovations.filter(
            pk__in=StrategicPriority.innovations.through.objects.filter(
                strategicpriority_id=filters.priority).values("innovation_id"))
    if filters.icb:
        innovations = innovations.filter(
            pk__in=Innovation.objects.filter(
                adoptions__site__icb__ods_code=filters.icb,
                adoptions__status__in=IN_USE,
            ).values("pk"))
    return innovations


def catalogue(user: Any, network: Network, filters: Filters = Filters()
              ) -> QuerySet[Innovation]:
    """The list a reader sees, filtered, by name, with sites in use counted."""
    return with_sites_in_use(filtered(visible(user, network), filters)).select_related(
        "network").order_by("name", "pk")


def for_export(innovations: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """The catalogue with what the CSV needs: priorities served and sites in
    use counted by status."""
    counts = {
        f"sites_{status.value}": Count(
            "adoptions", filter=Q(adoptions__status=status), distinct=True)
        for status in IN_USE
    }
    return innovations.annotate(**counts).prefetch_related(
        Prefetch("serves", queryset=StrategicPriority.objects.order_by(
            "source", "position", "pk")),
    )


def awaiting_review(network: Network) -> QuerySet[Innovation]:
    return Innovation.objects.for_network(network).awaiting_review().order_by(
        "created_at", "pk")


def is_following(innovation: Innovation, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(innovation=innovation, user=user).exists()


def stage_choices(user: Any, network: Network) -> list[tuple[str, str]]:
    """The stages a reader may filter by: every stage for members, else the
    one the public catalogue holds."""
    if sees_every_stage(user, network):
        return list(Stage.choices)
    return [(Stage.RECOMMENDED.value, Stage.RECOMMENDED.label)]
