"""Indicators and their values: what is measured, for which area and period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class ValueType(models.TextChoices):
    PROPORTION = "proportion", "Proportion"
    """x out of n, times the multiplier (100 for a percentage): Wilson limits."""
    RATE = "rate", "Rate"
    """Events per population, times the multiplier: exact or Byar's limits."""
    RATIO = "ratio", "Ratio"
    """A ratio such as an indirectly standardised ratio: limits as given."""
    MEAN = "mean", "Mean"
    """An average of individual values: limits as given."""
    UNKNOWN = "unknown", "Not known"
    """Imported without metadata and not inferable: limits are never computed."""


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
    """Fingertips "RAG - High is good"."""
    LOWER_IS_BETTER = "lower_is_better", "Lower is better"
    """Fingertips "RAG - Low is good"."""
    NO_JUDGEMENT = "no_judgement", "No judgement"
    """Fingertips "BOB" and others: values are higher or lower, not better."""


class PeriodType(models.TextChoices):
    ANNUAL = "annual", "Calendar year"
    """January to December, written 2023."""
    FINANCIAL_YEAR = "financial_year", "Financial year"
    """April to March, written 2022/23."""
    ROLLING_3_YEAR = "rolling_3_year", "3-year rolling"
    """Three years pooled, written 2020 - 22 or 2019/20 - 21/22."""
    QUARTERLY = "quarterly", "Quarterly"
    """A quarter, written 2022/23 Q1 (April to June 2022) or 2023 Q1."""
    MONTHLY = "monthly", "Monthly"
    """A month, written 2023-04 or Apr 2023."""
    OTHER = "other", "Other"
    """A period shape not listed here."""


class Indicator(models.Model):
    fingertips_id = models.PositiveIntegerField(
        null=True, blank=True, unique=True, help_text="Fingertips indicator ID"
    )
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=40, blank=True, help_text='e.g. "%"')
    value_type = models.CharField(max_length=20, choices=ValueType.choices)
    multiplier = models.FloatField(
        default=1, help_text="100 for a percentage, 100000 for a rate per 100,000"
    )
    polarity = models.CharField(
        max_length=20, choices=Polarity.choices, default=Polarity.NO_JUDGEMENT
    )
    source = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=300, blank=True)
    period_type = models.CharField(
        max_length=20, choices=PeriodType.choices, default=PeriodType.OTHER
    )
    network = models.ForeignKey(
        "members.Network",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="local_indicators",
        help_text="The network whose own local indicator this is (its leads change "
        "its details); blank for a shared public indicator, which only a data "
        "steward changes",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last changed the indicator's details (blank: an import)",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_type__in=ValueType.values),
                name="%(app_label)s_%(class)s_value_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(polarity__in=Polarity.values),
                name="%(app_label)s_%(class)s_polarity_valid",
            ),
            models.CheckConstraint(
                condition=Q(period_type__in=PeriodType.values),
                name="%(app_label)s_%(class)s_period_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(multiplier__gt=0),
                name="%(app_label)s_%(class)s_multiplier_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values"
    )
    area = models.ForeignKey("insights.Area", on_delete=models.PROTECT,
                             related_name="values")
    period = models.CharField(max_length=40, help_text='As published, e.g. "2022/23"')
    period_sortable = models.BigIntegerField(
        help_text="Fingertips' sortable form: year × 10000 + quarter × 100 + month"
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=20, default="Persons")
    age = models.CharField(max_length=40, default="All ages")
    category_type = models.CharField(
        max_length=200, blank=True, help_text="Blank for the main (all people) rows"
    )
    category = models.CharField(max_length=200, blank=True)
    value = models.FloatField(null=True, blank=True)
    lower_95 = models.FloatField(null=True, blank=True)
    upper_95 = models.FloatField(null=True, blank=True)
    lower_998 = models.FloatField(null=True, blank=True)
    upper_998 = models.FloatField(null=True, blank=True)
    count = models.FloatField(null=True, blank=True, help_text="Numerator")
    denominator = models.FloatField(null=True, blank=True)
    value_note = models.CharField(max_length=300, blank=True)
    limits_computed = models.BooleanField(
        default=False, help_text="Limits computed by msknet from count and denominator"
    )
    import_run = models.ForeignKey(
        "insights.ImportRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The import that last wrote this value",
    )

    class Meta:
        ordering = ["indicator", "period_sortable", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "indicator",
                    "area",
                    "period",
                    "sex",
                    "age",
                    "category_type",
                    "category",
                ],
                name="%(app_label)s_%(class)s_one_value_per_breakdown",
            ),
            models.CheckConstraint(
                condition=Q(category_type="", category="")
                | (~Q(category_type="") & ~Q(category="")),
                name="%(app_label)s_%(class)s_category_with_its_type",
            ),
            models.CheckConstraint(
                condition=Q(lower_95__isnull=True)
                | Q(upper_95__isnull=True)
                | Q(lower_95__lte=F("upper_95")),
                name="%(app_label)s_%(class)s_95_limits_in_order",
            ),
            models.CheckConstraint(
                condition=Q(lower_998__isnull=True)
                | Q(upper_998__isnull=True)
                | Q(lower_998__lte=F("upper_998")),
                name="%(app_label)s_%(class)s_998_limits_in_order",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True, period_end__isnull=True)
                | Q(
                    period_start__isnull=False,
                    period_end__isnull=False,
                    period_start__lte=F("period_end"),
                ),
                name="%(app_label)s_%(class)s_period_dates_together_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "period_sortable"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.area} – {self.period}"
