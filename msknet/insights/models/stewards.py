"""Data stewards: the deployment-level role that looks after shared indicators.

Shared public indicators (Fingertips, and any loaded from the command line)
are the same for every network hosted here, so no one network's lead may
change their details: a data steward does. A network's own local indicators
belong to it, and its leads change them. See
docs/decisions/0009-indicator-ownership.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from msknet.core.models import audit_types


@audit_types
class InsightsAudit(models.TextChoices):
    STEWARD_ADDED = "data_steward_added", "Made a data steward"
    """Someone with shell access made a person a data steward."""
    STEWARD_REMOVED = "data_steward_removed", "No longer a data steward"
    """Someone with shell access removed a person's data steward role."""


class DataSteward(models.Model):
    """A person who may change the details of shared public indicators."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_steward"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who made them a steward (blank: the command line without --by)",
    )

    def __str__(self) -> str:
        return str(self.user)
