"""The one notification service: every app tells people things through `notify`.

    notify(
        kind=Kind.ACTION_ASSIGNED,
        recipients=[action.owner],
        network=action.network,
        key=f"action:{action.pk}:assigned",
        title=f"Action for you: {action.title}",
        url=action.get_absolute_url(),
    )

Call it from an action (inside its transaction) or a scheduled job. Each
recipient is told once per kind and key; people who are inactive, erased or
no longer members of the network are skipped. A notification a person gets
"straight away" is emailed after the transaction commits; the rest wait for
the daily or weekly digest (`digests`), or stay on the site only.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone

from msknet.core import tasks
from msknet.members.models import Membership

from .models import (
    DEFAULT_DELIVERY,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)

#: Notifications written, and emailed by one task, at a time.
BATCH_SIZE = 500

PREFERENCE_SALT = "msknet.communications.notification-preference"


def delivery_for(user: Any, kind: str) -> str:
    """How `user` gets email about `kind`: their choice, or the kind's default."""
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or DEFAULT_DELIVERY.get(kind, Delivery.WEEKLY)


def deliveries_for(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """`delivery_for` for many people at once."""
    ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    default = DEFAULT_DELIVERY.get(kind, Delivery.WEEKLY)
    return {pk: chosen.get(pk, default) for pk in ids}


def notify(
    *,
    kind: str,
    recipients: Iterable[Any],
    network: Any,
    key: str,
    title: str,
    url: str,
    body: str = "",
) -> list[Notification]:
    """Tell each recipient about something once; the notifications made now.

    `title` and `body` are plain text (never HTML); `url` is a path on this
    site. A recipient already told about this kind and key is not told again.
    """
    kind = Kind(kind)
    people = {
        person.pk: person
        for person in recipients
        if person is not None and person.is_active and person.erased_at is None
    }
    members = set(
        Membership.objects.filter(network=network, user_id__in=people).values_list(
            "user_id", flat=True
        )
    )
    people = {pk: person for pk, person in people.items() if pk in members}
    if not people:
        return []
    already = set(
        Notification.objects.filter(
            kind=kind, key=key, user_id__in=people
        ).values_list("user_id", flat=True)
    )
    # One insert for everyone; a row another process wrote meanwhile is left
    # alone (the unique constraint), and only the rows written here, which
    # carry this call's timestamp, are read back to be emailed.
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=pk,
                network=network,
                kind=kind,
                key=key,
                title=title[:300],
                body=body,
                url=url,
                created_at=now,
            )
            for pk in people
            if pk not in already
        ],
        ignore_conflicts=True,
        batch_size=BATCH_SIZE,
    )
    made = list(
        Notification.objects.filter(
            kind=kind, key=key, created_at=now, user_id__in=people
        ).exclude(user_id__in=already)
    )
    deliveries = deliveries_for((n.user_id for n in made), kind)
    emailed = [n.pk for n in made if deliveries[n.user_id] == Delivery.IMMEDIATELY]
    for start in range(0, len(emailed), BATCH_SIZE):
        transaction.on_commit(
            partial(
                tasks.enqueue,
                "msknet.communications.tasks.email_notifications",
                emailed[start : start + BATCH_SIZE],
                network_pk=network.pk,
                name=f"Notification emails: {kind.label}"[:100],
            )
        )
    return made


# One-click changes from an email ---------------------------------------------


def preference_token(user: Any, kind: str) -> str:
    """A token that lets whoever holds the email change how `user` gets `kind`."""
    return signing.dumps({"u": user.pk, "k": str(kind)}, salt=PREFERENCE_SALT)


def read_preference_token(token: str) -> tuple[int, str]:
    """The (user id, kind) a token names; signing.BadSignature if forged."""
    data = signing.loads(token, salt=PREFERENCE_SALT)
    kind = Kind(data["k"])
    return int(data["u"]), kind
