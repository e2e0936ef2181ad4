"""A person's own account: signing in, their details, leaving, erasure, tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device

from msknet.core import audit
from msknet.core.models import AuditEvent

from .. import queries_accounts, ratelimits
from ..models import (
    FORMER_MEMBER,
    APIToken,
    Invitation,
    JoinRequest,
    Membership,
    Network,
    Role,
    SignInFailure,
    Topic,
    User,
)
from . import two_factor

#: Other apps' parts of erasing a person, by name: each takes the user and
#: removes or anonymises what the app holds about them (their contributions
#: stay, credited to "former member"). Apps register in `ready()`.
ERASERS: dict[str, Callable[[User], None]] = {}

TOKEN_PREFIX = "msk_"  # noqa: S105 - the public prefix, not a secret
TOKEN_LAST_USED_PRECISION = timedelta(minutes=1)


class SignInRefused(Exception):
    """Sign-in failed; the message says why, in words to show the person."""


class LastLead(Exception):
    """The person is the only lead of a network, which needs one."""


# Signing in ---------------------------------------------------------------


WRONG_CREDENTIALS = (
    "The email address or password is not correct. Check them and try again."
)
WRONG_CREDENTIALS_OR_CODE = (
    "The email address, password or security code is not correct. Sign in again."
)


@dataclass(frozen=True)
class SignInStep:
    """The result of the password step.

    `needs_code` when the account has two-factor authentication: the person
    is asked for a code next, whether or not the password was right
    (`password_ok`), so that the code step tells nobody without a code
    whether they guessed the password.
    """

    user: User
    password_ok: bool
    needs_code: bool


def sign_in(*, request: HttpRequest, email: str, password: str) -> SignInStep:
    """Check the password for the account, within the sign-in rate limit.

    Raises `SignInRefused` for wrong credentials, inactive or erased accounts,
    and while too many recent failures lock the email or client address.
    Refused attempts during a lockout are not counted, so that a lockout
    ends when its window does. Failures are cleared only once the person is
    fully signed in, so a right password does not reset the count of wrong
    codes.
    """
    email = email.strip().lower()
    attempt = begin_sign_in_attempt(email=email, address=client_address(request))
    user = authenticate(request, email=email, password=password)
    if user is not None and isinstance(user, User) and user.erased_at is None:
        if two_factor.has_device(user):
            attempt.delete()  # the right password; the code step counts its own
            return SignInStep(user=user, password_ok=True, needs_code=True)
        clear_sign_in_failures(email=email)
        return SignInStep(user=user, password_ok=True, needs_code=False)
    # The attempt stays counted as a failure.
    account = User.objects.filter(
        email=email, is_active=True, erased_at__isnull=True
    ).first()
    if account is not None and two_factor.has_device(account):
        return SignInStep(user=account, password_ok=False, needs_code=True)
    raise SignInRefused(WRONG_CREDENTIALS)


def finish_sign_in(
    *, request: HttpRequest, user: User, password_ok: bool, code: str
) -> Device:
    """The device that accepts the code, for a person whose password step
    asked for one; within the same rate limit as passwords.

    Raises `SignInRefused` with the same words whether the password or the
    code was wrong. After a wrong password the code is not even tried, so
    no recovery code is used up; the failure was counted at the password.
    """
    address = client_address(request)
    if not (password_ok and user.is_active and user.erased_at is None):
        retry_at = queries_accounts.sign_in_retry_at(email=user.email, address=address)
        if retry_at is not None:
            raise SignInRefused(lockout_message(retry_at))
        raise SignInRefused(WRONG_CREDENTIALS_OR_CODE)
    begin_sign_in_attempt(email=user.email, address=address)
    device = two_factor.verify_code(user=user, code=code)
    if device is None:
        two_factor.record_wrong_code(user=user)
        raise SignInRefused(WRONG_CREDENTIALS_OR_CODE)
    clear_sign_in_failures(email=user.email)
    return device


def check_code(*, request: HttpRequest, user: User, code: str) -> Device:
    """The device that accepts the code from someone already signed in by
    other means (single sign-on, a password reset link); wrong codes count
    toward the sign-in rate limit. Raises `SignInRefused`."""
    begin_sign_in_attempt(email=user.email, address=client_address(request))
    device = two_factor.verify_code(user=user, code=code)
    if device is None:
        two_factor.record_wrong_code(user=user)
        raise SignInRefused(
            "The security code is not correct. Enter the code your authenticator "
            "app shows now, or one of your recovery codes."
        )
    clear_sign_in_failures(email=user.email)
    return device


def begin_sign_in_attempt(*, email: str, address: str) -> SignInFailure:
    """Count an attempt before its password or code is checked, or refuse it.

    The attempt is stored as a failure at once (a success removes it), in one
    transaction with the check, holding the account's row (and on SQLite the
    database's write lock). So simultaneous attempts are counted one after
    another, and however many arrive at once, no more than the limit are
    ever checked. Refused attempts are not counted, so that a lockout ends
    when its window does.
    """
    email = email.strip().lower()
    with transaction.atomic():
        list(User.objects.select_for_update().filter(email=email).values_list("pk"))
        retry_at = queries_accounts.sign_in_retry_at(email=email, address=address)
        if retry_at is not None:
            raise SignInRefused(lockout_message(retry_at))
        return record_sign_in_failure(email=email, address=address)


def client_address(request: HttpRequest) -> str:
    """The client's address, behind TRUSTED_PROXY_COUNT proxies."""
    return ratelimits.client_address(request)


