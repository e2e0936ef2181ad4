"""The network's decision log, "My actions" and changing an action's status."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission

from .. import actions, queries
from ..forms import ActionStatusForm
from ..models import Action, ActionStatus, Decision
from .common import load_action, network_crumbs

REFERENCE = re.compile(r"D-(\d{4})-(\d{1,6})")


@gate(Permission.VIEW_GOVERNANCE)
def decision_list(request: HttpRequest, network: Network) -> HttpResponse:
    groups = list(network.groups.all())
    q = request.GET.get("q", "").strip()[:200]
    group = next((g for g in groups if g.slug == request.GET.get("group")), None)
    decisions = queries.search_decisions(network, q=q, group=group)
    page = Paginator(decisions, 50).get_page(request.GET.get("page"))
    context = {"network": network, "page": page, "q": q, "group": group,
               "groups": groups, "crumbs": network_crumbs(network)}
    return TemplateResponse(request, "governance/decision_list.html", context)


@gate(Permission.VIEW_GOVERNANCE)
def decision_detail(request: HttpRequest, network: Network, reference: str
                    ) -> HttpResponse:
    match = REFERENCE.fullmatch(reference)
    decision = None
    if match:
        decision = (
            Decision.objects.for_network(network)
            .select_related("meeting", "meeting__group", "item", "network")
            .filter(year=int(match[1]), number=int(match[2]))
            .first()
        )
    if decision is None:
        raise Http404("No such decision")
    context = {
        "network": network, "decision": decision,
        "actions": decision.actions.select_related("owner", "network"),
        "today": timezone.localdate(),
        "crumbs": [*network_crumbs(network),
                   ("Decisions", reverse("decision-list", args=[network.slug]))],
    }
    return TemplateResponse(request, "governance/decision_detail.html", context)


@gate(Permission.VIEW_GOVERNANCE)
def my_actions(request: HttpRequest, network: Network) -> HttpResponse:
    mine = list(queries.actions_for(network, request.user))
    today = timezone.localdate()
    context = {
        "network": network,
        "open": [a for a in mine if a.status == ActionStatus.OPEN],
        "closed": [a for a in mine if a.status != ActionStatus.OPEN],
        "overdue": sum(a.is_overdue(today) for a in mine),
        "today": today,
        "crumbs": network_crumbs(network),
    }
    return TemplateResponse(request, "governance/my_actions.html", context)


@gate(Permission.UPDATE_ACTION, load=load_action, as_="action")
def action_status(request: HttpRequest, network: Network, action: Action
                  ) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ActionStatusForm(data, initial={"status": action.status})
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or reverse("my-actions", args=[network.slug])
    if request.method == "POST" and form.is_valid():
        actions.set_action_status(action=action, by=request.user,
                                  status=form.cleaned_data["status"])
        label = ActionStatus(action.status).label.lower()
        messages.success(request, f"Action marked {label}.")
        return redirect(back)
    context = {"network": network, "action": action, "form": form, "back": back,
               "today": timezone.localdate(), "crumbs": network_crumbs(network)}
    return TemplateResponse(request, "governance/action_status.html", context)


urlpatterns = [
    path("n/<slug:network_slug>/decisions/", decision_list, name="decision-list"),
    path("n/<slug:network_slug>/decisions/<str:reference>/", decision_detail,
         name="decision-detail"),
    path("n/<slug:network_slug>/actions/mine/", my_actions, name="my-actions"),
    path("n/<slug:network_slug>/actions/<int:action_pk>/status/", action_status,
         name="action-status"),
]
