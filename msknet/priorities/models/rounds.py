"""Nomination rounds, their screening criteria and the network's term lengths."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from msknet.members.models import Network

#: The screening questions every new round starts with: (name, description).
DEFAULT_CRITERIA: list[tuple[str, str]] = [
    (
        "Reduces variation that causes harm or poor outcomes",
        "Tackles unwarranted variation in care that leads to harm or poor outcomes.",
    ),
    ("Important", "Matters to people with MSK conditions and to the network."),
    (
        "Adds value for access, outcomes and experience",
        "Improves access to care, outcomes, and people's experience of care.",
    ),
    ("Feasible", "Can be delivered with the resources and time the network has."),
    (
        "Reduces health inequalities",
        "Narrows gaps in access, experience or outcomes between groups.",
    ),
]


class Term(models.TextChoices):
    SHORT = "short", "Short term"
    """Delivers within the network's short-term horizon (by default under a year)."""
    MEDIUM = "medium", "Medium term"
    """Delivers within the medium-term horizon (by default 1 to 2 years)."""
    LONG = "long", "Long term"
    """Takes longer than the medium-term horizon (by default over 2 years)."""


class RoundStatus(models.TextChoices):
    UPCOMING = "upcoming", "Opens soon"
    """Before the opening date: nothing can be nominated yet."""
    OPEN = "open", "Open for nominations"
    """Members nominate, comment and support."""
    SCREENING = "screening", "Screening"
    """Nominations have closed; the panel scores them."""
    FINISHED = "finished", "Finished"
    """Screening has closed; scores are final and visible to the panel."""


class TermLengths(models.Model):
    """What short, medium and long term mean in one network, in months."""

    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="priority_terms"
    )
    short_under_months = models.PositiveSmallIntegerField(
        default=12, help_text="A short-term project delivers in under this many months"
    )
    long_over_months = models.PositiveSmallIntegerField(
        default=24, help_text="A long-term project takes over this many months"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name_plural = "term lengths"
        constraints = [
            models.CheckConstraint(
                condition=Q(short_under_months__gt=0)
                & Q(long_over_months__gte=F("short_under_months")),
                name="priorities_termlengths_short_before_long",
            ),
        ]

    def __str__(self) -> str:
        return f"Term lengths for {self.network}"

    @staticmethod
    def _months(months: int) -> str:
        if months % 12 == 0:
            years = months // 12
            return f"{years} year" if years == 1 else f"{years} years"
        return f"{months} months"

    def describe(self, term: str) -> str:
        """'under 1 year', '1 year to 2 years', 'over 2 years'."""
        short, long = self._months(self.short_under_months), self._months(
            self.long_over_months
        )
        if term == Term.SHORT:
            return f"under {short}"
        if term == Term.MEDIUM:
            return f"{short} to {long}"
        return f"over {long}"

    @property
    def descriptions(self) -> dict[str, str]:
        return {term.value: self.describe(term.value) for term in Term}


class RoundQuerySet(models.QuerySet["Round"]):
    def for_network(self, network: Network) -> RoundQuerySet:
        return self.filter(network=network)


class Round(models.Model):
    """One nomination round: members nominate, the panel screens, the lead decides."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="priority_rounds"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What the round is for")
    opens_on = models.DateField(help_text="First day members can nominate")
    closes_on = models.DateField(help_text="Last day members can nominate")
    supports_per_member = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="How many nominations each member may support in this round",
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
    # A named panel scores; with nobody named, the steering group does.
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="priority_panels"
    )
    # The lead may close nominations before closes_on.
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # After screening closes, scores are final and every panellist sees them.
    screening_closed_at = models.DateTimeField(null=True, blank=True)
    screening_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["network", "-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="priorities_round_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(score_max__gt=F("score_min")),
                name="priorities_round_scale_runs_upwards",
            ),
            models.CheckConstraint(
                condition=Q(supports_per_member__gte=1),
                name="priorities_round_at_least_one_support",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_by__isnull=True)
                | Q(closed_at__isnull=False),
                name="priorities_round_closed_by_only_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(
                    screening_closed_at__isnull=True, screening_closed_by__isnull=True
                )
                | Q(screening_closed_at__isnull=False),
                name="priorities_round_screening_closed_by_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "priorities-round",
            kwargs={"network_slug": self.network.slug, "round_id": self.pk},
        )

    def status_on(self, today: dt.date) -> RoundStatus:
        if self.screening_closed_at is not None:
            return RoundStatus.FINISHED
        if self.closed_at is not None or today > self.closes_on:
            return RoundStatus.SCREENING
        if today < self.opens_on:
            return RoundStatus.UPCOMING
        return RoundStatus.OPEN

    @property
    def status(self) -> RoundStatus:
        return self.status_on(timezone.localdate())

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def nominations_closed(self) -> bool:
        return self.status in (RoundStatus.SCREENING, RoundStatus.FINISHED)

    @property
    def screening_open(self) -> bool:
        return self.status == RoundStatus.SCREENING

    @property
    def scale(self) -> range:
        return range(self.score_min, self.score_max + 1)


class Criterion(models.Model):
    """One screening question in a round, with its weight."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    description = models.CharField(max_length=500, blank=True)
    weight = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal(10))],
        help_text="How much this question counts towards the weighted score",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "position", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "name"], name="priorities_criterion_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="priorities_criterion_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name
