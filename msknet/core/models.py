from typing import TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone

ChoicesT = TypeVar("ChoicesT", bound=type[models.TextChoices])

#: Every audit event type's label, from each app's own TextChoices.
AUDIT_TYPE_LABELS: dict[str, str] = {}


def audit_types(choices: ChoicesT) -> ChoicesT:
    """Register an app's audit event types (a TextChoices class) by value."""
    for value, label in choices.choices:
        if AUDIT_TYPE_LABELS.get(value, label) != label:
            raise ValueError(f"Audit event type {value!r} is registered twice")
        AUDIT_TYPE_LABELS[value] = label
    return choices


class AuditEvent(models.Model):
    """Who did what, when: written by actions, never by views."""

    @audit_types
    class Type(models.TextChoices):
        JOIN_REQUESTED = "join_requested", "Asked to join"
        """Someone used the open join form."""
        JOIN_APPROVED = "join_approved", "Join request approved"
        """A lead approved a join request."""
        JOIN_DECLINED = "join_declined", "Join request declined"
        """A lead declined a join request."""
        INVITATION_SENT = "invitation_sent", "Invitation sent"
        """A lead invited someone."""
        INVITATION_RESENT = "invitation_resent", "Invitation re-sent"
        """A lead re-sent an invitation with a new link."""
        INVITATION_REVOKED = "invitation_revoked", "Invitation withdrawn"
        """A lead withdrew an invitation."""
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        """The invited person joined."""
        MEMBERSHIP_UPDATED = "membership_updated", "Membership details changed"
        """A member changed their details or what they share."""
        ROLE_CHANGED = "role_changed", "Role changed"
        """A lead changed a member's role."""
        MEMBER_LEFT = "member_left", "Left the network"
        """A member left a network."""
        ACCOUNT_UPDATED = "account_updated", "Account details changed"
        """A person changed their own details."""
        ACCOUNT_EXPORTED = "account_exported", "Personal data downloaded"
        """A person downloaded everything held about them."""
        ACCOUNT_ERASED = "account_erased", "Account deleted"
        """A person deleted their account; contributions stay as former member."""
        SIGNED_IN_SSO = "signed_in_sso", "Signed in with single sign-on"
        """A person signed in through the organisation's identity provider."""
        ACCOUNT_CREATED_SSO = "account_created_sso", "Account created at sign-on"
        """A first single sign-on with a verified, unknown email made an account."""
        TOKEN_CREATED = "token_created", "API token created"
        """A member created an API token."""
        TOKEN_REVOKED = "token_revoked", "API token revoked"
        """A member revoked an API token."""
        NETWORK_UPDATED = "network_updated", "Network details changed"
        """A lead changed the network's about page."""
        TWO_FACTOR_ADDED = "two_factor_added", "Two-factor authentication set up"
        """A person added an authenticator app and got recovery codes."""
        TWO_FACTOR_REMOVED = "two_factor_removed", "Two-factor authentication off"
        """A person removed their authenticator app and recovery codes."""
        RECOVERY_CODES_REPLACED = "recovery_codes_replaced", "New recovery codes"
        """A person made new recovery codes; the old ones no longer work."""
        RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
        """A person signed in with one of their recovery codes."""
        TWO_FACTOR_CODE_FAILED = "two_factor_code_failed", "Wrong security code"
        """Someone entered a wrong code for the person's account."""

    # Each app registers its own types with `audit_types`; `audit.record`
    # refuses a type nobody registered.
    type = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    network = models.ForeignKey(
        "members.Network",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.type_label} ({self.target_type} {self.target_id})"

    @property
    def type_label(self) -> str:
        return AUDIT_TYPE_LABELS.get(self.type, self.type)
