"""The programme timeline: phases and milestones of a network's programme."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class PhaseStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    """Not started yet."""
    IN_PROGRESS = "in_progress", "In progress"
    """Under way."""
    COMPLETE = "complete", "Complete"
    """Finished."""


class Phase(models.Model):
    """A phase of the programme, such as scoping or set-up."""

    network = models.ForeignKey(
        "members.Network", on_delete=models.CASCADE, related_name="programme_phases"
    )
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(
        null=True, blank=True, help_text="Leave blank for a phase with no end yet"
    )
    status = models.CharField(
        max_length=20, choices=PhaseStatus.choices, default=PhaseStatus.PLANNED
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["network", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="governance_phase_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """A dated milestone on the programme timeline."""

    network = models.ForeignKey(
        "members.Network", on_delete=models.CASCADE, related_name="programme_milestones"
    )
    due_on = models.DateField()
    title = models.CharField(max_length=200)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["network", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """Not done, and its date has passed."""
        return not self.done and self.due_on < timezone.localdate()
