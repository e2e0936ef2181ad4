"""What every improvement page shares: loaders for the gate, crumbs, permissions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from ..models import Cycle, DriverNode, Measure, QIProject


def load_project(*, network: Network, kwargs: dict[str, Any]) -> QIProject:
    return get_object_or_404(
        QIProject.objects.select_related("network", "topic", "sponsor", "nomination"),
        network=network, pk=kwargs.pop("pk"))


def load_measure(*, network: Network, kwargs: dict[str, Any]) -> Measure:
    return get_object_or_404(
        Measure.objects.select_related("project__network"),
        project__network=network, project__pk=kwargs.pop("pk"),
        pk=kwargs.pop("measure_pk"))


def load_cycle(*, network: Network, kwargs: dict[str, Any]) -> Cycle:
    return get_object_or_404(
        Cycle.objects.select_related("project__network", "change_idea", "measure",
                                     "previous"),
        project__network=network, project__pk=kwargs.pop("pk"),
        pk=kwargs.pop("cycle_pk"))


def load_node(*, network: Network, kwargs: dict[str, Any]) -> DriverNode:
    return get_object_or_404(
        DriverNode.objects.select_related("project__network"),
        project__network=network, project__pk=kwargs.pop("pk"),
        pk=kwargs.pop("node_pk"))


def board_url(network: Network) -> str:
    return reverse("projects", kwargs={"network_slug": network.slug})


def project_url(project: QIProject, name: str = "project-detail", **extra: Any) -> str:
    return reverse(name, kwargs={"network_slug": project.network.slug,
                                 "pk": project.pk, **extra})


def crumbs(network: Network, project: QIProject | None = None,
           *extra: tuple[str, str]) -> list[tuple[str, str]]:
    trail = [(network.short_name, network.get_absolute_url()),
             ("Projects", board_url(network))]
    if project is not None:
        trail.append((project.title, project_url(project)))
    return [*trail, *extra]


def can_edit(request: HttpRequest, project: QIProject) -> bool:
    return not project.is_closed and has_permission(
        request.user, Permission.EDIT_QI_PROJECT, project.network, project)


def can_close(request: HttpRequest, project: QIProject) -> bool:
    return not project.is_closed and has_permission(
        request.user, Permission.CLOSE_QI_PROJECT, project.network, project)
