"""Strategic priorities: what the network is aligned to, grouped by source.

Not to be confused with nomination rounds (the rest of this app): these are
the national programmes, the ICBs' own priorities and the network's own
objectives that nominations, QI projects (and later innovations) serve.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from msknet.core.models import audit_types
from msknet.members.models import ICB, Network


class Source(models.TextChoices):
    NATIONAL = "national", "National"
    """National programmes: the NHS Long Term Plan, Best MSK Health, NHS England."""
    ICB = "icb", "ICB"
    """One of the network's integrated care boards' own priorities."""
    NETWORK = "network", "Network objective"
    """The network's own medium and long-term objectives."""


class Horizon(models.TextChoices):
    SHORT = "short", "Short term"
    """An objective the network means to meet soon."""
    MEDIUM = "medium", "Medium term"
    """An objective for the next year or two."""
    LONG = "long", "Long term"
    """An objective the network works towards over years."""


@audit_types
class StrategicPriorityEvent(models.TextChoices):
    ADDED = "strategic_priority_added", "Strategic priority added"
    """A lead added a priority the network is aligned to."""
    UPDATED = "strategic_priority_updated", "Strategic priority changed"
    """A lead changed a priority's wording, source or link."""
    RETIRED = "strategic_priority_retired", "Strategic priority retired"
    """A lead retired a priority; what it was linked to stays linked."""
    REINSTATED = "strategic_priority_reinstated", "Strategic priority reinstated"
    """A lead brought a retired priority back."""
    MOVED = "strategic_priority_moved", "Strategic priority moved"
    """A lead moved a priority up or down within its source."""


https_only = URLValidator(schemes=["https"], message="Enter an address starting https://")


class StrategicPriorityQuerySet(models.QuerySet["StrategicPriority"]):
    def for_network(self, network: Network) -> StrategicPriorityQuerySet:
        return self.filter(network=network)

    def active(self) -> StrategicPriorityQuerySet:
        return self.filter(retired_at__isnull=True)

    def retired(self) -> StrategicPriorityQuerySet:
        return self.filter(retired_at__isnull=False)


SOURCE_ORDER = [Source.NATIONAL, Source.ICB, Source.NETWORK]


class StrategicPriority(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="strategic_priorities"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    icb = models.ForeignKey(
        ICB, on_delete=models.PROTECT, null=True, blank=True,
        related_name="strategic_priorities", verbose_name="ICB",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    reference_url = models.URLField(
        "Reference link", blank=True, max_length=500, validators=[https_only]
    )
    horizon = models.CharField(max_length=8, choices=Horizon.choices, blank=True)
    position = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    # What serves the priority. Declared here so that tagging lives with the
    # priorities; each tagged thing reads its own as `.serves`.
    nominations = models.ManyToManyField(
        "priorities.Nomination", blank=True, related_name="serves"
    )
    qi_projects = models.ManyToManyField(
        "improvement.QIProject", blank=True, related_name="serves"
    )
    innovations = models.ManyToManyField(
        "innovations.Innovation", blank=True, related_name="serves"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = StrategicPriorityQuerySet.as_manager()

    class Meta:
        ordering = ["source", "icb__name", "position", "pk"]
        verbose_name_plural = "strategic priorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(source=Source.ICB, icb__isnull=False)
                | (~Q(source=Source.ICB) & Q(icb__isnull=True)),
                name="%(app_label)s_%(class)s_icb_only_for_icb_source",
            ),
            models.CheckConstraint(
                condition=Q(source=Source.NETWORK) | Q(horizon=""),
                name="%(app_label)s_%(class)s_horizon_only_for_objectives",
            ),
            models.CheckConstraint(
                condition=Q(source__in=Source.values),
                name="%(app_label)s_%(class)s_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(horizon__in=[*Horizon.values, ""]),
                name="%(app_label)s_%(class)s_horizon_valid",
            ),
            models.CheckConstraint(
                condition=Q(reference_url="") | Q(reference_url__startswith="https://"),
                name="%(app_label)s_%(class)s_reference_url_https",
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="%(app_label)s_%(class)s_title_not_empty",
            ),
            # Who retired a priority may since have left (SET_NULL), so only
            # "retired by someone" requires "retired at".
            models.CheckConstraint(
                condition=Q(retired_by__isnull=True) | Q(retired_at__isnull=False),
                name="%(app_label)s_%(class)s_retired_by_needs_retired_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategic-priorities", args=[self.network.slug]) + (
            f"#priority-{self.pk}"
        )

    def get_coverage_url(self) -> str:
        return reverse("strategic-priorities-coverage", args=[self.network.slug]) + (
            f"#priority-{self.pk}"
        )

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def source_label(self) -> str:
        if self.source == Source.ICB and self.icb is not None:
            return self.icb.short_name
        return Source(self.source).label
