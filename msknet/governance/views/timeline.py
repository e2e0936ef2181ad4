"""The programme timeline: public to read, changed by leads."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from msknet.core.gate import gate, public
from msknet.members.models import Network
from msknet.members.permissions import Permission

from .. import actions, queries
from ..forms import MilestoneForm, PhaseForm
from .common import network_crumbs


def crumbs(network: Network) -> list[tuple[str, str]]:
    return [*network_crumbs(network),
            ("Programme timeline", reverse("timeline", args=[network.slug]))]


@public
def timeline(request: HttpRequest, network: Network) -> HttpResponse:
    context = {"network": network, **queries.timeline(network),
               "crumbs": network_crumbs(network)}
    return TemplateResponse(request, "governance/timeline.html", context)


@gate(Permission.MANAGE_TIMELINE)
def phase_edit(request: HttpRequest, network: Network, pk: int | None = None
               ) -> HttpResponse:
    phase = get_object_or_404(network.programme_phases, pk=pk) if pk else None
    initial = {}
    if phase is not None:
        initial = {name: getattr(phase, name) for name in
                   ("title", "starts_on", "ends_on", "status", "description")}
    form = PhaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.save_phase(network=network, by=request.user, phase=phase,
                           **form.cleaned_data)
        messages.success(request, f"Phase '{form.cleaned_data['title']}' saved.")
        return redirect("timeline", network_slug=network.slug)
    context = {"network": network, "form": form, "phase": phase,
               "crumbs": crumbs(network)}
    return TemplateResponse(request, "governance/phase_form.html", context)


@gate(Permission.MANAGE_TIMELINE)
def milestone_edit(request: HttpRequest, network: Network, pk: int | None = None
                   ) -> HttpResponse:
    milestone = get_object_or_404(network.programme_milestones, pk=pk) if pk else None
    initial = {}
    if milestone is not None:
        initial = {"title": milestone.title, "due_on": milestone.due_on,
                   "done": milestone.done}
    form = MilestoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.save_milestone(network=network, by=request.user, milestone=milestone,
                               **form.cleaned_data)
        messages.success(request, f"Milestone '{form.cleaned_data['title']}' saved.")
        return redirect("timeline", network_slug=network.slug)
    context = {"network": network, "form": form, "milestone": milestone,
               "crumbs": crumbs(network)}
    return TemplateResponse(request, "governance/milestone_form.html", context)


T = "n/<slug:network_slug>/timeline/"
urlpatterns = [
    path(T, timeline, name="timeline"),
    path(f"{T}phases/new/", phase_edit, name="phase-create"),
    path(f"{T}phases/<int:pk>/", phase_edit, name="phase-edit"),
    path(f"{T}milestones/new/", milestone_edit, name="milestone-create"),
    path(f"{T}milestones/<int:pk>/", milestone_edit, name="milestone-edit"),
]
