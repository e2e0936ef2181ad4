"""Decisions and actions recorded at meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .meetings import AgendaItem, Meeting


class DecisionQuerySet(models.QuerySet["Decision"]):
    def for_network(self, network) -> DecisionQuerySet:
        return self.filter(network=network)


class Decision(models.Model):
    """A decision, numbered per network and year (D-2025-001)."""

    network = models.ForeignKey(
        "members.Network", on_delete=models.CASCADE, related_name="decisions"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions"
    )
    item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    text = models.TextField()
    decided_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year", "number"],
                name="governance_decision_unique_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse(
            "decision-detail",
            kwargs={"network_slug": self.network.slug, "reference": self.reference},
        )

    @property
    def reference(self) -> str:
        return f"D-{self.year}-{self.number:03d}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    """Still to do."""
    DONE = "done", "Done"
    """Completed by its owner."""
    CANCELLED = "cancelled", "Cancelled"
    """No longer needed."""


class ActionQuerySet(models.QuerySet["Action"]):
    def for_network(self, network) -> ActionQuerySet:
        return self.filter(network=network)

    def open(self) -> ActionQuerySet:
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today=None) -> ActionQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(due_on__lt=today)


class Action(models.Model):
    """Something someone agreed to do at a meeting."""

    network = models.ForeignKey(
        "members.Network", on_delete=models.CASCADE, related_name="actions"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["network", "owner", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="governance_action_closed_at_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#action-{self.pk}"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == ActionStatus.OPEN and self.due_on < today
