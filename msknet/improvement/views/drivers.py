"""The driver diagram: read it, add, rename and remove its nodes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission

from .. import actions
from ..forms import NodeForm, RenameNodeForm
from ..models import DriverNode, QIProject
from .common import can_edit, crumbs, load_node, load_project, project_url
from .projects import closed_redirect, tree


def drivers_crumbs(network: Network, project: QIProject) -> list[tuple[str, str]]:
    return crumbs(network, project,
                  ("Driver diagram", project_url(project, "project-drivers")))


@gate(Permission.VIEW_QI_PROJECTS, load=load_project, as_="project")
def project_drivers(request: HttpRequest, network: Network,
                    project: QIProject) -> HttpResponse:
    context = {"network": network, "project": project, "tree": tree(project),
               "can_edit": can_edit(request, project),
               "crumbs": crumbs(network, project)}
    return TemplateResponse(request, "improvement/drivers.html", context)


@gate(Permission.EDIT_QI_PROJECT, load=load_project, as_="project")
def driver_add(request: HttpRequest, network: Network,
               project: QIProject) -> HttpResponse:
    if project.is_closed:
        return closed_redirect(request, project)
    initial = {"parent": request.GET.get("parent", "aim")}
    form = NodeForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        node = actions.add_node(project=project, by=request.user, **form.cleaned_data)
        messages.success(request, f"{node.kind_label} '{node.text}' added.")
        return redirect(project_url(project, "project-drivers"))
    context = {"network": network, "project": project, "form": form,
               "heading": "Add to the driver diagram", "button": "Add",
               "caption": project.title, "crumbs": drivers_crumbs(network, project)}
    return TemplateResponse(request, "improvement/_form_page.html", context)


@gate(Permission.EDIT_QI_PROJECT, load=load_node, as_="node")
def driver_edit(request: HttpRequest, network: Network,
                node: DriverNode) -> HttpResponse:
    project = node.project
    if project.is_closed:
        return closed_redirect(request, project)
    form = RenameNodeForm(request.POST or None, initial={"text": node.text})
    if request.method == "POST" and form.is_valid():
        actions.rename_node(node=node, by=request.user, **form.cleaned_data)
        messages.success(request, f"{node.kind_label} renamed.")
        return redirect(project_url(project, "project-drivers"))
    context = {"network": network, "project": project, "node": node, "form": form,
               "heading": f"Rename the {node.kind_label.lower()}", "button": "Save",
               "caption": project.title, "crumbs": drivers_crumbs(network, project)}
    return TemplateResponse(request, "improvement/_form_page.html", context)


@gate(Permission.EDIT_QI_PROJECT, load=load_node, as_="node")
def driver_remove(request: HttpRequest, network: Network,
                  node: DriverNode) -> HttpResponse:
    project = node.project
    if project.is_closed:
        return closed_redirect(request, project)
    error = ""
    if request.method == "POST":
        try:
            removed = actions.remove_node(node=node, by=request.user)
        except actions.InUse as in_use:
            error = str(in_use)
        else:
            messages.success(request, f"'{node.text}' removed"
                             + (f" with {removed - 1} more under it." if removed > 1
                                else "."))
            return redirect(project_url(project, "project-drivers"))
    context = {"network": network, "project": project, "node": node, "error": error,
               "below": tree(project), "crumbs": drivers_crumbs(network, project)}
    return TemplateResponse(request, "improvement/driver_remove.html", context)
