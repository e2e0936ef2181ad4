"""Notifications: what each person should know about, in the app and by email.

Every app tells people things through one service (`notify.notify`). Each
notification is kept for the person's notifications page; whether it is
also emailed at once, in a daily or weekly digest, or never, is the
person's choice for that kind (`NotificationPreference`), with a default
per kind (`DEFAULT_DELIVERY`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from msknet.core.models import audit_types


@audit_types
class CommunicationsEvent(models.TextChoices):
    NOTIFICATION_PREFERENCE_CHANGED = (
        "notification_preference_changed",
        "Notification email choice changed",
    )
    """A person chose how they get email about one kind of notification."""


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "Straight away"
    """An email for each notification as it happens."""
    DAILY = "daily", "Daily digest"
    """One email a day listing what is new, when there is something."""
    WEEKLY = "weekly", "Weekly digest"
    """One email a week listing what is new, when there is something."""
    NEVER = "never", "Never"
    """No email; the notification is still on the site."""


class Kind(models.TextChoices):
    """Every kind of notification, grouped by the app that sends it."""

    # Discussions
    DISCUSSION_MENTION = "discussion_mention", "Someone mentions you in a discussion"
    DISCUSSION_REPLY = "discussion_reply", "A reply in a discussion you follow"
    # Priorities
    ROUND_OPENED = "round_opened", "A nomination round opens"
    ROUND_CLOSING = "round_closing", "A nomination round is closing soon"
    PANEL_NAMED = "panel_named", "You are named to a screening panel"
    SCORING_DUE = "scoring_due", "You have nominations to score"
    # Governance
    ACTION_ASSIGNED = "action_assigned", "An action is given to you"
    ACTION_DUE_SOON = "action_due_soon", "An action of yours is due in 3 days"
    ACTION_OVERDUE = "action_overdue", "An action of yours is overdue"
    PAPERS_PUBLISHED = "papers_published", "Papers are published for a meeting"
    TOR_FOR_APPROVAL = "tor_for_approval", "Terms of reference are up for approval"
    # Improvement
    MEASURE_NO_DATA = "measure_no_data", "A measure you own has no recent data"
    MEASURE_SIGNAL = "measure_signal", "A measure you follow shows a new signal"
    # Innovations
    INNOVATION_STAGE = "innovation_stage", "An innovation you follow moves stage"
    INNOVATION_PROPOSED = "innovation_proposed", "An innovation is proposed"
    INNOVATION_ADOPTION = "innovation_adoption", (
        "A site's adoption of an innovation you follow changes"
    )
    # Landscape
    SERVICE_CONFIRMATION = "service_confirmation", (
        "You are asked to confirm a service's details"
    )
    # Surveys
    SURVEY_OPENED = "survey_opened", "A survey is open to you"
    # Members
    JOIN_REQUEST_WAITING = "join_request_waiting", "A join request is waiting"


#: How each kind is emailed until the person chooses: what needs the person
#: to act goes straight away; news goes in the weekly digest.
DEFAULT_DELIVERY: dict[str, str] = {
    Kind.DISCUSSION_MENTION: Delivery.DAILY,
    Kind.DISCUSSION_REPLY: Delivery.WEEKLY,
    Kind.ROUND_OPENED: Delivery.IMMEDIATELY,
    Kind.ROUND_CLOSING: Delivery.IMMEDIATELY,
    Kind.PANEL_NAMED: Delivery.IMMEDIATELY,
    Kind.SCORING_DUE: Delivery.DAILY,
    Kind.ACTION_ASSIGNED: Delivery.IMMEDIATELY,
    Kind.ACTION_DUE_SOON: Delivery.IMMEDIATELY,
    Kind.ACTION_OVERDUE: Delivery.IMMEDIATELY,
    Kind.PAPERS_PUBLISHED: Delivery.IMMEDIATELY,
    Kind.TOR_FOR_APPROVAL: Delivery.IMMEDIATELY,
    Kind.MEASURE_NO_DATA: Delivery.WEEKLY,
    Kind.MEASURE_SIGNAL: Delivery.IMMEDIATELY,
    Kind.INNOVATION_STAGE: Delivery.IMMEDIATELY,
    Kind.INNOVATION_PROPOSED: Delivery.DAILY,
    Kind.INNOVATION_ADOPTION: Delivery.WEEKLY,
    # The request's own email carries the one-click link: no second email.
    Kind.SERVICE_CONFIRMATION: Delivery.NEVER,
    Kind.SURVEY_OPENED: Delivery.IMMEDIATELY,
    Kind.JOIN_REQUEST_WAITING: Delivery.IMMEDIATELY,
}


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def for_user(self, user: object) -> NotificationQuerySet:
        """The person's notifications from networks they still belong to."""
        return self.filter(user=user, network__memberships__user=user)

    def not_emailed(self) -> NotificationQuerySet:
        return self.filter(emailed_at__isnull=True)


class Notification(models.Model):
    """One thing one person should know about.

    `key` names the happening (say `action:12:overdue`): the same person is
    told about the same kind and key once, however often the job that finds
    it runs. `title` and `body` are plain text; `url` is a path on this site.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    network = models.ForeignKey(
        "members.Network", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="communications_unread_idx"),
            models.Index(fields=["emailed_at", "kind"], name="communications_email_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"], name="communications_notify_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} (to {self.user})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one person gets email about one kind of notification (every network).

    Without a row, the kind's default (`DEFAULT_DELIVERY`) applies.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    delivery = models.CharField(max_length=20, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="communications_preference_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} — {self.get_delivery_display()}"
