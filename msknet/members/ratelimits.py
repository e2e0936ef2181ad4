"""Rate limits: who the client is, and counting what they do, atomically.

`client_address` is the address that connected, or, behind the number of
reverse proxies that TRUSTED_PROXY_COUNT declares, the address the outermost
of them saw: the X-Forwarded-For entry that many from the right. Entries
further left are whatever the client chose to send, so they never count.

`allow` counts one more event for a key in the current window and says
whether the count is still within the limit. The count is one database row
per (kind, key, window), raised with `count = count + 1` inside a transaction,
so simultaneous requests cannot all read the same count and all pass.
"""

from __future__ import annotations

import hashlib
import ipaddress
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from .models import Throttle

UNKNOWN = "unknown"
#: Counts are kept this long after their window starts, then pruned.
KEEP_COUNTS = timedelta(days=1)


def client_address(request: HttpRequest) -> str:
    """The client's address, as the limits count it (at most 64 characters).

    An IPv6 client is counted by its /64 network, which one subscriber
    usually holds whole, so that it cannot step round a limit address by
    address.
    """
    proxies = max(0, settings.TRUSTED_PROXY_COUNT)
    raw = str(request.META.get("REMOTE_ADDR") or "")
    if proxies:
        forwarded = [
            entry.strip()
            for entry in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
            if entry.strip()
        ]
        if forwarded:
            # Fewer entries than proxies: all of them came from our proxies.
            raw = forwarded[-min(proxies, len(forwarded))]
    return normalise(raw)


def normalise(raw: str) -> str:
    try:
        address = ipaddress.ip_address(raw.strip().strip("[]"))
    except ValueError:
        return (raw.strip() or UNKNOWN)[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def key_hash(kind: str, key: str) -> str:
    return hashlib.sha256(f"{kind}\n{key.strip().lower()}".encode()).hexdigest()


def window_start(now: datetime, seconds: int) -> datetime:
    start = int(now.timestamp()) // seconds * seconds
    return datetime.fromtimestamp(start, tz=UTC)


def allow(kind: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one more `kind` event for `key`; whether it is within `limit`.

    Events beyond the limit are counted too (they are refused all the same),
    and the count starts again with each window.
    """
    now = timezone.now()
    start = window_start(now, window_seconds)
    row = {"kind": kind, "key_hash": key_hash(kind, key), "window_start": start}
    with transaction.atomic():
        _, created = Throttle.objects.get_or_create(**row)
        counted = Throttle.objects.filter(**row)
        counted.update(count=F("count") + 1)
        count = counted.values_list("count", flat=True).get()
        if created:
            Throttle.objects.filter(window_start__lt=now - KEEP_COUNTS).delete()
    return count <= limit
