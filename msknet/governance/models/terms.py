"""Terms of reference: a numbered, versioned document per group."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .groups import Group


class TermsStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    """Being written; the chair and leads may still change it."""
    APPROVED = "approved", "Approved"
    """Approved by a named group on a date; no longer editable."""


class TermsOfReference(models.Model):
    """One version of a group's terms of reference."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="terms_versions"
    )
    number = models.PositiveIntegerField(help_text="Version 1, 2, 3 ...")
    status = models.CharField(
        max_length=20, choices=TermsStatus.choices, default=TermsStatus.DRAFT
    )
    text = models.TextField(
        help_text="Purpose, membership, quorum, frequency and reporting"
    )
    change_summary = models.CharField(
        max_length=300, blank=True, help_text="What changed from the last version"
    )
    approved_on = models.DateField(null=True, blank=True)
    approved_by_group = models.CharField(
        max_length=200,
        blank=True,
        help_text="The group that approved this version, by name",
    )
    approval_recorded_at = models.DateTimeField(null=True, blank=True)
    approval_recorded_by = models.ForeignKey(
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

    class Meta:
        ordering = ["group", "-number"]
        verbose_name = "terms of reference version"
        constraints = [
            models.UniqueConstraint(
                fields=["group", "number"], name="governance_terms_unique_number"
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(status="draft"),
                name="governance_terms_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(
                    status="draft",
                    approved_on__isnull=True,
                    approval_recorded_at__isnull=True,
                )
                | Q(
                    status="approved",
                    approved_on__isnull=False,
                    approval_recorded_at__isnull=False,
                ),
                name="governance_terms_approved_on_and_at_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} terms of reference v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "terms-detail",
            kwargs={
                "network_slug": self.group.network.slug,
                "group_slug": self.group.slug,
                "number": self.number,
            },
        )

    @property
    def is_draft(self) -> bool:
        return self.status == TermsStatus.DRAFT
