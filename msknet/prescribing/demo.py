"""Demo prescribing alert subscriptions: a few confirmed ones per network.

Synthetic addresses at example.org, for an ICB, a sub-ICB location and a
practice of each network that the demo store holds. Each is marked as
checked for the store's latest month, so the alert job emails nobody until
a new month is loaded.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from msknet.analytics import prescribing as rx
from msknet.members.models import Network

from . import queries
from .models import AlertSubscription


def organisations(network: Network, table: Any) -> list[tuple[str, str]]:
    """(level, code): the network's first ICB in the store, one of its sub-ICB
    locations and one of its practices."""
    icbs = sorted(network.icbs.values_list("ods_code", flat=True))
    rows = sorted(
        (icb, sub_icb, practice)
        for icb, sub_icb, practice in zip(
            table["icb_code"].to_pylist(), table["sub_icb_code"].to_pylist(),
            table["practice_code"].to_pylist(), strict=True)
        if icb in icbs
    )
    if not rows:
        return []
    icb, sub_icb, practice = rows[0]
    return [("icb", icb), ("sub_icb", sub_icb), ("practice", practice)]


def load_demo_alerts() -> int:
    """Add the subscriptions (if the store holds data); how many were added."""
    store = queries.store()
    if not queries.has_data(store):
        return 0
    latest = store.months("epd")[-1]
    table, _ = rx.practice_values(store, queries.OVERVIEW_MEASURE)
    now = timezone.now()
    added = 0
    for network in Network.objects.order_by("slug"):
        for level, code in organisations(network, table):
            AlertSubscription.objects.create(
                email=f"alerts.{level.replace('_', '-')}.{network.slug}@example.org",
                level=level, org_code=code, network=network, created_at=now,
                confirmed_at=now, last_checked_month=latest,
            )
            added += 1
    return added
