"""Keeping services up to date: confirming a service's details, and a lead's
one-click request that its owners confirm them by email.

Only the sha256 of a request's token is stored: the token itself is in the
emailed link and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from msknet.communications.models import Kind
from msknet.communications.notify import notify
from msknet.core import emails
from msknet.members.models import Network

from ..models import ConfirmationRequest, Service, ServiceChange
from .common import Refused

#: How long an emailed link works.
LINK_DAYS = 30
#: A service's owners are not asked again sooner than this.
ASK_AGAIN_AFTER_DAYS = 7


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def confirm_link(network: Network, token: str) -> str:
    return reverse("service-confirm-link",
                   kwargs={"network_slug": network.slug, "token": token})


def owners(service: Service) -> list[Any]:
    """Who is asked: the network's active members whose membership
    organisation is the service's provider."""
    return list(
        get_user_model().objects.filter(
            memberships__network_id=service.network_id,
            memberships__organisation_id=service.provider_id,
            memberships__in=service.network.memberships.active(),
            is_active=True,
        ).distinct().order_by("pk")
    )


def last_asked(service: Service) -> dt.datetime | None:
    latest = service.confirmation_requests.order_by("-sent_at").first()
    return latest.sent_at if latest else None


@transaction.atomic
def confirm_service(*, service: Service, by: Any,
                    request: ConfirmationRequest | None = None) -> Service:
    """Record that `by` checked the service's details today; any open request
    to confirm it is answered."""
    now = timezone.now()
    service.last_confirmed_on = timezone.localdate()
    service.last_confirmed_by = by if getattr(by, "pk", None) else None
    service.save(update_fields=["last_confirmed_on", "last_confirmed_by"])
    how = " (from the emailed link)" if request is not None else ""
    ServiceChange.objects.create(service=service, by=service.last_confirmed_by, at=now,
                                 summary=f"Confirmed the details{how}")
    ConfirmationRequest.objects.filter(
        service=service, confirmed_at__isnull=True,
    ).update(confirmed_at=now)
    return service


def check_can_ask(service: Service, people: list[Any],
                  now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    if not service.is_active:
        raise Refused(f"{service.name} is withdrawn: there is nothing to confirm")
    if not people:
        raise Refused(
            f"Nobody can be asked to confirm {service.name}: no member is from "
            f"{service.provider.name}. Invite one, or confirm it yourself.")
    latest = last_asked(service)
    if latest is not None and now - latest < dt.timedelta(days=ASK_AGAIN_AFTER_DAYS):
        raise Refused(
            f"{service.name}'s owners were asked on {timezone.localtime(latest):%-d %B %Y}"
            f": wait {ASK_AGAIN_AFTER_DAYS} days before asking again.")


def _ask(service: Service, people: list[Any], *, by: Any,
         now: dt.datetime) -> list[ConfirmationRequest]:
    made = []
    for person in people:
        token = secrets.token_urlsafe(32)
        request = ConfirmationRequest.objects.create(
            service=service, sent_to=person, sent_by=by if getattr(by, "pk", None)
            else None, token_hash=hash_token(token), sent_at=now,
            expires_at=now + dt.timedelta(days=LINK_DAYS),
        )
        made.append(request)
        context = {
            "service": service, "network": service.network, "person": person,
            "asked_by": getattr(by, "display_name", ""),
            "confirm_url": confirm_link(service.network, token),
            "expires_on": request.expires_at,
        }
        transaction.on_commit(partial(
            emails.send_templated, "landscape/email/confirmation_request",
            to=person.email, context=context,
        ))
    names = ", ".join(p.display_name for p in people)
    ServiceChange.objects.create(
        service=service, by=by if getattr(by, "pk", None) else None, at=now,
        summary=f"Asked {names} to confirm the details"[:300])
    notify(
        kind=Kind.SERVICE_CONFIRMATION, recipients=people, network=service.network,
        key=f"service-confirmation-{service.pk}-{made[0].pk}",
        title=f"Please confirm {service.name}'s details are right",
        url=_service_path(service),
        body="A network lead asked you to check this service's details: "
             "the email has a one-click link.",
    )
    return made


def _service_path(service: Service) -> str:
    return reverse("service", kwargs={"network_slug": service.network.slug,
                                      "service_id": service.pk})


@transaction.atomic
def request_confirmation(*, service: Service, by: Any) -> list[ConfirmationRequest]:
    """Email each of the service's owners a link to confirm its details."""
    service = (Service.objects.select_for_update(of=("self",))
               .select_related("network", "provider").get(pk=service.pk))
    people = owners(service)
    now = timezone.now()
    check_can_ask(service, people, now)
    return _ask(service, people, by=by, now=now)


@transaction.atomic
def request_all(*, network: Network, by: Any) -> tuple[int, int]:
    """Ask the owners of every stale service that has owners and was not asked
    lately; (services asked, services passed over)."""
    asked = skipped = 0
    now = timezone.now()
    for service in (Service.objects.filter(network=network).stale()
                    .select_for_update(of=("self",))
                    .select_related("network", "provider")):
        people = owners(service)
        try:
            check_can_ask(service, people, now)
        except Refused:
            skipped += 1
            continue
        _ask(service, people, by=by, now=now)
        asked += 1
    return asked, skipped


def find_request(network: Network, token: str) -> ConfirmationRequest | None:
    return (ConfirmationRequest.objects
            .select_related("service__network", "service__provider", "service__icb",
                            "sent_to")
            .filter(service__network=network, token_hash=hash_token(token)).first())


def link_problem(request: ConfirmationRequest) -> str | None:
    """Why the link no longer works, or None if it does."""
    if request.confirmed_at is not None:
        return (f"These details were confirmed on "
                f"{timezone.localtime(request.confirmed_at):%-d %B %Y}: "
                "the link has been used.")
    if request.expires_at <= timezone.now():
        return (f"This link expired on {timezone.localtime(request.expires_at):%-d %B %Y}. "
                "Ask the network lead to send a new one, or sign in and confirm "
                "the service from its page.")
    if not request.service.is_active:
        return "This service has been withdrawn: there is nothing to confirm."
    return None


@transaction.atomic
def confirm_by_link(*, request: ConfirmationRequest) -> Service:
    request = (ConfirmationRequest.objects.select_for_update(of=("self",))
               .select_related("service__network", "sent_to").get(pk=request.pk))
    problem = link_problem(request)
    if problem:
        raise Refused(problem)
    return confirm_service(service=request.service, by=request.sent_to, request=request)
