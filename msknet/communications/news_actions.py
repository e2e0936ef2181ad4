"""Writing and sending news: drafts, schedules, opt-outs, suppressions, writers.

Every action records its audit event. Sending is the worker's
(`news_tasks.send_due_news`): "send now" schedules an item for this moment
and asks the worker to look at once, so the same path sends every item.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from msknet.core import audit, tasks
from msknet.members.models import Network, User

from .models import (
    EmailSuppression,
    NewsEvent,
    NewsItem,
    NewsKind,
    NewsOptOut,
    NewsRecipient,
    NewsStatus,
    NewsWriter,
    SuppressionReason,
)

#: What a writer sets on an item (the form's fields).
FIELDS = (
    "kind",
    "title",
    "summary",
    "body_markdown",
    "blocks",
    "audience_kind",
    "audience_group",
    "audience_sector",
    "audience_icb",
    "audience_topic",
    "audience_role",
    "audience_event",
    "audience_project",
    "audience_innovation",
    "visibility",
)

#: How far back a network's first newsletter's blocks look.
FIRST_ISSUE_LOOKS_BACK = timedelta(days=30)


class NotEditable(Exception):
    """The item has been sent: it can no longer change."""


class NotScheduled(Exception):
    """The item is not waiting to be sent."""


class InThePast(ValueError):
    """A sending time that has already passed."""


def _set(item: NewsItem, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown news fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(item, name, value)
    if item.kind != NewsKind.NEWSLETTER:
        item.blocks = []  # only newsletters pull in blocks


@transaction.atomic
def draft_news(*, network: Network, by: User, **fields: Any) -> NewsItem:
    """A new draft announcement or newsletter."""
    now = timezone.now()
    item = NewsItem(network=network, created_by=by, updated_by=by, created_at=now,
                    updated_at=now)
    _set(item, fields)
    item.save()
    audit.record(NewsEvent.DRAFTED, target=item, by=by, network=network,
                 kind=item.kind)
    return item


@transaction.atomic
def change_news(*, item: NewsItem, by: User, **fields: Any) -> NewsItem:
    """Change a draft or scheduled item (a scheduled one keeps its time)."""
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_editable:
        raise NotEditable(item.get_status_display())
    _set(item, fields)
    item.updated_by = by
    item.updated_at = timezone.now()
    item.save()
    audit.record(NewsEvent.CHANGED, target=item, by=by, network=item.network)
    return item


def _schedule(item: NewsItem, by: User, send_at: datetime, *, now: bool) -> NewsItem:
    locked = NewsItem.objects.select_for_update().get(pk=item.pk)
    if not locked.is_editable:
        raise NotEditable(locked.get_status_display())
    locked.status = NewsStatus.SCHEDULED
    locked.send_at = send_at
    locked.updated_by = by
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "send_at", "updated_by", "updated_at"])
    audit.record(NewsEvent.SCHEDULED, target=locked, by=by, network=locked.network,
                 send_at=send_at.isoformat(), now=now)
    return locked


@transaction.atomic
def schedule_news(*, item: NewsItem, by: User, send_at: datetime) -> NewsItem:
    """Send the item at `send_at` (a later time)."""
    if send_at <= timezone.now():
        raise InThePast(send_at)
    return _schedule(item, by, send_at, now=False)


@transaction.atomic
def send_news_now(*, item: NewsItem, by: User) -> NewsItem:
    """Send the item straight away: the worker takes it after the commit."""
    item = _schedule(item, by, timezone.now(), now=True)
    transaction.on_commit(
        partial(
            tasks.enqueue,
            "msknet.communications.news_tasks.send_due_news",
            network_pk=item.network_id,
            name=f"News: {item.title}"[:100],
        )
    )
    return item


@transaction.atomic
def cancel_news(*, item: NewsItem, by: User) -> NewsItem:
    """Stop a scheduled item being sent: it becomes a draft again."""
    locked = NewsItem.objects.select_for_update().get(pk=item.pk)
    if not locked.is_scheduled:
        raise NotScheduled(locked.get_status_display())
    locked.status = NewsStatus.DRAFT
    locked.send_at = None
    locked.updated_by = by
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "send_at", "updated_by", "updated_at"])
    audit.record(NewsEvent.CANCELLED, target=locked, by=by, network=locked.network)
    return locked


def blocks_since(item: NewsItem, now: datetime) -> datetime:
    """What blocks count as new: since the network's previous newsletter went
    out, or for a first one, the last 30 days."""
    previous = (
        NewsItem.objects.for_network(item.network)
        .published()
        .filter(kind=NewsKind.NEWSLETTER, sent_at__lt=now)
        .exclude(pk=item.pk)
        .values_list("sent_at", flat=True)
        .first()
    )
    return previous or now - FIRST_ISSUE_LOOKS_BACK


# Opting out and in --------------------------------------------------------


@transaction.atomic
def unsubscribe(*, recipient: NewsRecipient) -> NewsOptOut:
    """The person who got `recipient`'s email gets no more of its network's news."""
    network = recipient.item.network
    opt_out, created = NewsOptOut.objects.get_or_create(
        network=network, user=recipient.user
    )
    if created:
        audit.record(NewsEvent.UNSUBSCRIBED, target=opt_out, by=None, network=network,
                     user=recipient.user_id, item=recipient.item_id)
    return opt_out


@transaction.atomic
def choose_news_emails(*, network: Network, by: User, wanted: bool) -> bool:
    """A member stops or starts getting the network's news by email; whether
    anything changed."""
    if wanted:
        deleted, _ = NewsOptOut.objects.filter(network=network, user=by).delete()
        if deleted:
            audit.record(NewsEvent.RESUBSCRIBED, target=network, by=by,
                         network=network)
        return bool(deleted)
    opt_out, created = NewsOptOut.objects.get_or_create(network=network, user=by)
    if created:
        audit.record(NewsEvent.UNSUBSCRIBED, target=opt_out, by=by, network=network,
                     user=by.pk)
    return created


def gets_news_emails(network: Network, user: Any) -> bool:
    return not NewsOptOut.objects.filter(network=network, user_id=user.pk).exists()


@transaction.atomic
def suppress_email(
    *, email: str, reason: str = SuppressionReason.HARD_BOUNCE, detail: str = ""
) -> tuple[EmailSuppression, bool]:
    """Send no more news to `email` (a bounce, a complaint); whether it is new.

    Queued emails to the address are skipped when their turn comes.
    """
    suppression, created = EmailSuppression.objects.get_or_create(
        email=email.strip().lower(),
        defaults={"reason": SuppressionReason(reason), "detail": detail[:500]},
    )
    if created:
        audit.record(NewsEvent.EMAIL_SUPPRESSED, target=suppression, by=None,
                     reason=suppression.reason)
    return suppression, created


# Writers ------------------------------------------------------------------


@transaction.atomic
def add_writer(*, network: Network, user: User, by: User) -> NewsWriter:
    writer, created = NewsWriter.objects.get_or_create(
        network=network, user=user, defaults={"granted_by": by}
    )
    if created:
        audit.record(NewsEvent.WRITER_ADDED, target=writer, by=by, network=network,
                     user=user.pk)
    return writer


@transaction.atomic
def remove_writer(*, writer: NewsWriter, by: User) -> None:
    audit.record(NewsEvent.WRITER_REMOVED, target=writer, by=by,
                 network=writer.network, user=writer.user_id)
    writer.delete()


# Erasure --------------------------------------------------------------------


def forget_news_reader(user: User) -> None:
    """Part of erasing an account: what news holds about the person.

    The rows of emails sent to them stay, so each item's counts do not change,
    with the address removed; their opt-outs, writer places and any
    suppression of their address go. Runs inside the erasure's transaction.
    """
    NewsRecipient.objects.filter(user=user).update(email="")
    NewsOptOut.objects.filter(user=user).delete()
    NewsWriter.objects.filter(user=user).delete()
    EmailSuppression.objects.filter(email=user.email.strip().lower()).delete()
