from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from msknet.core.gate import gate, public
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .. import queries
from ..actions import resources as actions
from ..forms import ResourceFilterForm, ResourceForm
from ..models import Resource
from ..search import search_resources
from .events import file_response

PAGE_SIZE = 20


def load_resource(*, network: Network, kwargs: dict[str, Any]) -> Resource:
    return get_object_or_404(
        Resource.objects.select_related("network", "created_by").prefetch_related(
            "topics", "audience_tags"
        ),
        network=network, pk=kwargs.pop("pk"),
    )


def crumbs(network: Network, resource: Resource | None = None) -> list[tuple[str, str]]:
    trail = [
        (network.short_name, network.get_absolute_url()),
        ("Resources", reverse("resource-list", args=[network.slug])),
    ]
    if resource is not None:
        trail.append((resource.title, resource.get_absolute_url()))
    return trail


@public
def resource_list(request: HttpRequest, network: Network) -> HttpResponse:
    form = ResourceFilterForm(request.GET or None, network=network)
    resources = queries.visible_resources(request.user, network)
    query = ""
    if form.is_valid():
        data = form.cleaned_data
        query = data["q"]
        if data["kind"]:
            resources = resources.filter(kind=data["kind"])
        if data["topic"]:
            resources = resources.filter(topics__slug=data["topic"])
        if data["audience"]:
            resources = resources.with_audience(data["audience"])
        resources = search_resources(resources, query)
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "network": network,
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1
        ),
        "query": query,
        "params": params.urlencode(),
        "can_add": has_permission(request.user, Permission.ADD_RESOURCE, network),
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "community/resource_list.html", context)


@gate(Permission.VIEW_RESOURCE, load=load_resource, as_="resource")
def resource_detail(
    request: HttpRequest, network: Network, resource: Resource
) -> HttpResponse:
    context = {
        "network": network,
        "resource": resource,
        "can_edit": has_permission(request.user, Permission.EDIT_RESOURCE, network,
                                   resource),
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "community/resource_detail.html", context)


@gate(Permission.VIEW_RESOURCE, load=load_resource, as_="resource")
def resource_file(
    request: HttpRequest, network: Network, resource: Resource
) -> HttpResponse:
    if not resource.file:
        raise Http404("This resource is a link, not a file")
    return file_response(resource.file, resource.file_name, resource.content_type)


@gate(Permission.ADD_RESOURCE)
def resource_create(request: HttpRequest, network: Network) -> HttpResponse:
    form = ResourceForm(request.POST or None, request.FILES or None, network=network)
    if request.method == "POST" and form.is_valid():
        resource = actions.add_resource(network=network, by=request.user,
                                        **form.action_fields())
        messages.success(request, f"{resource.title} is in the library.")
        return redirect(resource)
    context = {"network": network, "form": form, "crumbs": crumbs(network)}
    return TemplateResponse(request, "community/resource_form.html", context)


@gate(Permission.EDIT_RESOURCE, load=load_resource, as_="resource")
def resource_edit(
    request: HttpRequest, network: Network, resource: Resource
) -> HttpResponse:
    stored = Resource.objects.get(pk=resource.pk)
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource,
                        network=network)
    if request.method == "POST" and form.is_valid():
        actions.update_resource(resource=stored, by=request.user, **form.action_fields())
        messages.success(request, "Your changes are saved.")
        return redirect(stored)
    context = {"network": network, "form": form, "resource": stored,
               "crumbs": crumbs(network, stored)}
    return TemplateResponse(request, "community/resource_form.html", context)


@gate(Permission.EDIT_RESOURCE, load=load_resource, as_="resource")
def resource_delete(
    request: HttpRequest, network: Network, resource: Resource
) -> HttpResponse:
    if request.method == "POST":
        title = resource.title
        actions.remove_resource(resource=resource, by=request.user)
        messages.success(request, f"{title} is no longer in the library.")
        return redirect("resource-list", network.slug)
    context = {"network": network, "resource": resource,
               "crumbs": crumbs(network, resource)}
    return TemplateResponse(request, "community/resource_delete.html", context)


urlpatterns = [
    path("n/<slug:network_slug>/resources/", resource_list, name="resource-list"),
    path("n/<slug:network_slug>/resources/new/", resource_create,
         name="resource-create"),
    path("n/<slug:network_slug>/resources/<int:pk>/", resource_detail,
         name="resource-detail"),
    path("n/<slug:network_slug>/resources/<int:pk>/file", resource_file,
         name="resource-file"),
    path("n/<slug:network_slug>/resources/<int:pk>/edit/", resource_edit,
         name="resource-edit"),
    path("n/<slug:network_slug>/resources/<int:pk>/delete/", resource_delete,
         name="resource-delete"),
]
