"""Strategic priorities: the public list and the lead's pages that keep it."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from msknet.core.charts import csv_safe
from msknet.core.confirm import confirm
from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission

from .. import strategic_actions as actions
from .. import strategic_queries as queries
from ..models import StrategicPriority
from ..strategic_forms import StrategicPriorityForm


def load_priority(*, network: Network, kwargs: dict[str, Any]) -> StrategicPriority:
    return get_object_or_404(
        StrategicPriority.objects.select_related("network", "icb"),
        network=network, pk=kwargs.pop("priority_id"),
    )


def crumbs(network: Network, *, list_too: bool = True) -> list[tuple[str, str]]:
    items = [(network.short_name, network.get_absolute_url())]
    if list_too:
        items.append(("Strategic priorities",
                      reverse("strategic-priorities", args=[network.slug])))
    return items


@gate(Permission.VIEW_PUBLIC)
def priority_list(request: HttpRequest, network: Network) -> HttpResponse:
    counts = queries.linked_counts(network)
    retired_groups = queries.grouped(network, retired=True)
    for group in retired_groups:
        for priority in group.priorities:
            priority.linked_count = counts.get(priority.pk, 0)  # type: ignore[attr-defined]
    context = {
        "network": network,
        "groups": queries.grouped(network),
        "retired_groups": retired_groups,
        "crumbs": crumbs(network, list_too=False),
    }
    return TemplateResponse(request, "priorities/strategic_list.html", context)


@gate(Permission.MANAGE_STRATEGIC_PRIORITIES)
def priority_create(request: HttpRequest, network: Network) -> HttpResponse:
    form = StrategicPriorityForm(request.POST if request.method == "POST" else None,
                                 network=network)
    if request.method == "POST" and form.is_valid():
        priority = actions.add_priority(network=network, by=request.user,
                                        **form.cleaned_data)
        messages.success(request, f"Priority '{priority.title}' added.")
        return redirect(priority)
    context = {"network": network, "form": form, "crumbs": crumbs(network)}
    return TemplateResponse(request, "priorities/strategic_form.html", context)


@gate(Permission.MANAGE_STRATEGIC_PRIORITIES, load=load_priority, as_="priority")
def priority_edit(request: HttpRequest, network: Network,
                  priority: StrategicPriority) -> HttpResponse:
    form = StrategicPriorityForm(
        request.POST if request.method == "POST" else None, network=network,
        instance=StrategicPriority.objects.get(pk=priority.pk),
    )
    if request.method == "POST" and form.is_valid():
        actions.update_priority(priority=priority, by=request.user,
                                **form.cleaned_data)
        messages.success(request, "The priority is saved.")
        return redirect(priority)
    context = {"network": network, "form": form, "priority": priority,
               "crumbs": crumbs(network)}
    return TemplateResponse(request, "priorities/strategic_form.html", context)


@gate(Permission.MANAGE_STRATEGIC_PRIORITIES, load=load_priority, as_="priority")
def priority_retire(request: HttpRequest, network: Network,
                    priority: StrategicPriority) -> HttpResponse:
    list_url = reverse("strategic-priorities", args=[network.slug])
    if request.method != "POST":
        return confirm(
            request, question=f"Retire the priority '{priority.title}'?",
            explanation=[
                ("It will no longer be offered when members tag nominations and "
                 "projects, nor appear in the coverage view."),
                ("Everything already tagged with it stays tagged, and you can "
                 "reinstate it later."),
            ],
            button="Retire the priority", back_url=list_url, crumbs=crumbs(network))
    actions.retire_priority(priority=priority, by=request.user)
    messages.success(request, f"Priority '{priority.title}' retired.")
    return redirect(priority)


@gate(Permission.MANAGE_STRATEGIC_PRIORITIES, load=load_priority, as_="priority")
@require_POST
def priority_reinstate(request: HttpRequest, network: Network,
                       priority: StrategicPriority) -> HttpResponse:
    actions.reinstate_priority(priority=priority, by=request.user)
    messages.success(request, f"Priority '{priority.title}' reinstated.")
    return redirect(priority)


@gate(Permission.MANAGE_STRATEGIC_PRIORITIES, load=load_priority, as_="priority")
@require_POST
def priority_move(request: HttpRequest, network: Network,
                  priority: StrategicPriority) -> HttpResponse:
    direction = "up" if request.POST.get("direction") == "up" else "down"
    actions.move_priority(priority=priority, by=request.user, direction=direction)
    return redirect(priority)


@gate(Permission.VIEW_STRATEGIC_COVERAGE)
def priority_coverage(request: HttpRequest, network: Network) -> HttpResponse:
    covered = queries.coverage(network)
    if request.GET.get("format") == "csv":
        return _coverage_csv(network, covered)
    context = {
        "network": network,
        "coverage": covered,
        "unserved": [c.priority for c in covered if not c.served],
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "priorities/strategic_coverage.html", context)


def _coverage_csv(network: Network, covered: list[queries.Coverage]) -> HttpResponse:
    """The coverage view as a table: one row per thing serving a priority, and
    one row with nothing in the last columns for a priority nothing serves."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"strategic-priority-coverage-{network.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["Priority", "Source", "Serves it", "Kind", "Round", "Status"])
    for item in covered:
        priority = item.priority
        rows = [
            (n.title, "Nomination", n.round.title,
             n.get_decision_display() if n.decision else "Nominated")
            for n in item.nominations
        ] + [
            (row.project.title, "QI project", "", row.project.get_stage_display())
            for row in item.projects
        ] + [
            (innovation.name, "Innovation", "", innovation.get_stage_display())
            for group in item.innovations_by_stage
            for innovation in group.innovations
        ]
        for title, kind, round_title, status in rows or [("", "", "", "")]:
            writer.writerow([csv_safe(cell) for cell in (
                priority.title, priority.source_label, title, kind, round_title,
                status,
            )])
    return response
