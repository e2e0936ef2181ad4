from django.db import models

from .reference import ICB, Region


class OrganisationType(models.TextChoices):
    ICB = "icb", "Integrated care board"
    """A statutory ICB."""
    NHS_TRUST = "nhs_trust", "NHS trust"
    """An acute, community or mental health NHS trust or foundation trust."""
    GP_PRACTICE = "gp_practice", "GP practice"
    """A general practice."""
    PCN = "pcn", "Primary care network"
    """A primary care network."""
    COMMUNITY_PROVIDER = "community_provider", "Community provider"
    """A community services provider that is not an NHS trust."""
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    """A council, including its public health team."""
    HEALTH_INNOVATION_NETWORK = "hin", "Health Innovation Network"
    """One of the regional Health Innovation Networks."""
    UNIVERSITY = "university", "University"
    """A university or research institute."""
    VOLUNTARY = "voluntary", "Voluntary or third sector"
    """A charity, patient group or social enterprise."""
    EMPLOYER = "employer", "Employer"
    """An employer, for work and health partnerships."""
    OTHER = "other", "Other"
    """Anything else."""


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=30, choices=OrganisationType.choices)
    ods_code = models.CharField(
        max_length=10, null=True, blank=True, unique=True, help_text="ODS code, if any"
    )
    icb = models.ForeignKey(
        ICB, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "type"], name="members_organisation_unique_name_type"
            )
        ]

    def __str__(self) -> str:
        return self.name
