"""Screening innovations: the network's criteria, its panel, and panellists' scores.

The same machinery as nomination rounds (a named panel, weighted criteria on
a labelled scale, scores hidden from each panellist until they have scored,
ranking with spread from `msknet.analytics.prioritisation`), kept per network
because innovations arrive one at a time rather than in rounds.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from msknet.members.models import Network

from .innovations import Innovation

#: The criteria a network's innovation screening starts with: (name, description).
DEFAULT_CRITERIA: list[tuple[str, str]] = [
    ("Strength of evidence",
     "How good the evidence is that it works, and works in settings like ours."),
    ("Fit with the network's priorities",
     "Serves the national, ICB and network priorities the network is aligned to."),
    ("Expected benefit for access, outcomes and experience",
     "Improves access to care, outcomes, and people's experience of care."),
    ("Effect on inequalities",
     "Narrows gaps in access, experience or outcomes between groups."),
    ("Affordability", "Can be afforded within the budgets of the sites adopting it."),
    ("Ease of adoption",
     "Sites can adopt it with the staff, skills, systems and time they have."),
]


class ScreeningPanel(models.Model):
    """A network's innovation screening: its scale, and the named panel.

    With nobody named, the steering group and leads score.
    """

    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="innovation_screening"
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="innovation_panels"
    )
    score_min = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(10)], help_text="Lowest score"
    )
    score_max = models.PositiveSmallIntegerField(
        default=5, validators=[MaxValueValidator(10)], help_text="Highest score"
    )
    score_min_label = models.CharField(
        max_length=60, default="Does not meet the criterion"
    )
    score_max_label = models.CharField(
        max_length=60, default="Fully meets the criterion"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score_max__gt=F("score_min")),
                name="innovations_screeningpanel_scale_runs_upwards",
            ),
        ]

    def __str__(self) -> str:
        return f"Innovation screening for {self.network}"

    @property
    def scale(self) -> range:
        return range(self.score_min, self.score_max + 1)


class Criterion(models.Model):
    """One screening question for the network's innovations, with its weight."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="innovation_criteria"
    )
    name = models.CharField(max_length=200)
    description = models.CharField(max_length=500, blank=True)
    weight = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal(10))],
        help_text="How much this question counts towards the weighted score",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["network", "position", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["network", "name"], name="innovations_criterion_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="innovations_criterion_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Scorecard(models.Model):
    """One panellist's scores for one innovation, submitted together."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="scorecards"
    )
    panellist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
        related_name="innovation_scorecards",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["innovation", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "panellist"],
                name="innovations_scorecard_one_per_panellist",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panellist} on {self.innovation}"


class Score(models.Model):
    """A score on one criterion, with the panellist's reason."""

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores"
    )
    value = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["scorecard", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"], name="innovations_score_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
