"""Background and scheduled work for news: sending newsletters and announcements.

Every minute `send_due_news` publishes each item whose sending time has
passed: it takes the item by moving it from scheduled to sending in one
update (so two workers never both take it), fixes what is sent (the body
and blocks, and who gets it), and queues one `send_news_email` task per
person. Each task sends one multipart email and records what happened: sent,
failed (after tries with growing waits, as for every email), bounced (the
server refused the address, which is then suppressed) or skipped (the
person unsubscribed, left or was suppressed meanwhile). The item is marked
sent when no email is left queued.
"""

from __future__ import annotations

import smtplib
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone

from msknet.core import audit, emails, tasks
from msknet.core.tasks import ScheduledJob
from msknet.members.models import Membership

from .models import (
    EmailSuppression,
    NewsEvent,
    NewsItem,
    NewsOptOut,
    NewsRecipient,
    NewsStatus,
    RecipientStatus,
    SuppressionReason,
)
from .news_audiences import audience_members, describe
from .news_emails import Composed, compose, written_email

SCHEDULES: tuple[ScheduledJob, ...] = (
    ScheduledJob(
        name="msknet: send scheduled news",
        func="msknet.communications.news_tasks.send_due_news",
        every="minutes",
        minutes=1,
    ),
)


def send_due_news() -> str:
    """Publish every item whose sending time has passed (safe to run twice)."""
    due = list(
        NewsItem.objects.due(timezone.now()).order_by("send_at", "pk")
        .values_list("pk", flat=True)
    )
    published = [pk for pk in due if publish(pk)]
    return f"Published {len(published)} news item{'' if len(published) == 1 else 's'}."


def publish(item_pk: int) -> bool:
    """Take one due item and queue its emails; False if another worker took it
    first, or it was cancelled or changed meanwhile."""
    now = timezone.now()
    with transaction.atomic():
        taken = NewsItem.objects.filter(
            pk=item_pk, status=NewsStatus.SCHEDULED, send_at__lte=now
        ).update(status=NewsStatus.SENDING, sent_at=now)
        if not taken:
            return False
        item = NewsItem.objects.select_related("network").get(pk=item_pk)
        composed = compose(item, now=now)
        item.sent_html = composed.html
        item.sent_text = composed.text
        item.audience_description = describe(item)[:300]
        item.save(update_fields=["sent_html", "sent_text", "audience_description"])
        NewsRecipient.objects.bulk_create(
            [
                NewsRecipient(item=item, user=user, email=user.email)
                for user in audience_members(item)
            ],
            ignore_conflicts=True,
        )
        recipients = list(item.recipients.values_list("pk", flat=True))
        audit.record(NewsEvent.SENT, target=item, by=None, network=item.network,
                     recipients=len(recipients))
        for pk in recipients:
            transaction.on_commit(
                partial(
                    tasks.enqueue,
                    "msknet.communications.news_tasks.send_news_email",
                    recipient_pk=pk,
                    network_pk=item.network_id,
                    name=f"News email: {item.title}"[:100],
                    keep_result=False,
                )
            )
        if not recipients:
            finish_if_done(item.pk)
    return True


def finish_if_done(item_pk: int) -> None:
    """Mark a sending item sent once no email of it is queued."""
    queued = NewsRecipient.objects.filter(item=OuterRef("pk"), status=RecipientStatus.QUEUED)
    NewsItem.objects.filter(pk=item_pk, status=NewsStatus.SENDING).exclude(
        Exists(queued)
    ).update(status=NewsStatus.SENT)


def _record(recipient: NewsRecipient, status: str, **fields: object) -> None:
    NewsRecipient.objects.filter(pk=recipient.pk, status=RecipientStatus.QUEUED).update(
        status=status, **fields
    )
    finish_if_done(recipient.item_id)


def why_not(recipient: NewsRecipient) -> str:
    """Why the email should no longer go, or ""."""
    user = recipient.user
    network = recipient.item.network
    if not user.is_active or user.erased_at is not None:
        return "The account is closed."
    if not Membership.objects.filter(user=user, network=network).exists():
        return "No longer a member of the network."
    if NewsOptOut.objects.filter(user=user, network=network).exists():
        return "Unsubscribed from the network's news."
    if (
        EmailSuppression.objects.annotate(lower=Lower("email"))
        .filter(lower=recipient.email.lower())
        .exists()
    ):
        return "The address is suppressed (it bounced or complained)."
    return ""


def send_news_email(recipient_pk: int, attempt: int = 1) -> str:
    """Send one news email and record what happened (once, however often this
    runs; a mail server that cannot be reached is tried again later)."""
    recipient = (
        NewsRecipient.objects.select_related("item__network", "user")
        .filter(pk=recipient_pk, status=RecipientStatus.QUEUED)
        .first()
    )
    if recipient is None:
        return "Already sent, or gone."
    reason = why_not(recipient)
    if reason:
        _record(recipient, RecipientStatus.SKIPPED, error=reason)
        return f"Skipped: {reason}"
    item = recipient.item
    written = written_email(
        item, Composed(html=item.sent_html, text=item.sent_text), recipient
    )
    message = emails.message(
        subject=written.subject,
        body=written.text,
        to=recipient.email,
        html=written.html,
        headers=written.headers,
    )
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        detail = str(error)[:500]
        from .news_actions import suppress_email

        suppress_email(email=recipient.email, reason=SuppressionReason.HARD_BOUNCE,
                       detail=detail)
        _record(recipient, RecipientStatus.BOUNCED, error=detail, attempts=attempt)
        return f"Bounced: {recipient.email}"
    except OSError as error:  # smtplib's other errors and refused connections
        detail = str(error)[:500]
        if attempt >= emails.ATTEMPTS:
            _record(recipient, RecipientStatus.FAILED, error=detail, attempts=attempt)
            return f"Failed after {attempt} tries: {detail}"
        delay = emails.RETRY_DELAYS[attempt - 1]
        NewsRecipient.objects.filter(pk=recipient.pk).update(
            error=detail, attempts=attempt
        )
        tasks.enqueue_later(
            "msknet.communications.news_tasks.send_news_email",
            delay=delay,
            network_pk=item.network_id,
            keep_result=False,
            recipient_pk=recipient.pk,
            attempt=attempt + 1,
        )
        return f"Try {attempt} failed ({detail}); trying again in {delay}."
    _record(recipient, RecipientStatus.SENT, sent_at=timezone.now(), error="",
            attempts=attempt)
    return f"Sent to {recipient.email}."
