"""Adoption and spread: each site's status for an innovation, with its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from msknet.members.models import Organisation, OrganisationType

from .innovations import Innovation


class AdoptionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    """The site has not yet heard of it, or has not acted."""
    AWARE = "aware", "Aware"
    """The site knows about it."""
    EXPLORING = "exploring", "Exploring"
    """The site is looking at whether and how to adopt it."""
    PILOTING = "piloting", "Piloting"
    """The site is trying it out on a small scale."""
    ADOPTED = "adopted", "Adopted"
    """The site uses it as normal practice."""
    SUSTAINED = "sustained", "Sustained"
    """In use for a year or more, funded and embedded."""
    STOPPED = "stopped", "Stopped"
    """The site stopped, and recorded why."""


#: The path forward, in order; `stopped` may follow any of them.
PATH = [
    AdoptionStatus.NOT_STARTED, AdoptionStatus.AWARE, AdoptionStatus.EXPLORING,
    AdoptionStatus.PILOTING, AdoptionStatus.ADOPTED, AdoptionStatus.SUSTAINED,
]
#: Statuses that count as "in use" on the spread matrix, curve and map.
IN_USE = (AdoptionStatus.PILOTING, AdoptionStatus.ADOPTED, AdoptionStatus.SUSTAINED)

#: The kinds of organisation that can be a site.
SITE_TYPES = (
    OrganisationType.ICB, OrganisationType.NHS_TRUST, OrganisationType.PCN,
    OrganisationType.GP_PRACTICE, OrganisationType.COMMUNITY_PROVIDER,
    OrganisationType.LOCAL_AUTHORITY,
)


class Adoption(models.Model):
    """Where one site is with one innovation: the latest of its changes."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="adoptions"
    )
    site = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="adoptions"
    )
    status = models.CharField(max_length=20, choices=AdoptionStatus.choices)
    status_on = models.DateField(help_text="When the site reached this status")
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="adoption_contacts",
        help_text="The site's contacts, who keep its status up to date",
    )
    # Adoption run as a QI project: "spread to site X".
    project = models.OneToOneField(
        "improvement.QIProject", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="spread_of",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["innovation", "site__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "site"], name="innovations_adoption_once_per_site"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.innovation} at {self.site}"


class AdoptionChange(models.Model):
    """One dated change of a site's status, by whom, with a note."""

    adoption = models.ForeignKey(
        Adoption, on_delete=models.CASCADE, related_name="changes"
    )
    status_from = models.CharField(
        max_length=20, choices=AdoptionStatus.choices, blank=True
    )
    status_to = models.CharField(max_length=20, choices=AdoptionStatus.choices)
    on = models.DateField(help_text="When it happened")
    note = models.TextField(blank=True)
    reason = models.TextField(blank=True, help_text="Why the site stopped")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["adoption", "on", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status_to=AdoptionStatus.STOPPED) | ~Q(reason=""),
                name="innovations_adoptionchange_stopped_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.adoption}: {self.status_to} on {self.on}"
