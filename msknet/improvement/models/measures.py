"""A project's measures, their data points and recorded rebases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .projects import QIProject


class MeasureKind(models.TextChoices):
    OUTCOME = "outcome", "Outcome measure"
    """Is the aim being met: the result for people and services."""
    PROCESS = "process", "Process measure"
    """Are the changes happening as planned."""
    BALANCING = "balancing", "Balancing measure"
    """Is the change causing problems elsewhere."""


class Direction(models.TextChoices):
    INCREASE = "increase", "Higher is better (aim to increase)"
    """Improvement shows as higher values."""
    DECREASE = "decrease", "Lower is better (aim to decrease)"
    """Improvement shows as lower values."""


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    """A value for each week."""
    MONTHLY = "monthly", "Monthly"
    """A value for each calendar month."""
    QUARTERLY = "quarterly", "Quarterly"
    """A value for each quarter of the year."""
    ANNUALLY = "annually", "Yearly"
    """A value for each year."""


class Measure(models.Model):
    """One measure of a project, drawn as an SPC chart."""

    project = models.ForeignKey(QIProject, on_delete=models.CASCADE,
                                related_name="measures")
    kind = models.CharField(max_length=20, choices=MeasureKind.choices)
    name = models.CharField(max_length=200)
    definition = models.TextField(
        help_text="What is counted and how: numerator, denominator, source, "
        "inclusions and exclusions")
    unit = models.CharField(max_length=40, blank=True)
    improvement = models.CharField(max_length=10, choices=Direction.choices)
    target = models.FloatField(null=True, blank=True)
    frequency = models.CharField(
        max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY,
        help_text="How often a new value is due")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="owned_qi_measures",
        help_text="Who keeps the data up to date; told when a value is overdue")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"],
                                    name="improvement_measure_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return MeasureKind(self.kind).label

    @property
    def heading(self) -> str:
        return f"Value ({self.unit})" if self.unit else "Value"


class DataPoint(models.Model):
    """One period's value of a measure, overall or for one deprivation quintile."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE,
                                related_name="points")
    period = models.DateField(help_text="The start of the period, such as a month")
    value = models.FloatField()
    quintile = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="IMD deprivation quintile: 1 most deprived, 5 least")
    annotation = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["measure", "period", "quintile"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period"], condition=Q(quintile__isnull=True),
                name="improvement_datapoint_one_overall_per_period"),
            models.UniqueConstraint(
                fields=["measure", "period", "quintile"],
                condition=Q(quintile__isnull=False),
                name="improvement_datapoint_one_per_quintile_period"),
            models.CheckConstraint(
                condition=Q(quintile__isnull=True)
                | Q(quintile__gte=1, quintile__lte=5),
                name="improvement_datapoint_quintile_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period}: {self.value}"


class Rebase(models.Model):
    """The process limits recalculated from a period, and why."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE,
                                related_name="rebases")
    period = models.DateField(help_text="New limits start with this period")
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"],
                                    name="improvement_rebase_once_per_period"),
            models.CheckConstraint(condition=~Q(reason=""),
                                   name="improvement_rebase_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} rebased from {self.period}"
