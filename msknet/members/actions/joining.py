"""Asking to join a network, and a lead's decision."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from msknet.core import audit, emails
from msknet.core.models import AuditEvent

from .. import ratelimits
from ..models import ICB, JoinRequest, Membership, Network, Organisation, Topic, User
from .memberships import add_member, get_or_create_user


class JoinRefused(Exception):
    """A join request that must not be recorded, with the reason to show."""


class AlreadyDecided(Exception):
    """The join request was decided already."""


CLOSED_MESSAGE = (
    "This network is not taking requests to join at the moment. A network lead can "
    "invite you."
)
#: Emails telling an address it is already a member, or already asked: at most
#: this many an hour for one address and network, so the form cannot be used
#: to flood someone's inbox.
KNOWN_NOTICES_PER_HOUR = 3


def refusal_reason(*, network: Network) -> str | None:
    """Why no request to join this network can be recorded now, or None.

    It never depends on the address: whether an address belongs to a network
    is told only to that address, by email (see `request_to_join`).
    """
    if not network.open_to_join:
        return CLOSED_MESSAGE
    return None


def pending_request(*, network: Network, email: str) -> JoinRequest | None:
    return JoinRequest.objects.filter(
        network=network, email__iexact=email, status=JoinRequest.Status.PENDING
    ).first()


def tell_known_address(*, network: Network, email: str) -> None:
    """Email an address that is already a member, or already waiting, why
    nothing new was recorded (within a limit per hour)."""
    member = Membership.objects.filter(network=network, user__email__iexact=email)
    if member.exists():
        template, context = "members/email/join_already_member", {}
    else:
        waiting = pending_request(network=network, email=email)
        if waiting is None:  # decided since; nothing to say
            return
        template, context = "members/email/join_already_asked", {"asked": waiting}
    if not ratelimits.allow(
        "join-notice",
        f"{network.pk}:{email}",
        limit=KNOWN_NOTICES_PER_HOUR,
        window_seconds=60 * 60,
    ):
        return
    transaction.on_commit(
        partial(emails.send_templated, template, to=email,
                context={"network": network, **context})
    )


@transaction.atomic
def request_to_join(
    *,
    network: Network,
    by: Any,
    email: str,
    full_name: str,
    sector: str,
    profession: str,
    organisation: Organisation | None = None,
    organisation_other: str = "",
    icb: ICB | None = None,
    interests: Iterable[Topic] = (),
    leadership: str = "not_now",
    reason: str = "",
) -> JoinRequest | None:
    """Record a request to join and email the person a copy.

    If the address is already a member, or already has a request waiting,
    nothing is recorded and the address is emailed why instead; it returns
    None and the caller answers exactly as for a new request, so that nobody
    learns from the answer whether an address belongs to the network.
    Raises `JoinRefused` only when the network is not taking requests.
    """
    email = email.strip().lower()
    refused = refusal_reason(network=network)
    if refused:
        raise JoinRefused(refused)
    known = (
        Membership.objects.filter(network=network, user__email__iexact=email).exists()
        or pending_request(network=network, email=email) is not None
    )
    if known:
        tell_known_address(network=network, email=email)
        return None
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                network=network,
                email=email,
                full_name=full_name.strip(),
                sector=sector,
                profession=profession,
                organisation=organisation,
                organisation_other=organisation_other.strip(),
                icb=icb,
                leadership=leadership,
                reason=reason.strip(),
            )
    except IntegrityError:  # the same address asked at the same moment
        tell_known_address(network=network, email=email)
        return None
    join_request.interests.set(list(interests))
    audit.record(
        AuditEvent.Type.JOIN_REQUESTED, target=join_request, by=by, network=network
    )
    transaction.on_commit(
        partial(emails.send_templated, "members/email/join_requested",
                to=email, context={"join_request": join_request, "network": network})
    )
    return join_request


def set_password_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("set-password", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def approve_join_request(*, join_request: JoinRequest, by: User) -> Membership:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise AlreadyDecided(join_request.get_status_display())
    network = join_request.network
    user, created = get_or_create_user(
        email=join_request.email, full_name=join_request.full_name
    )
    membership = add_member(
        user=user,
        network=network,
        by=by,
        sector=join_request.sector,
        profession=join_request.profession,
        organisation=join_request.organisation,
        organisation_other=join_request.organisation_other,
        icb=join_request.icb,
        interests=join_request.interests.all(),
        leadership=join_request.leadership,
    )
    join_request.status = JoinRequest.Status.APPROVED
    join_request.decided_at = timezone.now()
    join_request.decided_by = by
    join_request.user = user
    join_request.save()
    audit.record(AuditEvent.Type.JOIN_APPROVED, target=join_request, by=by,
                 network=network)
    context = {
        "network": network,
        "user": user,
        "set_password_url": set_password_url(user) if created or not user.has_usable_password() else None,
    }
    transaction.on_commit(
        partial(emails.send_templated, "members/email/join_approved",
                to=user.email, context=context)
    )
    return membership


@transaction.atomic
def decline_join_request(
    *, join_request: JoinRequest, by: User, reason: str
) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise AlreadyDecided(join_request.get_status_display())
    join_request.status = JoinRequest.Status.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = by
    join_request.decision_reason = reason.strip()
    join_request.save()
    audit.record(AuditEvent.Type.JOIN_DECLINED, target=join_request, by=by,
                 network=join_request.network)
    transaction.on_commit(
        partial(emails.send_templated, "members/email/join_declined",
                to=join_request.email,
                context={"join_request": join_request, "network": join_request.network})
    )
    return join_request
