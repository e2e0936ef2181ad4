"""Groups: the steering group and topic subgroups of a network."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class GroupKind(models.TextChoices):
    STEERING = "steering", "Steering group"
    """Oversees the network; one per network."""
    SUBGROUP = "subgroup", "Topic subgroup"
    """Works on one topic, such as a pathway, and reports to the steering group."""


class GroupRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    """Runs the group's meetings; one per group."""
    VICE_CHAIR = "vice_chair", "Vice chair"
    """Stands in for the chair."""
    MEMBER = "member", "Member"
    """A member of the group."""


class GroupQuerySet(models.QuerySet["Group"]):
    def for_network(self, network) -> GroupQuerySet:
        return self.filter(network=network)


class Group(models.Model):
    """A group within a network, with its purpose and members."""

    network = models.ForeignKey(
        "members.Network", on_delete=models.CASCADE, related_name="groups"
    )
    kind = models.CharField(
        max_length=20, choices=GroupKind.choices, default=GroupKind.SUBGROUP
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60)
    purpose = models.TextField(help_text="What the group is for, in a few sentences")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="GroupMembership",
        through_fields=("group", "user"),
        related_name="governance_groups",
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

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["network", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "slug"], name="governance_group_unique_slug"
            ),
            models.UniqueConstraint(
                fields=["network", "name"], name="governance_group_unique_name"
            ),
            models.UniqueConstraint(
                fields=["network"],
                condition=Q(kind="steering"),
                name="governance_group_one_steering_group",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "group-detail",
            kwargs={"network_slug": self.network.slug, "group_slug": self.slug},
        )

    @property
    def is_steering(self) -> bool:
        return self.kind == GroupKind.STEERING

    @property
    def chair(self):
        """The chair (a user), or None."""
        for membership in self.memberships.all():
            if membership.role == GroupRole.CHAIR:
                return membership.user
        return None

    def is_chair(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return self.memberships.filter(user=user, role=GroupRole.CHAIR).exists()


class GroupMembership(models.Model):
    """A network member's place in a group."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_memberships",
    )
    role = models.CharField(
        max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["group", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], name="governance_groupmembership_once"
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(role="chair"),
                name="governance_groupmembership_one_chair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"
