"""Import runs: who loaded which file, what it changed, and what was wrong with it.

An ImportRun is also the task row for uploads checked in the background: the
upload view saves the file, creates the run `queued`, and a thread moves it
through `checking` and `saving` to `succeeded` or `failed`.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

#: A run in progress that has not reported for this long has stopped (the
#: server restarted under it).
STALLED_AFTER = timedelta(minutes=10)


class SourceKind(models.TextChoices):
    FINGERTIPS = "fingertips", "Fingertips indicator data"
    """A CSV exactly as Fingertips (OHID) exports indicator data."""
    LOCAL = "local", "Local figures"
    """msknet's own long CSV, for an ICB's service figures."""


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    """Saved; the background task has not started yet."""
    CHECKING = "checking", "Checking the file"
    """Reading and validating every row; nothing is written yet."""
    SAVING = "saving", "Saving values"
    """The file is valid; values are being written in one transaction."""
    SUCCEEDED = "succeeded", "Imported"
    """Every value was written (or was already there)."""
    FAILED = "failed", "Not imported"
    """The file had problems; nothing was written."""


IN_PROGRESS = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.SAVING)


class ImportRun(models.Model):
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who loaded the file (blank for the command line without --by)",
    )
    network = models.ForeignKey(
        "members.Network",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The network whose page the file was uploaded on",
    )
    file_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True, max_length=300)
    sha256 = models.CharField(max_length=64)
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0, help_text="Data rows in the file")
    progress = models.PositiveIntegerField(default=0, help_text="Rows checked so far")
    rows_read = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_removed = models.PositiveIntegerField(
        default=0, help_text="Values of the file's periods that the file no longer has"
    )
    changes = models.JSONField(
        default=list, blank=True, help_text="Per indicator, area type and period"
    )
    errors = models.JSONField(
        default=list, blank=True, help_text="Problems: row, field, message"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_kind__in=SourceKind.values),
                name="%(app_label)s_%(class)s_source_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True, status__in=IN_PROGRESS)
                | Q(
                    finished_at__isnull=False,
                    status__in=[ImportStatus.SUCCEEDED, ImportStatus.FAILED],
                ),
                name="%(app_label)s_%(class)s_finished_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str | None:
        if self.network is None:
            return None
        return reverse("insights-import-status", args=[self.network.slug, self.pk])

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def stalled(self) -> bool:
        """In progress, but silent for so long that it must have stopped."""
        return self.in_progress and timezone.now() - self.updated_at > STALLED_AFTER
