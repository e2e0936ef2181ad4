from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from msknet.members.permissions import Permission, permissions_for


def site(request: HttpRequest) -> dict[str, Any]:
    """The current network (set by the gate) and the navigation it allows."""
    network = getattr(request, "network", None)
    nav: list[tuple[str, str]] = []
    granted: frozenset[str] = frozenset()
    if network is not None:
        granted = permissions_for(request.user, network)
        kwargs = {"network_slug": network.slug}
        nav.append(("Home", reverse("network-home", kwargs=kwargs)))
        nav.append(("About", reverse("network-about", kwargs=kwargs)))
        nav.append(("Population health", reverse("insights", kwargs=kwargs)))
        nav.append(("Prescribing", reverse("prescribing-overview", kwargs=kwargs)))
        nav.append(("Events", reverse("event-list", kwargs=kwargs)))
        nav.append(("Resources", reverse("resource-list", kwargs=kwargs)))
        nav.append(("News", reverse("news-list", kwargs=kwargs)))
        nav.append(("Innovations", reverse("innovation-list", kwargs=kwargs)))
        nav.append(("Services", reverse("service-directory", kwargs=kwargs)))
        if Permission.VIEW_SURVEYS in granted:
            nav.append(("Surveys", reverse("survey-list", kwargs=kwargs)))
        if Permission.VIEW_DIRECTORY in granted:
            nav.append(("Directory", reverse("directory", kwargs=kwargs)))
        if Permission.VIEW_DISCUSSIONS in granted:
            nav.append(("Discussions", reverse("discussion-list", kwargs=kwargs)))
        if Permission.VIEW_PRIORITIES in granted:
            nav.append(("Priorities", reverse("priorities", kwargs=kwargs)))
        if Permission.VIEW_QI_PROJECTS in granted:
            nav.append(("Projects", reverse("projects", kwargs=kwargs)))
        if Permission.VIEW_GOVERNANCE in granted:
            nav.append(("Groups", reverse("group-list", kwargs=kwargs)))
            nav.append(("My actions", reverse("my-actions", kwargs=kwargs)))
        if Permission.VIEW_NETWORK_DASHBOARD in granted:
            nav.append(("Dashboard", reverse("network-dashboard", kwargs=kwargs)))
        if Permission.DECIDE_JOIN_REQUESTS in granted:
            nav.append(("Join requests", reverse("join-request-list", kwargs=kwargs)))
        if Permission.MANAGE_INVITATIONS in granted:
            nav.append(("Invitations", reverse("invitation-list", kwargs=kwargs)))
        if Permission.MANAGE_MEMBERS in granted:
            nav.append(("Members", reverse("member-list", kwargs=kwargs)))
    return {
        "current_network": network,
        "nav_items": nav,
        "granted": granted,
        "service_name": network.name if network is not None else "msknet",
        "service_href": (
            reverse("network-home", kwargs={"network_slug": network.slug})
            if network is not None
            else reverse("home")
        ),
    }
