"""Meetings of a group: agenda, papers, attendance and minutes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .groups import Group


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def for_network(self, network) -> MeetingQuerySet:
        return self.filter(group__network=network)


class Meeting(models.Model):
    """A meeting of a group."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    notes = models.TextField(
        blank=True, help_text="General minutes not tied to an agenda item"
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

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["group", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "meeting-detail",
            kwargs={"network_slug": self.group.network.slug, "meeting_pk": self.pk},
        )

    @property
    def network(self):
        return self.group.network


class AgendaItem(models.Model):
    """One item on a meeting's agenda, with its minutes."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Paper(models.Model):
    """A paper attached to an agenda item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    file = models.FileField(upload_to="governance/papers/%Y/%m/", max_length=300)
    file_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(help_text="Bytes")
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["item", "file_name"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        meeting = self.item.meeting
        return reverse(
            "paper-download",
            kwargs={
                "network_slug": meeting.group.network.slug,
                "meeting_pk": meeting.pk,
                "paper_pk": self.pk,
            },
        )


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    """Attended the meeting."""
    APOLOGIES = "apologies", "Apologies"
    """Sent apologies."""
    ABSENT = "absent", "Absent"
    """Neither attended nor sent apologies."""


class Attendance(models.Model):
    """Whether a group member attended a meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["meeting", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], name="governance_attendance_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_status_display()}"
