"""Areas that indicator values describe: England, NHS regions, ICBs and finer."""

from __future__ import annotations

from django.db import models


class AreaType(models.TextChoices):
    ENGLAND = "england", "England"
    """The whole country: the national benchmark."""
    REGION = "region", "NHS England region"
    """One of the 7 NHS England regions."""
    ICB = "icb", "Integrated care board"
    """One of the 42 integrated care boards."""
    SUB_ICB = "sub_icb", "Sub-ICB location"
    """A sub-ICB location (the former CCG footprints)."""
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    """A county, unitary authority or district."""
    GP_PRACTICE = "gp_practice", "GP practice"
    """A GP practice, named by its ODS code."""


class AreaQuerySet(models.QuerySet["Area"]):
    def of_type(self, area_type: str) -> AreaQuerySet:
        return self.filter(area_type=area_type)


class Area(models.Model):
    code = models.CharField(
        max_length=12, unique=True, help_text="ONS code (E92…, E40…, E54…) or ODS code"
    )
    name = models.CharField(max_length=200)
    area_type = models.CharField(max_length=20, choices=AreaType.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    icb = models.OneToOneField(
        "members.ICB",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="area",
    )
    region = models.OneToOneField(
        "members.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="area",
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area_type__in=AreaType.values),
                name="%(app_label)s_%(class)s_area_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(icb__isnull=True) | models.Q(area_type=AreaType.ICB),
                name="%(app_label)s_%(class)s_icb_link_only_for_icbs",
            ),
            models.CheckConstraint(
                condition=models.Q(region__isnull=True)
                | models.Q(area_type=AreaType.REGION),
                name="%(app_label)s_%(class)s_region_link_only_for_regions",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return self.icb.short_name if self.icb_id and self.icb else self.name


class AreaPopulation(models.Model):
    """An area's resident population in one year (for example the ONS mid-year
    estimate), the denominator for rates per 100,000 such as workforce."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    persons = models.PositiveIntegerField()
    source = models.CharField(
        max_length=200, help_text="Where the figure comes from, for example "
        "'ONS mid-2023 population estimates for ICBs'",
    )

    class Meta:
        ordering = ["area", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year"], name="insights_areapopulation_once_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(persons__gt=0), name="insights_areapopulation_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.persons:,} in {self.year}"
