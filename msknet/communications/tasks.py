"""Background work for communications: notification emails and digests.

The worker runs the daily (07:00) and weekly (Monday 07:00) digests;
`msknet notifications digest` sends them at once from the command line.
Running either twice sends nothing twice (`digests.send_digest`).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from msknet.core import emails
from msknet.core.tasks import ScheduledJob

from .digests import send_digests
from .models import Delivery, Notification
from .notify import preference_token

#: Scheduled jobs for notifications.
SCHEDULES: tuple[ScheduledJob, ...] = (
    ScheduledJob(
        name="msknet: daily notification digests",
        func="msknet.communications.tasks.send_daily_digests",
        every="daily",
        at_hour=7,
    ),
    ScheduledJob(
        name="msknet: weekly notification digests",
        func="msknet.communications.tasks.send_weekly_digests",
        every="weekly",
        weekday=0,
        at_hour=7,
    ),
)


def send_daily_digests() -> str:
    sent = send_digests(frequency=Delivery.DAILY)
    return f"Sent {sent} daily digest{'' if sent == 1 else 's'}."


def send_weekly_digests() -> str:
    sent = send_digests(frequency=Delivery.WEEKLY)
    return f"Sent {sent} weekly digest{'' if sent == 1 else 's'}."


def email_notifications(notification_pks: list[int]) -> str:
    """Email each of these notifications straight away (each once)."""
    results = [email_notification(pk) for pk in notification_pks]
    queued = sum(result.startswith("Queued") for result in results)
    return f"Queued {queued} of {len(results)} notification emails."


def email_notification(notification_pk: int) -> str:
    """Email one notification straight away (once, however often this runs)."""
    notification = (
        Notification.objects.select_related("user", "network")
        .filter(pk=notification_pk, emailed_at__isnull=True)
        .first()
    )
    if notification is None:
        return "Already emailed, or gone."
    user = notification.user
    if not user.is_active or user.erased_at is not None:
        return "The person can no longer be emailed."
    token = preference_token(user, notification.kind)
    preferences_url = settings.SITE_URL + reverse(
        "notification-email-choice", kwargs={"token": token}
    )
    emails.send_templated(
        "communications/email/notification",
        to=user.email,
        context={
            "notification": notification,
            "network": notification.network,
            "user": user,
            "preferences_url": preferences_url,
        },
        headers={
            "List-Unsubscribe": f"<{preferences_url}?never=1>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return f"Queued the email to {user.email}."
