"""Writes for strategic priorities: keyword-only arguments and `by=`.

Each runs in one transaction and records an audit event. Retiring a priority
keeps every tag that points at it; it only stops it being offered for new ones.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from msknet.core import audit
from msknet.members.models import ICB, Network, User

from .models import Source, StrategicPriority, StrategicPriorityEvent

FIELDS = ("source", "icb", "title", "description", "reference_url", "horizon")


def _group(priority: StrategicPriority) -> Any:
    """The priorities a priority is ordered among: same network, source and ICB."""
    return StrategicPriority.objects.filter(
        network_id=priority.network_id, source=priority.source, icb_id=priority.icb_id
    )


def _next_position(network: Network, source: str, icb: ICB | None) -> int:
    last = StrategicPriority.objects.filter(
        network=network, source=source, icb=icb
    ).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def add_priority(
    *, network: Network, by: User, source: str, title: str,
    icb: ICB | None = None, description: str = "", reference_url: str = "",
    horizon: str = "",
) -> StrategicPriority:
    priority = StrategicPriority.objects.create(
        network=network, source=source, icb=icb if source == Source.ICB else None,
        title=title, description=description, reference_url=reference_url,
        horizon=horizon if source == Source.NETWORK else "",
        position=_next_position(network, source, icb if source == Source.ICB else None),
        created_by=by, updated_by=by,
    )
    audit.record(StrategicPriorityEvent.ADDED, target=priority, by=by,
                 network=network, title=title)
    return priority


@transaction.atomic
def update_priority(
    *, priority: StrategicPriority, by: User, **changes: Any
) -> StrategicPriority:
    priority = StrategicPriority.objects.select_for_update().get(pk=priority.pk)
    old_group = (priority.source, priority.icb_id)
    for name in FIELDS:
        if name in changes:
            setattr(priority, name, changes[name])
    if priority.source != Source.ICB:
        priority.icb = None
    if priority.source != Source.NETWORK:
        priority.horizon = ""
    if (priority.source, priority.icb_id) != old_group:
        priority.position = _next_position(priority.network, priority.source,
                                           priority.icb)
    priority.updated_by = by
    priority.save()
    audit.record(StrategicPriorityEvent.UPDATED, target=priority, by=by,
                 network=priority.network, title=priority.title)
    return priority


@transaction.atomic
def retire_priority(*, priority: StrategicPriority, by: User) -> StrategicPriority:
    if priority.retired_at is None:
        priority.retired_at = timezone.now()
        priority.retired_by = by
        priority.updated_by = by
        priority.save(update_fields=["retired_at", "retired_by", "updated_by",
                                     "updated_at"])
        audit.record(StrategicPriorityEvent.RETIRED, target=priority, by=by,
                     network=priority.network, title=priority.title)
    return priority


@transaction.atomic
def reinstate_priority(*, priority: StrategicPriority, by: User) -> StrategicPriority:
    if priority.retired_at is not None:
        priority.retired_at = None
        priority.retired_by = None
        priority.updated_by = by
        priority.save(update_fields=["retired_at", "retired_by", "updated_by",
                                     "updated_at"])
        audit.record(StrategicPriorityEvent.REINSTATED, target=priority, by=by,
                     network=priority.network, title=priority.title)
    return priority


@transaction.atomic
def move_priority(
    *, priority: StrategicPriority, by: User, direction: str
) -> StrategicPriority:
    """Swap places with the next active priority above ("up") or below ("down")
    in the same source; at either end nothing changes."""
    siblings = list(
        _group(priority).active().select_for_update().order_by("position", "pk")
    )
    # Number them afresh so equal positions never block a move.
    for index, sibling in enumerate(siblings):
        sibling.position = index
    index = next((i for i, s in enumerate(siblings) if s.pk == priority.pk), None)
    if index is None:
        return priority
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings):
            sibling.position = position
        audit.record(StrategicPriorityEvent.MOVED, target=priority, by=by,
                     network=priority.network, title=priority.title,
                     direction=direction)
    StrategicPriority.objects.bulk_update(siblings, ["position"])
    return priority


class NotThisNetworks(ValueError):
    """A priority from another network, or a newly chosen retired one."""


def checked_serves(
    network: Network, serves: Any, *, already: Any = ()
) -> list[StrategicPriority]:
    """The strategic priorities something may be tagged with: the network's own
    only, and a retired one only if it was already tagged with it."""
    serves, kept = list(serves), {p.pk for p in already}
    for priority in serves:
        if priority.network_id != network.pk:
            raise NotThisNetworks("Choose only this network's strategic priorities")
        if priority.is_retired and priority.pk not in kept:
            raise NotThisNetworks(f"The priority '{priority.title}' has been retired")
    return serves
