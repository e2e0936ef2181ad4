"""Changing the email address a person signs in with.

Asking needs the current password (or a single sign-on in the last ten
minutes); the change happens only when the person follows a link sent to the
new address, and the old address is then told. The link is a signed token
naming the account, the new address and the address it had when asked, so it
stops working once the account's address changes (this link used, or
another), and after three days.

Whether the new address already belongs to another account is never shown to
the person asking: that address is emailed to say so instead of a link.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from msknet.core import audit, emails
from msknet.core.models import AuditEvent

from ..models import SignInFailure, User

SALT = "msknet.members.email-change"
LINK_LIFETIME = timedelta(days=3)


class LinkUnusable(Exception):
    """The confirmation link is expired, altered, used or overtaken."""


def confirmation_url(*, user: User, new_email: str) -> str:
    token = signing.dumps(
        {"user": user.pk, "new": new_email, "old": user.email}, salt=SALT, compress=True
    )
    return reverse("account-email-confirm", kwargs={"token": token})


def belongs_to_another(*, user: User, email: str) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()


def request_email_change(*, user: User, by: User, new_email: str) -> None:
    """Email a confirmation link to the new address, or, if another account
    has it, a note saying so; either way the caller answers the same."""
    new_email = new_email.strip().lower()
    if belongs_to_another(user=user, email=new_email):
        template = "members/email/email_change_taken"
        context: dict[str, Any] = {}
    else:
        template = "members/email/email_change_confirm"
        context = {
            "user": user,
            "confirm_url": confirmation_url(user=user, new_email=new_email),
            "lifetime_days": LINK_LIFETIME.days,
        }
    transaction.on_commit(
        partial(emails.send_templated, template, to=new_email, context=context)
    )


def read_token(token: str) -> tuple[int, str, str]:
    """(account id, new address, address when asked), while the link is fresh."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_LIFETIME)
        return int(data["user"]), str(data["new"]), str(data["old"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise LinkUnusable from exc


def change_for_token(token: str, *, lock: bool = False) -> tuple[User, str]:
    """The account and new address a link is for, while the link works."""
    user_pk, new_email, old_email = read_token(token)
    accounts = User.objects.select_for_update() if lock else User.objects
    user = accounts.filter(pk=user_pk, is_active=True, erased_at__isnull=True).first()
    if user is None or user.email != old_email:
        raise LinkUnusable
    if belongs_to_another(user=user, email=new_email):
        raise LinkUnusable
    return user, new_email


@transaction.atomic
def confirm_email_change(*, token: str) -> User:
    """Make the link's new address the account's, and tell the old one."""
    user, new_email = change_for_token(token, lock=True)
    old_email = user.email
    user.email = new_email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError as exc:  # the address was taken a moment ago
        raise LinkUnusable from exc
    SignInFailure.objects.filter(email=old_email).delete()
    # By the person themselves: whoever follows the link proves they hold
    # the new address, and the account holder asked with their password.
    audit.record(AuditEvent.Type.ACCOUNT_UPDATED, target=user, by=user, fields=["email"])
    transaction.on_commit(
        partial(
            emails.send_templated,
            "members/email/email_changed",
            to=old_email,
            context={"user": user, "new_email": new_email, "changed_at": timezone.now()},
        )
    )
    return user
