"""Measure pages: the SPC chart, adding and uploading data, rebasing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from msknet.core.confirm import confirm
from msknet.core.gate import gate
from msknet.insights.views_pages import PageFigures, link_charts, twin
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .. import actions, charts, figures, queries
from ..csvdata import EXAMPLE
from ..forms import DataPointForm, MeasureForm, RebaseForm, UploadForm
from ..models import Measure, QIProject
from .common import can_edit, crumbs, load_measure, load_project, project_url
from .projects import closed_redirect


def measure_url(measure: Measure, name: str = "measure-detail", **extra: Any) -> str:
    return project_url(measure.project, name, measure_pk=measure.pk, **extra)


def measure_crumbs(network: Network, measure: Measure) -> list[tuple[str, str]]:
    return crumbs(network, measure.project, (measure.name, measure_url(measure)))


def measure_figures(measure: Measure) -> PageFigures:
    spc = figures.measure_spc(measure)
    figs = PageFigures({"spc": spc})
    if spc.overall.chart is not None:
        figs.charts["spc"] = charts.spc_chart("spc", measure, spc.overall, spc.rebases)
    for quintile, series in spc.quintiles:
        if series.chart is not None:
            figs.charts[f"spc-quintile-{quintile}"] = charts.spc_chart(
                f"spc-quintile-{quintile}", measure, series, spc.rebases)
    return figs


@gate(Permission.VIEW_QI_PROJECTS, load=load_measure, as_="measure")
def measure_detail(request: HttpRequest, network: Network,
                   measure: Measure) -> HttpResponse:
    figs = measure_figures(measure)
    linked = link_charts(figs, request, "measure-chart", network_slug=network.slug,
                         pk=measure.project_id, measure_pk=measure.pk)
    context = {
        **figs.context,
        "network": network, "project": measure.project, "measure": measure,
        "overall_chart": next((c for c in linked if c.id == "spc"), None),
        "quintile_charts": {c.id: c for c in linked if c.id != "spc"},
        "can_edit": can_edit(request, measure.project),
        "can_follow": has_permission(request.user, Permission.FOLLOW_QI_PROJECT,
                                     network),
        "following": queries.follows_measure(measure, request.user),
        "cycles": measure.cycles.all(),
        "crumbs": crumbs(network, measure.project),
    }
    return TemplateResponse(request, "improvement/measure_detail.html", context)


@gate(Permission.VIEW_QI_PROJECTS, load=load_measure, as_="measure")
def measure_chart(request: HttpRequest, network: Network, measure: Measure,
                  chart_id: str, fmt: str) -> HttpResponse:
    return twin(measure_figures(measure), chart_id, fmt,
                f"project-{measure.project_id}-measure-{measure.pk}")


@gate(Permission.EDIT_QI_PROJECT, load=load_project, as_="project")
def measure_create(request: HttpRequest, network: Network,
                   project: QIProject) -> HttpResponse:
    if project.is_closed:
        return closed_redirect(request, project)
    form = MeasureForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        measure = actions.add_measure(project=project, by=request.user,
                                      **form.cleaned_data)
        messages.success(request, f"Measure '{measure.name}' added. Add its data "
                         "next.")
        return redirect(measure_url(measure))
    context = {"network": network, "project": project, "form": form,
               "heading": "Add a measure", "button": "Add measure",
               "caption": project.title, "crumbs": crumbs(network, project)}
    return TemplateResponse(request, "improvement/measure_form.html", context)


@gate(Permission.EDIT_QI_PROJECT, load=load_measure, as_="measure")
def measure_edit(request: HttpRequest, network: Network,
                 measure: Measure) -> HttpResponse:
    if measure.project.is_closed:
        return closed_redirect(request, measure.project)
    form = MeasureForm(request.POST or None, instance=Measure.objects.get(
        pk=measure.pk), project=measure.project)
    if request.method == "POST" and form.is_valid():
        changed = actions.update_measure(measure=measure, by=request.user,
                                         **form.cleaned_data)
        messages.success(request, "The measure is saved." if changed
                         else "Nothing changed.")
        return redirect(measure_url(measure))
    context = {"network": network, "project": measure.project, "measure": measure,
               "form": form, "heading": "Change the measure", "button": "Save measure",
               "caption": measure.name, "crumbs": measure_crumbs(network, measure)}
    return TemplateResponse(request, "improvement/measure_form.html", context)


@gate(Permission.EDIT_QI_PROJECT, load=load_measure, as_="measure")
def measure_data(request: HttpRequest, network: Network,
                 measure: Measure) -> HttpResponse:
    if measure.project.is_closed:
        return closed_redirect(request, measure.project)
    form = DataPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            point = actions.add_data_point(measure=measure, by=request.user,
                                           **form.cleaned_data)
        except actions.DuplicatePoint as duplicate:
            form.add_error("period", f"{duplicate}: remove it first to change it")
        else:
            messages.success(request, f"Value for {point.period:%B %Y} added.")
            return redirect(measure_url(measure, "measure-data"))
    context = {"network": network, "project": measure.project, "measure": measure,
               "form": form, "points": measure.points.all(),
               "heading": "Enter data by hand", "button": "Add the value",
               "caption": measure.name, "crumbs": measure_crumbs(network, measure)}
    return TemplateResponse(request, "improvement/measure_data.html", context)


@gate(Permission.EDIT_QI_PROJECT, load=load_measure, as_="measure")
@require_http_methods(["GET", "POST"])
def measure_point_remove(request: HttpRequest, network: Network, measure: Measure,
                         point_pk: int) -> HttpResponse:
    if measure.project.is_closed:
        return closed_redirect(request, measure.project)
    point = get_object_or_404(measure.points, pk=point_pk)
    if request.method != "POST":
        quintile = f", quintile {point.quintile}" if point.quintile else ""
        return confirm(
            request,
            question=f"Remove the value for {point.period:%B %Y}{quintile}?",
            explanation=f"{measure.name} will no longer show {point.value:g} for "
            f"{point.period:%B %Y}, and its chart will be drawn again without it.",
            button="Remove the value", back_url=measure_url(measure, "measure-data"),
            crumbs=measure_crumbs(network, measure))
    actions.remove_data_point(point=point, by=request.user)
    messages.success(request, f"Value for {point.period:%B %Y} removed.")
    return redirect(measure_url(measure, "measure-data"))


@gate(Permission.EDIT_QI_PROJECT, load=load_measure, as_="measure")
def measure_upload(request: HttpRequest, network: Network,
                   measure: Measure) -> HttpResponse:
    if measure.project.is_closed:
        return closed_redirect(request, measure.project)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = actions.import_points(measure=measure, by=request.user,
                                           content=upload.read(),
                                           file_name=upload.name or "")
        except actions.DataFileInvalid as invalid:
            problems = invalid.problems
            form.add_error("file", f"The file has {len(problems)} problem"
                           f"{'s' if len(problems) != 1 else ''}, so nothing was "
                           "saved: see the list below the form")
        else:
            messages.success(request, result.summary())
            return redirect(measure_url(measure))
    context = {"network": network, "project": measure.project, "measure": measure,
               "form": form, "problems": problems[:200],
               "more_problems": max(len(problems) - 200, 0), "example": EXAMPLE,
               "heading": "Upload data from a CSV file", "button": "Check and upload",
               "multipart": True, "caption": measure.name,
               "crumbs": measure_crumbs(network, measure)}
    return TemplateResponse(request, "improvement/measure_upload.html", context)


@gate(Permission.EDIT_QI_PROJECT, load=load_measure, as_="measure")
def measure_rebase(request: HttpRequest, network: Network,
                   measure: Measure) -> HttpResponse:
    if measure.project.is_closed:
        return closed_redirect(request, measure.project)
    form = RebaseForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            rebase = actions.rebase_measure(measure=measure, by=request.user,
                                            **form.cleaned_data)
        except ValueError as error:
            form.add_error("period", str(error))
        else:
            messages.success(request, "The limits are recalculated from "
                             f"{rebase.period:%B %Y}.")
            return redirect(measure_url(measure))
    context = {"network": network, "project": measure.project, "measure": measure,
               "form": form, "rebases": measure.rebases.select_related("by"),
               "heading": "Recalculate the process limits",
               "button": "Recalculate the limits", "caption": measure.name,
               "crumbs": measure_crumbs(network, measure)}
    return TemplateResponse(request, "improvement/measure_rebase.html", context)


