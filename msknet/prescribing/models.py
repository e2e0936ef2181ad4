"""Prescribing alert subscriptions: anyone's email address, for one organisation.

A subscription holds nothing but the address until it is confirmed from the
emailed link; unconfirmed ones are deleted after a week (a daily job). Alerts
go to confirmed subscriptions that have not unsubscribed.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone

from msknet.members.models import Network


def new_token() -> str:
    return secrets.token_urlsafe(32)


class AlertSubscriptionQuerySet(models.QuerySet["AlertSubscription"]):
    def active(self) -> AlertSubscriptionQuerySet:
        """Confirmed and not unsubscribed: those alerts go to."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)

    def unconfirmed(self) -> AlertSubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=True, unsubscribed_at__isnull=True)


class AlertSubscription(models.Model):
    """One email address told when an organisation's prescribing changes."""

    class Level(models.TextChoices):
        ICB = "icb", "Integrated care board"
        """An integrated care board (ICB)."""
        SUB_ICB = "sub_icb", "Sub-ICB location"
        """A sub-ICB location (formerly a CCG)."""
        PRACTICE = "practice", "GP practice"
        """A GP practice."""

    email = models.EmailField()
    level = models.CharField(max_length=10, choices=Level.choices)
    org_code = models.CharField(max_length=12)
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="prescribing_alerts",
        help_text="The network whose prescribing pages the subscription was made from.",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_alerted_month = models.CharField(
        max_length=7, blank=True, help_text="The last data month (YYYY-MM) alerted."
    )
    last_checked_month = models.CharField(
        max_length=7, blank=True,
        help_text="The last data month (YYYY-MM) looked at, alerted or not.",
    )

    objects = AlertSubscriptionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email", "level", "org_code"],
                condition=Q(unsubscribed_at__isnull=True),
                name="%(app_label)s_%(class)s_one_live_per_address_and_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.level} {self.org_code}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def unsubscribed(self) -> bool:
        return self.unsubscribed_at is not None
