"""Screening: each panellist's scorecard for a nomination, one score per criterion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .nominations import Nomination
from .rounds import Criterion


class Scorecard(models.Model):
    """One panellist's scores for one nomination, submitted together."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="scorecards"
    )
    panellist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="priority_scorecards",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nomination", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "panellist"],
                name="priorities_scorecard_one_per_panellist",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panellist} on {self.nomination}"


class Score(models.Model):
    """A score on one criterion, on the round's scale, with the panellist's reason."""

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores"
    )
    value = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["scorecard", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"], name="priorities_score_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
