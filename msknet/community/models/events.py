import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from msknet.members.models import Network

from .common import Visibility, upload_path


class EventKind(models.TextChoices):
    COMMUNITY_OF_PRACTICE = "community_of_practice", "Community of practice meeting"
    """The network's regular meeting of everyone working on a theme."""
    WEBINAR = "webinar", "Webinar"
    """An online talk with questions."""
    REGIONAL = "regional", "Regional event"
    """An in-person event for the region, such as a back pain event."""
    WORKSHOP = "workshop", "Workshop"
    """A hands-on session: quality improvement, co-production, data."""
    OTHER = "other", "Other"
    """Anything else."""


class EventQuerySet(models.QuerySet["Event"]):
    def for_network(self, network: Network) -> "EventQuerySet":
        return self.filter(network=network)

    def public(self) -> "EventQuerySet":
        return self.filter(visibility=Visibility.PUBLIC)

    def upcoming(self, now: datetime | None = None) -> "EventQuerySet":
        """Not yet finished, soonest first."""
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now: datetime | None = None) -> "EventQuerySet":
        """Finished, most recent first."""
        return self.filter(ends_at__lte=now or timezone.now()).order_by(
            "-starts_at", "-pk"
        )

    def with_counts(self) -> "EventQuerySet":
        return self.annotate(
            registered_count=models.Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.REGISTERED),
            ),
            waiting_count=models.Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.WAITING),
            ),
        )


class Event(models.Model):
    """A community of practice meeting, webinar or regional event."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="events")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    description = models.TextField(help_text="What the event is for and who should come")
    starts_at = models.DateTimeField("Starts")
    ends_at = models.DateTimeField("Ends")
    place = models.CharField(
        max_length=300, blank=True, help_text="The venue's name and address"
    )
    online_url = models.URLField(
        "Online joining link", max_length=500, blank=True,
        help_text="Shown only to people registered for the event",
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True,
        help_text="Places available; leave empty for no limit. When it is full, "
        "people join a waiting list.",
    )
    visibility = models.CharField(
        "Who can see it", max_length=10, choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="organised_events",
    )
    # Increases with every change, so calendars replace their copy (RFC 5545).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["network", "starts_at"], name="community_event_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="community_event_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="community_event_capacity_positive",
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""),
                name="community_event_has_place_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("event-detail", args=[self.network.slug, self.pk])

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    def has_started(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def has_finished(self, now: datetime | None = None) -> bool:
        return self.ends_at <= (now or timezone.now())

    @property
    def where(self) -> str:
        if self.place and self.online_url:
            return f"{self.place}, and online"
        return self.place or "Online"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    """Has a place."""
    WAITING = "waiting", "On the waiting list"
    """The event was full; offered the next place that comes free."""
    CANCELLED = "cancelled", "Cancelled"
    """Gave up their place or left the waiting list."""


class Attendance(models.TextChoices):
    NOT_RECORDED = "not_recorded", "Not recorded"
    """Nobody has recorded attendance yet."""
    ATTENDED = "attended", "Attended"
    """Came to the event."""
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    """Had a place but did not come."""


class Registration(models.Model):
    """One person's place (or place in the queue) at one event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices)
    # When they last asked for a place: orders the waiting list.
    queued_at = models.DateTimeField(default=timezone.now)
    registered_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(
        max_length=16, choices=Attendance.choices, default=Attendance.NOT_RECORDED
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "queued_at", "pk"]
        indexes = [
            models.Index(fields=["event", "status", "queued_at"],
                         name="community_registration_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], name="community_registration_once_per_event"
            ),
            models.CheckConstraint(
                condition=Q(status=RegistrationStatus.CANCELLED, cancelled_at__isnull=False)
                | (~Q(status=RegistrationStatus.CANCELLED) & Q(cancelled_at__isnull=True)),
                name="community_registration_cancelled_at_when_cancelled",
            ),
            models.CheckConstraint(
                condition=Q(status=RegistrationStatus.REGISTERED, registered_at__isnull=False)
                | ~Q(status=RegistrationStatus.REGISTERED),
                name="community_registration_registered_at_when_registered",
            ),
            models.CheckConstraint(
                condition=Q(attendance_recorded_at__isnull=True,
                            attendance=Attendance.NOT_RECORDED)
                | Q(attendance_recorded_at__isnull=False),
                name="community_registration_attendance_recorded_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.event}"

    @property
    def is_registered(self) -> bool:
        return self.status == RegistrationStatus.REGISTERED

    @property
    def is_waiting(self) -> bool:
        return self.status == RegistrationStatus.WAITING

    def waiting_position(self) -> int | None:
        """1 for the first on the waiting list; None when not waiting."""
        if not self.is_waiting:
            return None
        ahead = Registration.objects.filter(
            event_id=self.event_id, status=RegistrationStatus.WAITING
        ).filter(Q(queued_at__lt=self.queued_at) | Q(queued_at=self.queued_at, pk__lt=self.pk))
        return ahead.count() + 1


class MaterialKind(models.TextChoices):
    SLIDES = "slides", "Slides"
    """The presentation used on the day."""
    RECORDING = "recording", "Recording"
    """A link to the recording."""
    NOTES = "notes", "Notes or summary"
    """Notes, a summary or questions and answers."""
    OTHER = "other", "Other"
    """Anything else shared after the event."""


class EventMaterial(models.Model):
    """Slides, a recording or notes attached to an event afterwards."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(max_length=12, choices=MaterialKind.choices)
    title = models.CharField(max_length=200)
    url = models.URLField("Link", max_length=500, blank=True)
    file = models.FileField(upload_to=upload_path, max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["event", "kind", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="community_material_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title
