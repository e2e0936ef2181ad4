"""Single sign-on: the account a provider's claims belong to, and signing in."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from msknet.core import audit
from msknet.core.models import AuditEvent

from ..models import User
from ..sso import SESSION_SIGNED_IN_AT, SSORefused, display_name, email_is_verified


def user_for_claims(*, claims: Mapping[str, Any]) -> User:
    """The account for the person the identity provider signed in.

    Matched by email address, whatever its case, and only when the provider
    says it checked the address. A verified address nobody uses yet gets a new
    account with no network memberships (docs/decisions/0007). Raises
    `SSORefused` with a message for the person otherwise.
    """
    provider = display_name()
    email = str(claims.get("email") or "").strip()
    if not email:
        raise SSORefused(
            f"You could not be signed in: {provider} did not share your email "
            "address with msknet. Ask your organisation's IT service desk to share "
            "it, then try again."
        )
    if not email_is_verified(claims):
        raise SSORefused(
            f"You could not be signed in: {provider} has not confirmed that {email} "
            "is your email address, so msknet cannot tell which account is yours. "
            "Ask your organisation's IT service desk to confirm it, then try again."
        )
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = create_account(email=email, claims=claims)
    if not user.is_active or user.erased_at is not None:
        raise SSORefused(
            f"You could not be signed in: the msknet account for {email} is closed."
        )
    return user


def create_account(*, email: str, claims: Mapping[str, Any]) -> User:
    """A new account, without a password, for a verified address."""
    full_name = (
        str(claims.get("name") or "").strip()
        or " ".join(
            str(claims.get(part) or "").strip()
            for part in ("given_name", "family_name")
        ).strip()
    )
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, full_name=full_name[:150])
            audit.record(
                AuditEvent.Type.ACCOUNT_CREATED_SSO,
                target=user,
                by=user,
                issuer=settings.OIDC_ISSUER,
            )
    except IntegrityError:  # the same person's sign-in in another tab got there first
        return User.objects.get(email__iexact=email)
    return user


@transaction.atomic
def signed_in_with_sso(*, request: HttpRequest, user: User) -> None:
    """Note the single sign-on, in the session and the audit trail."""
    request.session[SESSION_SIGNED_IN_AT] = time.time()
    audit.record(
        AuditEvent.Type.SIGNED_IN_SSO,
        target=user,
        by=user,
        issuer=settings.OIDC_ISSUER,
    )
