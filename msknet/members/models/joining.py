from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .memberships import Leadership, Profession, Role, Sector
from .networks import Network, Topic
from .organisations import Organisation
from .reference import ICB

INVITATION_LIFETIME = timedelta(days=28)


class JoinRequest(models.Model):
    """Someone asking to join a network through the open form."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        """Submitted; a lead has not decided yet."""
        APPROVED = "approved", "Approved"
        """A lead approved it and the membership exists."""
        DECLINED = "declined", "Declined"
        """A lead declined it, with a reason sent to the person."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="join_requests"
    )
    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    profession = models.CharField(max_length=30, choices=Profession.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation_other = models.CharField(max_length=200, blank=True)
    icb = models.ForeignKey(
        ICB, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interests = models.ManyToManyField(Topic, blank=True, related_name="+")
    leadership = models.CharField(
        max_length=20, choices=Leadership.choices, default=Leadership.NOT_NOW
    )
    reason = models.TextField(blank=True, help_text="Why they want to join")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="join_requests",
        help_text="The account, once approved",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "email"],
                condition=Q(status="pending"),
                name="members_joinrequest_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | ~Q(status="pending") & Q(decided_at__isnull=False),
                name="members_joinrequest_decided_at_with_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} asks to join {self.network.short_name}"

    @property
    def organisation_display(self) -> str:
        return self.organisation.name if self.organisation else self.organisation_other


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )


class Invitation(models.Model):
    """A lead's invitation, by email, to join a network."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        """Sent and still valid."""
        ACCEPTED = "accepted", "Accepted"
        """The person accepted and is a member."""
        EXPIRED = "expired", "Expired"
        """Not accepted within 28 days of the last send."""
        REVOKED = "revoked", "Withdrawn"
        """Withdrawn by a lead."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_sent_at = models.DateTimeField(default=timezone.now)
    send_count = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True, accepted_by__isnull=True)
                | Q(accepted_at__isnull=False, accepted_by__isnull=False),
                name="members_invitation_accepted_at_and_by_together",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="members_invitation_revoked_at_and_by_together",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.network.short_name}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.OPEN

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
