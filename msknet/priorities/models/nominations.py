"""Nominations, and what members and the lead do with them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from msknet.members.models import ICB, Topic

from .rounds import Round, Term


class Decision(models.TextChoices):
    SELECTED = "selected", "Selected"
    """Chosen as one of the network's projects."""
    DEFERRED = "deferred", "Deferred"
    """Worth doing, not now: may come back in a later round."""
    DECLINED = "declined", "Declined"
    """Not taken forward; the reason is recorded."""


class NominationQuerySet(models.QuerySet["Nomination"]):
    def selected(self) -> NominationQuerySet:
        return self.filter(decision=Decision.SELECTED)

    def for_network(self, network) -> NominationQuerySet:
        return self.filter(round__network=network)


class Nomination(models.Model):
    """A proposed improvement project, put forward by a member in a round."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="nominations"
    )
    title = models.CharField(max_length=200)
    problem = models.TextField(help_text="The problem, and who it affects")
    population = models.TextField(
        help_text="The people affected: which groups, roughly how many"
    )
    icbs = models.ManyToManyField(
        ICB, blank=True, related_name="priority_nominations",
        help_text="The ICBs where the problem is found",
    )
    variation = models.TextField(help_text="The variation in care it addresses")
    benefit_access = models.TextField(help_text="Expected benefit for access")
    benefit_outcomes = models.TextField(help_text="Expected benefit for outcomes")
    benefit_experience = models.TextField(help_text="Expected benefit for experience")
    inequality = models.TextField(help_text="The health inequality it would reduce")
    term = models.CharField(max_length=10, choices=Term.choices)
    resources = models.TextField(help_text="People, time, money and data needed")
    evidence = models.TextField(blank=True, help_text="Evidence it would work")
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="priority_nominations",
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="priority_nominations",
    )
    # The lead's decision, made at a steering group meeting.
    decision = models.CharField(
        max_length=10, choices=Decision.choices, blank=True, default=""
    )
    decision_reason = models.TextField(blank=True)
    decision_meeting_on = models.DateField(null=True, blank=True)
    decision_meeting = models.ForeignKey(
        "governance.Meeting", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="priority_decisions",
        help_text="The meeting, as recorded in msknet, that made the decision",
    )
    decision_minute_reference = models.CharField(max_length=100, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
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

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["round", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "title"], name="priorities_nomination_unique_title"
            ),
            models.CheckConstraint(
                condition=~Q(decision=Decision.DECLINED) | ~Q(decision_reason=""),
                name="priorities_nomination_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(decision="", decided_at__isnull=True)
                | (~Q(decision="") & Q(decided_at__isnull=False)),
                name="priorities_nomination_decided_at_with_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "priorities-nomination",
            kwargs={
                "network_slug": self.round.network.slug,
                "round_id": self.round_id,
                "nomination_id": self.pk,
            },
        )


class Support(models.Model):
    """A member backs a nomination; withdrawing deletes the row (audit keeps it)."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="priority_supports",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "user"], name="priorities_support_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} supports {self.nomination}"


class Comment(models.Model):
    """A member's comment on a nomination."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="priority_comments",
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.nomination}"
