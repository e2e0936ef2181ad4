"""Keeping services up to date: confirming a service's details (signed in or
through an emailed link), the list of stale services and asking owners."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission

from ..actions import confirmation as actions
from ..models import Service


def load_service(*, network: Network, kwargs: dict[str, Any]) -> Service:
    return get_object_or_404(
        Service.objects.select_related("network", "provider", "icb"),
        network=network, pk=kwargs.pop("service_id"),
    )


def service_url(service: Service) -> str:
    """The service's own page (the network's until that page exists)."""
    try:
        return reverse("service", kwargs={"network_slug": service.network.slug,
                                          "service_id": service.pk})
    except NoReverseMatch:
        return service.network.get_absolute_url()


@gate(Permission.EDIT_SERVICE, load=load_service, as_="service")
@require_POST
def service_confirm(request: HttpRequest, network: Network,
                    service: Service) -> HttpResponse:
    actions.confirm_service(service=service, by=request.user)
    messages.success(request, f"Thank you: {service.name}'s details are confirmed "
                     "as right today.")
    return redirect(service_url(service))
