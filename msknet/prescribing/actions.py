"""Writes for prescribing alert subscriptions: subscribe, confirm, unsubscribe,
and the daily clear-out of those never confirmed.

Anyone may subscribe, signed in or not: the address gets a link to confirm,
signed and good for a week, and nothing else is sent until it is followed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from msknet.core import emails
from msknet.members import ratelimits
from msknet.members.models import Network

from . import queries
from .models import AlertSubscription

CONFIRM_SALT = "msknet.prescribing.alert-confirm"
#: How long a confirmation link works, and how long an unconfirmed address is kept.
CONFIRM_WITHIN = timedelta(days=7)
#: An address that unsubscribed is forgotten this long afterwards.
UNSUBSCRIBED_KEPT = timedelta(days=30)
#: Subscriptions one client may ask for an hour (more are refused, saying so).
SUBSCRIPTIONS_PER_CLIENT_PER_HOUR = 10
#: Confirmation emails one address may be sent an hour (more are not sent).
CONFIRMATIONS_PER_ADDRESS_PER_HOUR = 3
HOUR = 60 * 60


class TooManySubscriptions(Exception):
    """This client has asked for too many subscriptions in the last hour."""


def confirm_token(subscription: AlertSubscription) -> str:
    """The signed value a confirmation link carries (good for CONFIRM_WITHIN)."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscription.token)


def subscription_for_confirm_token(signed: str) -> AlertSubscription | None:
    """The subscription a confirmation link names; None if the link was
    altered, has expired or its subscription is gone."""
    try:
        token = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            signed, max_age=CONFIRM_WITHIN)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return AlertSubscription.objects.select_related("network").filter(token=token).first()


def confirm_url(subscription: AlertSubscription) -> str:
    return settings.SITE_URL + reverse("prescribing-alert-confirm", kwargs={
        "network_slug": subscription.network.slug, "token": confirm_token(subscription)})


def unsubscribe_url(subscription: AlertSubscription) -> str:
    return settings.SITE_URL + reverse("prescribing-alert-unsubscribe", kwargs={
        "network_slug": subscription.network.slug, "token": subscription.token})


@transaction.atomic
def subscribe(*, network: Network, email: str, level: str, org_code: str,
              client: str) -> AlertSubscription:
    """Ask `email` to confirm alerts for one organisation.

    An address already subscribed to it is sent nothing new (the page says
    the same either way, so it tells nobody who is subscribed); one waiting
    to confirm is sent its link again, at most a few times an hour. Raises
    TooManySubscriptions past the client's hourly limit.
    """
    if not ratelimits.allow("prescribing-alert-client", client,
                            limit=SUBSCRIPTIONS_PER_CLIENT_PER_HOUR,
                            window_seconds=HOUR):
        raise TooManySubscriptions
    email = email.strip().lower()
    subscription = (
        AlertSubscription.objects.select_for_update()
        .filter(email=email, level=level, org_code=org_code,
                unsubscribed_at__isnull=True)
        .first()
    )
    if subscription is not None and subscription.confirmed:
        return subscription
    if subscription is None:
        subscription = AlertSubscription.objects.create(
            email=email, level=level, org_code=org_code, network=network)
    if ratelimits.allow("prescribing-alert-email", email,
                        limit=CONFIRMATIONS_PER_ADDRESS_PER_HOUR, window_seconds=HOUR):
        transaction.on_commit(partial(send_confirmation, subscription_pk=subscription.pk))
    return subscription


def send_confirmation(*, subscription_pk: int) -> None:
    subscription = AlertSubscription.objects.select_related("network").filter(
        pk=subscription_pk, confirmed_at__isnull=True).first()
    if subscription is None:
        return
    emails.send_templated(
        "prescribing/email/alert_confirm",
        to=subscription.email,
        context={
            "network": subscription.network,
            "subscription": subscription,
            "org_name": organisation_name(subscription.level, subscription.org_code),
            "level_name": queries.LEVELS[subscription.level],
            "confirm_url": confirm_url(subscription),
            "days": CONFIRM_WITHIN.days,
        },
    )


def organisation_name(level: str, org_code: str) -> str:
    names = queries.practice_names(queries.store()) if level == "practice" else {}
    return queries.org_name(level, org_code, names)


@transaction.atomic
def confirm(*, subscription: AlertSubscription) -> AlertSubscription:
    """Start sending alerts (once; confirming again changes nothing)."""
    AlertSubscription.objects.filter(
        pk=subscription.pk, confirmed_at__isnull=True, unsubscribed_at__isnull=True,
    ).update(confirmed_at=timezone.now())
    subscription.refresh_from_db()
    return subscription


@transaction.atomic
def unsubscribe(*, subscription: AlertSubscription) -> AlertSubscription:
    """Stop sending alerts (once; unsubscribing again changes nothing)."""
    AlertSubscription.objects.filter(
        pk=subscription.pk, unsubscribed_at__isnull=True,
    ).update(unsubscribed_at=timezone.now())
    subscription.refresh_from_db()
    return subscription


def forget_stale(*, now: datetime | None = None) -> int:
    """Delete subscriptions never confirmed within CONFIRM_WITHIN, and those
    unsubscribed more than UNSUBSCRIBED_KEPT ago; how many were deleted."""
    now = now or timezone.now()
    unconfirmed, _ = AlertSubscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - CONFIRM_WITHIN).delete()
    unsubscribed, _ = AlertSubscription.objects.filter(
        unsubscribed_at__lt=now - UNSUBSCRIBED_KEPT).delete()
    return unconfirmed + unsubscribed


def forget_member(user: Any) -> None:
    """Part of erasing an account: alert subscriptions made with its address
    go (anyone's subscriptions are by address, not account)."""
    AlertSubscription.objects.filter(email__iexact=user.email).delete()
