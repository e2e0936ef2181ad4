"""PDSA cycle pages: plan one, read it with its chain and measure, record it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission

from .. import actions, figures
from ..forms import CycleForm, CycleUpdateForm
from ..models import Cycle, NodeKind, QIProject
from .common import can_edit, crumbs, load_cycle, load_project, project_url
from .projects import closed_redirect


def cycle_url(cycle: Cycle, name: str = "cycle-detail") -> str:
    return project_url(cycle.project, name, cycle_pk=cycle.pk)


@gate(Permission.EDIT_QI_PROJECT, load=load_project, as_="project")
def cycle_create(request: HttpRequest, network: Network,
                 project: QIProject) -> HttpResponse:
    if project.is_closed:
        return closed_redirect(request, project)
    previous = None
    after = request.GET.get("after", "")
    if after.isdigit():
        previous = project.cycles.filter(pk=int(after), next__isnull=True).first()
    initial = {}
    if previous is not None:
        initial = {"change_idea": previous.change_idea_id,
                   "measure": previous.measure_id,
                   "title": f"{previous.title} (next cycle)"}
    elif request.GET.get("change_idea", "").isdigit():
        initial = {"change_idea": int(request.GET["change_idea"])}
    form = CycleForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        cycle = actions.plan_cycle(project=project, by=request.user, previous=previous,
                                   **form.cleaned_data)
        messages.success(request, f"Cycle '{cycle.title}' planned.")
        return redirect(cycle_url(cycle))
    has_ideas = project.driver_nodes.filter(kind=NodeKind.CHANGE_IDEA).exists()
    context = {"network": network, "project": project, "form": form,
               "previous": previous, "has_ideas": has_ideas,
               "heading": "Plan a PDSA cycle", "button": "Plan the cycle",
               "caption": project.title, "crumbs": crumbs(network, project)}
    return TemplateResponse(request, "improvement/cycle_create.html", context)


@gate(Permission.VIEW_QI_PROJECTS, load=load_cycle, as_="cycle")
def cycle_detail(request: HttpRequest, network: Network, cycle: Cycle) -> HttpResponse:
    spc = None
    study: list[figures.StudyPoint] = []
    if cycle.measure is not None:
        spc = figures.measure_spc(cycle.measure)
        study = figures.around(spc.overall.points, cycle.plan_when)
    context = {"network": network, "project": cycle.project, "cycle": cycle,
               "chain": cycle.chain(), "spc": spc, "study": study,
               "has_next": Cycle.objects.filter(previous=cycle).exists(),
               "can_edit": can_edit(request, cycle.project),
               "crumbs": crumbs(network, cycle.project)}
    return TemplateResponse(request, "improvement/cycle_detail.html", context)


@gate(Permission.EDIT_QI_PROJECT, load=load_cycle, as_="cycle")
def cycle_edit(request: HttpRequest, network: Network, cycle: Cycle) -> HttpResponse:
    project = cycle.project
    if project.is_closed:
        return closed_redirect(request, project)
    form = CycleUpdateForm(request.POST or None, instance=Cycle.objects.get(
        pk=cycle.pk), project=project)
    if request.method == "POST" and form.is_valid():
        changed = actions.update_cycle(cycle=cycle, by=request.user,
                                       **form.cleaned_data)
        messages.success(request, "The cycle is saved." if changed
                         else "Nothing changed.")
        return redirect(cycle_url(cycle))
    context = {"network": network, "project": project, "cycle": cycle, "form": form,
               "heading": "Update the cycle", "button": "Save the cycle",
               "caption": cycle.title, "crumbs": crumbs(network, project, (cycle.title, cycle_url(cycle)))}
    return TemplateResponse(request, "improvement/cycle_edit.html", context)
