"""Inviting people to a network by email, and accepting an invitation.

Only the sha256 of an invitation's token is stored: the token itself is in
the emailed link and nowhere else. Re-sending makes a new token, so an older
link stops working.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from msknet.core import audit, emails
from msknet.core.models import AuditEvent

from ..models import (
    ICB,
    INVITATION_LIFETIME,
    Invitation,
    Membership,
    Network,
    Organisation,
    Role,
    Topic,
    User,
)
from .memberships import add_member, find_user


class InvitationRefused(Exception):
    """An invitation that must not be sent, with the reason to show the lead."""


class InvitationClosed(Exception):
    """The invitation was accepted, withdrawn or has expired."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


class WrongAccount(Exception):
    """Someone signed in as another account tried to accept an invitation."""


class AccountExists(Exception):
    """An account already exists for the invited address: sign in instead."""


@dataclass(frozen=True)
class Invitee:
    """One person to invite."""

    email: str
    full_name: str = ""
    role: str = Role.MEMBER


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh token for the link, and the hash we store."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def find_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("network")
        .filter(token_hash=hash_token(token))
        .first()
    )


def accept_url(token: str) -> str:
    return reverse("invitation-accept", kwargs={"token": token})


def member_emails(network: Network, emails: Iterable[str]) -> set[str]:
    """Which of these (lower-case) addresses belong to members of the network."""
    return set(
        Membership.objects.filter(network=network)
        .annotate(email=Lower("user__email"))
        .filter(email__in=list(emails))
        .values_list("email", flat=True)
    )


def invited_emails(
    network: Network, emails: Iterable[str], *, exclude: Invitation | None = None
) -> set[str]:
    """Which of these (lower-case) addresses have an open invitation already."""
    invitations = (
        Invitation.objects.open()
        .filter(network=network)
        .annotate(lower_email=Lower("email"))
        .filter(lower_email__in=list(emails))
    )
    if exclude is not None:
        invitations = invitations.exclude(pk=exclude.pk)
    return set(invitations.values_list("lower_email", flat=True))


def already_member_message(email: str) -> str:
    return f"{email} is already a member of this network"


def already_invited_message(email: str) -> str:
    return (
        f"{email} has already been invited and the invitation is still open: "
        "re-send it from the list of invitations instead"
    )


def refusal_reason(
    *, network: Network, email: str, exclude: Invitation | None = None
) -> str | None:
    """Why inviting this address would be refused, or None."""
    email = email.strip().lower()
    if member_emails(network, [email]):
        return already_member_message(email)
    if invited_emails(network, [email], exclude=exclude):
        return already_invited_message(email)
    return None


def _send(invitation: Invitation, *, token: str, by: User, resent: bool) -> None:
    context = {
        "invitation": invitation,
        "network": invitation.network,
        "role": Role(invitation.role).label,
        "inviter": by.display_name,
        "accept_url": accept_url(token),
        "resent": resent,
    }
    transaction.on_commit(
        partial(
            emails.send_templated,
            "members/email/invitation",
            to=invitation.email,
            context=context,
        )
    )


def _lock_network(network: Network) -> None:
    # Invitations to one network are made one at a time, so two leads
    # inviting the same person at once cannot both succeed.
    list(Network.objects.select_for_update().filter(pk=network.pk).values_list("pk"))


def _create(*, network: Network, by: User, invitee: Invitee) -> Invitation:
    token, token_hash = new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        network=network,
        email=invitee.email.strip().lower(),
        full_name=invitee.full_name.strip(),
        role=invitee.role,
        token_hash=token_hash,
        created_at=now,
        created_by=by,
        last_sent_at=now,
        send_count=1,
        expires_at=now + INVITATION_LIFETIME,
    )
    audit.record(
        AuditEvent.Type.INVITATION_SENT,
        target=invitation,
        by=by,
        network=network,
        role=invitation.role,
    )
    _send(invitation, token=token, by=by, resent=False)
    return invitation


@transaction.atomic
def invite(
    *,
    network: Network,
    by: User,
    email: str,
    full_name: str = "",
    role: str = Role.MEMBER,
) -> Invitation:
    _lock_network(network)
    refused = refusal_reason(network=network, email=email)
    if refused:
        raise InvitationRefused(refused)
    return _create(
        network=network,
        by=by,
        invitee=Invitee(email=email, full_name=full_name, role=role),
    )


