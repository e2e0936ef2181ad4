"""Email digests: one email per member summarising unread notifications.

Members choose daily, weekly or never per network (weekly unless they
chose). `send_digests` runs from the command line on a schedule
(`msknet discussions digest --frequency daily`, and weekly once a week). A
member's digest covers the unread notifications, in the networks set to
that frequency, created since the last digest for each network; sending
records the time per network, so nothing is sent twice, and nobody with
nothing new gets an email.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from msknet.core import audit, emails
from msknet.members.models import Membership, Network, User

from .models import DigestFrequency, DigestPreference, DiscussionEvent, Notification


@dataclass
class Digest:
    user: User
    notifications: list[Notification] = field(default_factory=list)

    @property
    def networks(self) -> list[tuple[Network, list[Notification]]]:
        by_network: dict[int, list[Notification]] = defaultdict(list)
        for notification in self.notifications:
            by_network[notification.network_id].append(notification)
        return [(items[0].network, items) for items in by_network.values()]


def due_digests(*, frequency: str, now: datetime) -> list[Digest]:
    """The digests to send now for `frequency`, one per member with news."""
    frequency = DigestFrequency(frequency)
    candidates = list(
        Notification.objects.unread()
        .filter(
            created_at__lte=now,
            post__hidden_at__isnull=True,
            user__is_active=True,
            user__erased_at__isnull=True,
        )
        .select_related("user", "network", "thread", "post__author")
        .order_by("user_id", "network__name", "created_at", "pk")
    )
    if not candidates:
        return []
    user_ids = {n.user_id for n in candidates}
    preferences = {
        (p.user_id, p.network_id): p
        for p in DigestPreference.objects.filter(user_id__in=user_ids)
    }
    members = set(
        Membership.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "network_id"
        )
    )
    digests: dict[int, Digest] = {}
    for notification in candidates:
        key = (notification.user_id, notification.network_id)
        if key not in members:
            continue  # left the network since
        preference = preferences.get(key)
        chosen = preference.frequency if preference else DigestFrequency.WEEKLY
        if chosen != frequency:
            continue
        last = preference.last_sent_at if preference else None
        if last is not None and notification.created_at <= last:
            continue
        digest = digests.setdefault(notification.user_id, Digest(notification.user))
        digest.notifications.append(notification)
    return list(digests.values())


@transaction.atomic
def send_digest(*, digest: Digest, frequency: str, now: datetime) -> bool:
    """Record and email one member's digest; False if another run sent it."""
    user = digest.user
    network_ids = {n.network_id for n in digest.notifications}
    locked = {
        p.network_id: p
        for p in DigestPreference.objects.select_for_update().filter(
            user=user, network_id__in=network_ids
        )
    }
    # Another run may have sent some of these since they were read.
    digest.notifications = [
        n
        for n in digest.notifications
        if n.network_id not in locked
        or locked[n.network_id].last_sent_at is None
        or n.created_at > locked[n.network_id].last_sent_at
    ]
    if not digest.notifications:
        return False
    network_ids = {n.network_id for n in digest.notifications}
    for network_id in network_ids:
        preference = locked.get(network_id) or DigestPreference(
            user=user, network_id=network_id
        )
        preference.last_sent_at = now
        preference.save()
    audit.record(
        DiscussionEvent.DIGEST_SENT,
        target=user,
        frequency=str(frequency),
        notifications=len(digest.notifications),
    )
    context = {
        "user": user,
        "digest": digest,
        "frequency": DigestFrequency(frequency).label.lower(),
    }
    transaction.on_commit(
        partial(
            emails.send_templated,
            "discussions/email/digest",
            to=user.email,
            context=context,
        )
    )
    return True


def send_digests(*, frequency: str, now: datetime | None = None) -> int:
    """Send every digest due for `frequency`; how many were sent."""
    if frequency == DigestFrequency.NONE:
        raise ValueError("Digests are sent daily or weekly")
    now = now or timezone.now()
    return sum(
        send_digest(digest=digest, frequency=frequency, now=now)
        for digest in due_digests(frequency=frequency, now=now)
    )
