"""Email digests: one email listing what is new, daily or weekly.

Each person chooses, per kind of notification, to get it straight away, in
the daily or weekly digest, or never (`NotificationPreference`, else the
kind's default). `send_digests(frequency=...)` runs on a schedule (`tasks`)
and from the command line (`msknet notifications digest`). A person's
digest lists their unread notifications that have not been emailed, of the
kinds they get at that frequency, in the networks they still belong to,
grouped by network. Sending marks them emailed, so nothing is sent twice,
and nobody with nothing new gets an email.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from msknet.core import emails
from msknet.members.models import Membership, Network

from .models import (
    DEFAULT_DELIVERY,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)
from .notify import preference_token

FREQUENCIES = (Delivery.DAILY, Delivery.WEEKLY)


@dataclass
class Digest:
    user: Any
    notifications: list[Notification] = field(default_factory=list)

    @property
    def networks(self) -> list[tuple[Network, list[Notification]]]:
        by_network: dict[int, list[Notification]] = defaultdict(list)
        for notification in self.notifications:
            by_network[notification.network_id].append(notification)
        return sorted(
            ((items[0].network, items) for items in by_network.values()),
            key=lambda pair: pair[0].name,
        )

    @property
    def kinds(self) -> list[Kind]:
        return sorted({Kind(n.kind) for n in self.notifications}, key=list(Kind).index)


def due_digests(*, frequency: str, now: datetime) -> list[Digest]:
    """The digests to send now for `frequency`, one per person with news."""
    frequency = Delivery(frequency)
    candidates = list(
        Notification.objects.unread()
        .not_emailed()
        .filter(
            created_at__lte=now,
            user__is_active=True,
            user__erased_at__isnull=True,
        )
        .select_related("user", "network")
        .order_by("user_id", "created_at", "pk")
    )
    if not candidates:
        return []
    user_ids = {n.user_id for n in candidates}
    chosen = {
        (user_id, kind): delivery
        for user_id, kind, delivery in NotificationPreference.objects.filter(
            user_id__in=user_ids
        ).values_list("user_id", "kind", "delivery")
    }
    members = set(
        Membership.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "network_id"
        )
    )
    digests: dict[int, Digest] = {}
    for notification in candidates:
        if (notification.user_id, notification.network_id) not in members:
            continue  # left the network since
        delivery = chosen.get(
            (notification.user_id, notification.kind),
            DEFAULT_DELIVERY.get(notification.kind, Delivery.WEEKLY),
        )
        if delivery != frequency:
            continue
        digest = digests.setdefault(notification.user_id, Digest(notification.user))
        digest.notifications.append(notification)
    return list(digests.values())


def choice_url(user: Any, kind: str) -> str:
    """The address, for an email, where `user` changes how they get `kind`."""
    return settings.SITE_URL + reverse(
        "notification-email-choice", kwargs={"token": preference_token(user, kind)}
    )


@transaction.atomic
def send_digest(*, digest: Digest, frequency: str, now: datetime) -> bool:
    """Mark one person's digest emailed and send it; False if another run did."""
    user = digest.user
    still = set(
        Notification.objects.select_for_update()
        .filter(pk__in=[n.pk for n in digest.notifications])
        .not_emailed()
        .values_list("pk", flat=True)
    )
    digest.notifications = [n for n in digest.notifications if n.pk in still]
    if not digest.notifications:
        return False
    Notification.objects.filter(pk__in=still).update(emailed_at=now)
    networks = digest.networks
    context = {
        "user": user,
        "digest": digest,
        "frequency": Delivery(frequency).label.split()[0].lower(),
        # The header names the network when the digest is about one.
        "network": networks[0][0] if len(networks) == 1 else None,
        "digest_links": [(kind.label, choice_url(user, kind)) for kind in digest.kinds],
    }
    transaction.on_commit(
        partial(
            emails.send_templated,
            "communications/email/digest",
            to=user.email,
            context=context,
        )
    )
    return True


def send_digests(*, frequency: str, now: datetime | None = None) -> int:
    """Send every digest due for `frequency` (daily or weekly); how many."""
    if frequency not in FREQUENCIES:
        raise ValueError("Digests are sent daily or weekly")
    now = now or timezone.now()
    return sum(
        send_digest(digest=digest, frequency=frequency, now=now)
        for digest in due_digests(frequency=frequency, now=now)
    )
