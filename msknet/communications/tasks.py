"""Background work for communications: notification emails."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from msknet.core import emails
from msknet.core.tasks import ScheduledJob

from .models import Notification
from .notify import preference_token

#: Scheduled jobs for notifications (digests and reminders are added here).
SCHEDULES: tuple[ScheduledJob, ...] = ()


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
