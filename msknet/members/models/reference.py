"""NHS reference geography: the 7 NHS England regions and the 42 ICBs.

Loaded by a data migration from `msknet/members/data/` (see its README for
sources and validity dates).
"""

from django.db import models


class Region(models.Model):
    code = models.CharField(max_length=3, unique=True, help_text="NHS England Y-code")
    ons_code = models.CharField(max_length=9, unique=True, help_text="ONS E40 code")
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ICB(models.Model):
    ods_code = models.CharField(max_length=3, unique=True)
    ons_code = models.CharField(max_length=9, unique=True, help_text="ONS E54 code")
    name = models.CharField(max_length=200, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="icbs")

    class Meta:
        ordering = ["name"]
        verbose_name = "ICB"
        verbose_name_plural = "ICBs"

    def __str__(self) -> str:
        return self.short_name

    @property
    def short_name(self) -> str:
        """'NHS North East and North Cumbria Integrated Care Board' → the middle."""
        name = self.name.removeprefix("NHS ")
        return name.removesuffix(" Integrated Care Board")
