"""Writing notifications: marking them read, and each person's email choices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from msknet.core import audit

from .models import (
    DEFAULT_DELIVERY,
    CommunicationsEvent,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)


def mark_read(*, notification: Notification, by: Any) -> Notification:
    """Mark one notification read (once: reading it again changes nothing)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, user: Any, by: Any) -> int:
    """Mark every unread notification of `user` read; how many there were."""
    return Notification.objects.filter(user=user).unread().update(read_at=timezone.now())


@transaction.atomic
def choose_deliveries(
    *, user: Any, choices: Mapping[str, str], by: Any, via: str = "settings"
) -> list[str]:
    """Set how `user` gets email about each kind in `choices`; the kinds changed.

    Only real changes are written and audited. `via` says where the choice
    was made ("settings" page or an "email" link), for the audit trail.
    """
    wanted = {Kind(kind): Delivery(delivery) for kind, delivery in choices.items()}
    existing = {
        p.kind: p
        for p in NotificationPreference.objects.select_for_update().filter(
            user=user, kind__in=list(wanted)
        )
    }
    changed = []
    for kind, delivery in wanted.items():
        preference = existing.get(kind)
        previous = (
            preference.delivery
            if preference is not None
            else DEFAULT_DELIVERY.get(kind, Delivery.WEEKLY)
        )
        if previous == delivery:
            continue
        if preference is None:
            preference = NotificationPreference(user=user, kind=kind)
        preference.delivery = delivery
        preference.save()
        audit.record(
            CommunicationsEvent.NOTIFICATION_PREFERENCE_CHANGED,
            target=preference,
            by=by,
            kind=str(kind),
            delivery=str(delivery),
            previous=str(previous),
            via=via,
        )
        changed.append(str(kind))
    return changed


def choose_delivery(*, user: Any, kind: str, delivery: str, by: Any, via: str) -> bool:
    """Set how `user` gets email about one kind; False if it was already so."""
    return bool(
        choose_deliveries(user=user, choices={kind: delivery}, by=by, via=via)
    )


def forget_member(user: Any) -> None:
    """Part of erasing an account: the person's notifications and email choices.

    Runs inside the account erasure's transaction.
    """
    Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