def lockout_message(retry_at: datetime) -> str:
    minutes = max(1, -(-int((retry_at - timezone.now()).total_seconds()) // 60))
    when = timezone.localtime(retry_at).strftime("%H:%M")
    unit = "minute" if minutes == 1 else "minutes"
    return (
        "You have tried to sign in too many times. For your security, sign-in is "
        f"paused: try again in {minutes} {unit}, after {when}. If you have "
        "forgotten your password, reset it."
    )


@transaction.atomic
def record_sign_in_failure(*, email: str, address: str) -> SignInFailure:
    window = timedelta(seconds=settings.SIGN_IN_FAILURE_WINDOW_SECONDS)
    SignInFailure.objects.filter(at__lte=timezone.now() - window).delete()
    return SignInFailure.objects.create(email=email.strip().lower(), address=address)


def clear_sign_in_failures(*, email: str) -> None:
    SignInFailure.objects.filter(email=email.strip().lower()).delete()


def may_email_password_reset(*, email: str, address: str) -> bool:
    """Count a request for a password-reset email; whether to send one.

    At most PASSWORD_RESET_MAX_PER_EMAIL an hour go to one address, and
    PASSWORD_RESET_MAX_PER_CLIENT an hour are sent for one client; beyond
    either, the page answers as ever and nothing is sent. A client over its
    limit does not use up the address's.
    """
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    return ratelimits.allow(
        "password-reset-client",
        address,
        limit=settings.PASSWORD_RESET_MAX_PER_CLIENT,
        window_seconds=window,
    ) and ratelimits.allow(
        "password-reset-email",
        email,
        limit=settings.PASSWORD_RESET_MAX_PER_EMAIL,
        window_seconds=window,
    )


# Details and memberships --------------------------------------------------


#: What `update_account` changes. The email address changes only through a
#: confirmed link (`actions.email_change`).
ACCOUNT_DETAILS = frozenset({"full_name", "phone", "job_title"})


@transaction.atomic
def update_account(*, user: User, by: User, **fields: Any) -> User:
    """Change the person's own details; `fields` from the details form."""
    if not set(fields) <= ACCOUNT_DETAILS:
        raise ValueError(
            f"update_account cannot change {sorted(set(fields) - ACCOUNT_DETAILS)}"
        )
    stored = User.objects.get(pk=user.pk)
    changed = sorted(k for k, v in fields.items() if getattr(stored, k) != v)
    if not changed:
        return user
    for name in changed:
        setattr(user, name, fields[name])
    user.save(update_fields=changed)
    # Field names only: the audit trail outlives the values.
    audit.record(AuditEvent.Type.ACCOUNT_UPDATED, target=user, by=by, fields=changed)
    return user


@transaction.atomic
def update_membership(
    *, membership: Membership, by: User, interests: Iterable[Topic] = (), **fields: Any
) -> Membership:
    """Change a member's own details and consent in one network."""
    # Compare with the stored row: a model form has already changed `membership`.
    stored = Membership.objects.select_for_update().get(pk=membership.pk)
    changed = [k for k, v in fields.items() if getattr(stored, k) != v]
    new_interests = set(interests)
    if set(stored.interests.all()) != new_interests:
        membership.interests.set(new_interests)
        changed.append("interests")
    for name, value in fields.items():
        setattr(membership, name, value)
    membership.updated_by = by
    membership.save()
    if changed:
        audit.record(
            AuditEvent.Type.MEMBERSHIP_UPDATED,
            target=membership,
            by=by,
            network=membership.network,
            fields=sorted(changed),
        )
    return membership


def is_last_lead(membership: Membership) -> bool:
    if membership.role != Role.LEAD:
        return False
    return not (
        Membership.objects.for_network(membership.network)
        .active()
        .filter(role=Role.LEAD)
        .exclude(pk=membership.pk)
        .exists()
    )


def last_lead_message(network: Network) -> str:
    return (
        f"You are the only lead of {network.name}. Make another member a lead "
        "before you leave, so that someone can run the network."
    )


@transaction.atomic
def leave_network(*, membership: Membership, by: User) -> None:
    # Lock the network's leads so two last leads cannot leave at once.
    list(
        Membership.objects.select_for_update()
        .for_network(membership.network)
        .filter(role=Role.LEAD)
    )
    if is_last_lead(membership):
        raise LastLead(last_lead_message(membership.network))
    audit.record(
        AuditEvent.Type.MEMBER_LEFT,
        target=membership,
        by=by,
        network=membership.network,
    )
    membership.delete()


# Personal data ------------------------------------------------------------


@transaction.atomic
def export_personal_data(*, user: User) -> dict[str, Any]:
    """Everything held about the person, recording that they downloaded it."""
    audit.record(AuditEvent.Type.ACCOUNT_EXPORTED, target=user, by=user)
    return queries_accounts.personal_data(user)


def erased_email(user: User) -> str:
    return f"erased-{user.pk}@invalid"


@transaction.atomic
def erase_account(*, user: User) -> User:
    """Delete the person's personal data, keeping the row their work points to.

    The person acts on their own account, so the audit event has no actor:
    its target is the erased account, shown as "former member".
    """
    memberships = list(
        Membership.objects.select_for_update().filter(user=user, role=Role.LEAD)
    )
    for membership in memberships:
        if is_last_lead(membership):
            raise LastLead(
                f"You are the only lead of {membership.network.name}. Make another "
                "member a lead before you delete your account."
            )
    email = user.email
    placeholder = erased_email(user)
    now = timezone.now()

    Membership.objects.filter(user=user).delete()
    APIToken.objects.filter(user=user).delete()
    SignInFailure.objects.filter(email=email).delete()
    join_requests = JoinRequest.objects.filter(Q(email__iexact=email) | Q(user=user))
    join_requests.filter(status=JoinRequest.Status.PENDING).delete()
    # Decided requests stay for the network's records, without the person.
    join_requests.update(
        email=placeholder,
        full_name=FORMER_MEMBER,
        organisation_other="",
        reason="",
        decision_reason="",
    )
    invitations = Invitation.objects.filter(
        Q(email__iexact=email) | Q(accepted_by=user)
    )
    invitations.open().update(revoked_at=now, revoked_by=user)
    invitations.update(email=placeholder, full_name="")

    for eraser in ERASERS.values():
        eraser(user)

    user.email = placeholder
    user.full_name = ""
    user.phone = ""
    user.job_title = ""
    user.set_unusable_password()
    user.is_active = False
    user.erased_at = now
    user.save()
    audit.record(AuditEvent.Type.ACCOUNT_ERASED, target=user, by=None)
    return user


# API tokens ---------------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[APIToken, str]:
    """A new token for `user`: the stored row, and the secret to show once."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = APIToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=raw[:8],
        key_hash=hash_token(raw),
    )
    audit.record(AuditEvent.Type.TOKEN_CREATED, target=token, by=user, name=token.name)
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: APIToken, by: User) -> None:
    audit.record(AuditEvent.Type.TOKEN_REVOKED, target=token, by=by, name=token.name)
    token.delete()


def user_for_token(raw: str) -> User | None:
    """The active account a raw API token belongs to, or None.

    The token is found by the SHA-256 of the whole secret, so no comparison
    runs over the secret itself. `last_used_at` is written at most once a
    minute per token.
    """
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    key_hash = hash_token(raw)
    token = APIToken.objects.select_related("user").filter(key_hash=key_hash).first()
    if token is None or not hmac.compare_digest(token.key_hash, key_hash):
        return None
    user = token.user
    if not user.is_active or user.erased_at is not None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= (
        TOKEN_LAST_USED_PRECISION
    ):
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user
