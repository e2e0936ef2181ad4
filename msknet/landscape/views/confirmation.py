"""Keeping services up to date: confirming a service's details (signed in or
through an emailed link), the list of stale services and asking owners."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import F, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission

from ..actions import confirmation as actions
from ..actions.common import Refused
from ..models import Service


def load_service(*, network: Network, kwargs: dict[str, Any]) -> Service:
    return get_object_or_404(
        Service.objects.select_related("network", "provider", "icb"),
        network=network, pk=kwargs.pop("service_id"),
    )


def service_url(service: Service) -> str:
    return reverse("service", kwargs={"network_slug": service.network.slug,
                                      "service_id": service.pk})


@gate(Permission.EDIT_SERVICE, load=load_service, as_="service")
@require_POST
def service_confirm(request: HttpRequest, network: Network,
                    service: Service) -> HttpResponse:
    actions.confirm_service(service=service, by=request.user)
    messages.success(request, f"Thank you: {service.name}'s details are confirmed "
                     "as right today.")
    return redirect(service_url(service))


@gate(Permission.MANAGE_LANDSCAPE)
def service_stale(request: HttpRequest, network: Network) -> HttpResponse:
    services = list(
        Service.objects.filter(network=network).stale()
        .select_related("provider", "icb", "last_confirmed_by")
        .annotate(last_asked=Max("confirmation_requests__sent_at"))
        .order_by(F("last_confirmed_on").asc(nulls_first=True), "name", "pk")
    )
    owners = owners_by_provider(network, {s.provider_id for s in services})
    for service in services:
        service.owners = owners.get(service.provider_id, [])
    context = {
        "network": network, "services": services,
        "askable": sum(1 for s in services if s.owners),
        "stale_after_months": 6,
    }
    return TemplateResponse(request, "landscape/stale_list.html", context)


def owners_by_provider(network: Network, provider_ids: set[int]) -> dict[int, list]:
    """Each provider's members in the network, in one query."""
    found: dict[int, list] = {}
    for membership in (network.memberships.active()
                       .filter(organisation_id__in=provider_ids, user__is_active=True)
                       .select_related("user").order_by("user__pk")):
        found.setdefault(membership.organisation_id, []).append(membership.user)
    return found


@gate(Permission.MANAGE_LANDSCAPE, load=load_service, as_="service")
@require_POST
def service_request_confirmation(request: HttpRequest, network: Network,
                                 service: Service) -> HttpResponse:
    try:
        made = actions.request_confirmation(service=service, by=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        who = ", ".join(r.sent_to.display_name for r in made)
        messages.success(request, f"Asked {who} to confirm {service.name}.")
    return redirect("service-stale", network.slug)


@gate(Permission.MANAGE_LANDSCAPE)
@require_POST
def service_request_confirmation_all(request: HttpRequest,
                                     network: Network) -> HttpResponse:
    asked, skipped = actions.request_all(network=network, by=request.user)
    if asked:
        messages.success(request, f"Asked the owners of {asked} "
                         f"service{pluralize(asked)} to confirm their details.")
    else:
        messages.error(request, "Nobody was asked: no stale service has a member "
                       "from its organisation who was not asked in the last "
                       f"{actions.ASK_AGAIN_AFTER_DAYS} days.")
    if asked and skipped:
        messages.info(request, f"{skipped} service{pluralize(skipped)} had nobody to "
                      "ask or were asked in the last "
                      f"{actions.ASK_AGAIN_AFTER_DAYS} days.")
    return redirect("service-stale", network.slug)


@gate(Permission.VIEW_PUBLIC)
def service_confirm_link(request: HttpRequest, network: Network,
                         token: str) -> HttpResponse:
    """The emailed link: the token is the authority, so no sign-in is needed
    to say the details are right (changing them needs one)."""
    confirmation = actions.find_request(network, token)
    if confirmation is None:
        raise Http404("No such link")
    service = confirmation.service
    problem = actions.link_problem(confirmation)
    done = False
    if request.method == "POST" and problem is None:
        try:
            actions.confirm_by_link(request=confirmation)
        except Refused as refusal:
            problem = str(refusal)
        else:
            done = True
    context = {
        "network": network, "service": service, "problem": problem, "done": done,
        "service_url": service_url(service), "edit_url": edit_url(service),
    }
    return TemplateResponse(request, "landscape/confirm_link.html", context,
                            status=410 if problem and not done else 200)


def edit_url(service: Service) -> str:
    return reverse("service-edit", kwargs={"network_slug": service.network.slug,
                                           "service_id": service.pk})
