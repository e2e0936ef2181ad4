"""Follow and Unfollow buttons on a project's and a measure's pages (POST only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission

from .. import actions
from ..models import Measure, QIProject
from .common import load_measure, load_project, project_url
from .measures import measure_url


@gate(Permission.FOLLOW_QI_PROJECT, load=load_project, as_="project")
@require_POST
def project_follow(request: HttpRequest, network: Network,
                   project: QIProject) -> HttpResponse:
    actions.follow_project(project=project, by=request.user)
    messages.success(request, "You are following this project: new signals in its "
                     "measures will appear in your notifications.")
    return redirect(project_url(project))


@gate(Permission.FOLLOW_QI_PROJECT, load=load_project, as_="project")
@require_POST
def project_unfollow(request: HttpRequest, network: Network,
                     project: QIProject) -> HttpResponse:
    actions.unfollow_project(project=project, by=request.user)
    messages.success(request, "You no longer follow this project.")
    return redirect(project_url(project))


@gate(Permission.FOLLOW_QI_PROJECT, load=load_measure, as_="measure")
@require_POST
def measure_follow(request: HttpRequest, network: Network,
                   measure: Measure) -> HttpResponse:
    actions.follow_measure(measure=measure, by=request.user)
    messages.success(request, "You are following this measure: new signals in its "
                     "chart will appear in your notifications.")
    return redirect(measure_url(measure))


@gate(Permission.FOLLOW_QI_PROJECT, load=load_measure, as_="measure")
@require_POST
def measure_unfollow(request: HttpRequest, network: Network,
                     measure: Measure) -> HttpResponse:
    actions.unfollow_measure(measure=measure, by=request.user)
    messages.success(request, "You no longer follow this measure.")
    return redirect(measure_url(measure))