@transaction.atomic
def invite_many(
    *, network: Network, by: User, invitees: Sequence[Invitee]
) -> list[Invitation]:
    """Invite everyone, or no one: any refusal rolls back the lot (and its emails)."""
    _lock_network(network)
    addresses = [invitee.email.strip().lower() for invitee in invitees]
    if len(set(addresses)) != len(addresses):
        raise InvitationRefused("The list names the same email address twice")
    members = member_emails(network, addresses)
    if members:
        raise InvitationRefused(already_member_message(min(members)))
    invited = invited_emails(network, addresses)
    if invited:
        raise InvitationRefused(already_invited_message(min(invited)))
    return [_create(network=network, by=by, invitee=invitee) for invitee in invitees]


def _locked(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update().select_related("network").get(
        pk=invitation.pk
    )


@transaction.atomic
def resend_invitation(*, invitation: Invitation, by: User) -> Invitation:
    """Send a new link (the old one stops working) valid for another 28 days."""
    _lock_network(invitation.network)
    invitation = _locked(invitation)
    if invitation.status in {Invitation.Status.ACCEPTED, Invitation.Status.REVOKED}:
        raise InvitationClosed(invitation.status)
    refused = refusal_reason(
        network=invitation.network, email=invitation.email, exclude=invitation
    )
    if refused:
        raise InvitationRefused(refused)
    token, invitation.token_hash = new_token()
    now = timezone.now()
    invitation.last_sent_at = now
    invitation.expires_at = now + INVITATION_LIFETIME
    invitation.send_count += 1
    invitation.save(
        update_fields=["token_hash", "last_sent_at", "expires_at", "send_count"]
    )
    audit.record(
        AuditEvent.Type.INVITATION_RESENT,
        target=invitation,
        by=by,
        network=invitation.network,
        send_count=invitation.send_count,
    )
    _send(invitation, token=token, by=by, resent=True)
    return invitation


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, by: User) -> Invitation:
    invitation = _locked(invitation)
    if invitation.status != Invitation.Status.OPEN:
        raise InvitationClosed(invitation.status)
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = by
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        AuditEvent.Type.INVITATION_REVOKED,
        target=invitation,
        by=by,
        network=invitation.network,
    )
    return invitation


@transaction.atomic
def accept_invitation(
    *,
    invitation: Invitation,
    user: User,
    sector: str,
    profession: str,
    organisation: Organisation | None = None,
    organisation_other: str = "",
    icb: ICB | None = None,
    interests: Iterable[Topic] = (),
    leadership: str = "not_now",
    directory_listed: bool = False,
    **sharing: bool,
) -> Membership:
    """Make the invited person a member, with the role they were invited to."""
    invitation = _locked(invitation)
    if invitation.status != Invitation.Status.OPEN:
        raise InvitationClosed(invitation.status)
    if user.email.lower() != invitation.email.lower():
        raise WrongAccount(user.email)
    if not directory_listed:
        sharing = {**sharing, "share_email": False, "share_phone": False}
    membership = add_member(
        user=user,
        network=invitation.network,
        by=user,
        role=invitation.role,
        sector=sector,
        profession=profession,
        organisation=organisation,
        organisation_other=organisation_other.strip(),
        icb=icb,
        interests=interests,
        leadership=leadership,
        directory_listed=directory_listed,
        **sharing,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        AuditEvent.Type.INVITATION_ACCEPTED,
        target=invitation,
        by=user,
        network=invitation.network,
        role=invitation.role,
    )
    return membership


@transaction.atomic
def accept_invitation_with_new_account(
    *, invitation: Invitation, full_name: str, password: str, **details: Any
) -> Membership:
    """Create the account for the invited address, then accept as it."""
    invitation = _locked(invitation)
    if invitation.status != Invitation.Status.OPEN:
        raise InvitationClosed(invitation.status)
    if find_user(invitation.email) is not None:
        raise AccountExists(invitation.email)
    user = User.objects.create_user(
        email=invitation.email, full_name=full_name.strip(), password=password
    )
    return accept_invitation(invitation=invitation, user=user, **details)

