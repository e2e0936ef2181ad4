"""Project pages: the portfolio board, starting, details, team, progress, closing."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from msknet.core.confirm import confirm
from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission, permissions_for
from msknet.priorities.models import Decision, Nomination, Term

from .. import actions, figures, queries
from ..forms import CloseForm, ProgressForm, ProjectForm, TeamMemberForm
from ..models import IHI_SCALE, QIProject, Stage
from .common import (
    can_close,
    can_edit,
    crumbs,
    load_project,
    project_url,
)


def closed_redirect(request: HttpRequest, project: QIProject) -> HttpResponse:
    messages.info(request, "This project is closed, so it no longer changes.")
    return redirect(project_url(project))


@gate(Permission.VIEW_QI_PROJECTS)
def project_board(request: HttpRequest, network: Network) -> HttpResponse:
    icbs = network.icbs.all()
    topics = network.topics.all()
    icb = icbs.filter(ods_code=request.GET.get("icb", "")).first()
    topic = topics.filter(slug=request.GET.get("topic", "")).first()
    term = request.GET.get("term", "")
    term = term if term in Term.values else ""
    stage = request.GET.get("stage", "")
    stage = stage if stage in Stage.values or stage == "open" else ""
    q = request.GET.get("q", "").strip()[:200]
    rows = queries.board(network, icb=icb, topic=topic, term=term, stage=stage, q=q)
    context = {
        "network": network, "rows": rows, "icbs": icbs, "topics": topics,
        "terms": Term.choices, "stages": Stage.choices,
        "icb": icb, "topic": topic, "term": term, "stage": stage, "q": q,
        "filtered": bool(icb or topic or term or stage or q),
        "crumbs": [(network.short_name, network.get_absolute_url())],
        "may_start": Permission.START_QI_PROJECT in permissions_for(request.user,
                                                                   network),
    }
    return TemplateResponse(request, "improvement/board.html", context)


@gate(Permission.START_QI_PROJECT)
def project_start(request: HttpRequest, network: Network) -> HttpResponse:
    form = ProjectForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = actions.start_project(
            network=network, by=request.user, title=data["title"], aim=data["aim"],
            problem=data["problem"], sponsor=data["sponsor"], icbs=data["icbs"],
            topic=data["topic"], term=data["term"], serves=data["serves"])
        messages.success(request, f"Project '{project.title}' started. Add the team, "
                         "the driver diagram and the measures next.")
        return redirect(project_url(project))
    selected = (Nomination.objects.selected().for_network(network)
                .filter(project__isnull=True).select_related("round"))
    context = {"network": network, "form": form, "selected": selected,
               "heading": "Start an improvement project", "button": "Start project",
               "crumbs": crumbs(network)}
    return TemplateResponse(request, "improvement/project_start.html", context)


@gate(Permission.START_QI_PROJECT)
def project_start_from_nomination(request: HttpRequest, network: Network,
                                  nomination_pk: int) -> HttpResponse:
    nomination = get_object_or_404(
        Nomination.objects.for_network(network).select_related("round", "topic"),
        pk=nomination_pk)
    if nomination.decision != Decision.SELECTED:
        raise Http404("Only a selected nomination can start a project")
    existing = QIProject.objects.filter(nomination=nomination).first()
    if existing is not None:
        messages.info(request, "This nomination already has a project.")
        return redirect(project_url(existing))
    if request.method == "POST":
        project = actions.start_project_from_nomination(nomination=nomination,
                                                        by=request.user)
        messages.success(request, f"Project '{project.title}' started from the "
                         "nomination. Write its SMART aim next.")
        return redirect(project_url(project, "project-edit"))
    context = {"network": network, "nomination": nomination,
               "crumbs": crumbs(network)}
    return TemplateResponse(request, "improvement/project_from_nomination.html",
                            context)


@gate(Permission.VIEW_QI_PROJECTS, load=load_project, as_="project")
def project_detail(request: HttpRequest, network: Network,
                   project: QIProject) -> HttpResponse:
    measures = []
    for measure in project.measures.prefetch_related("points", "rebases"):
        spc = figures.measure_spc(measure, list(measure.points.all()),
                                  list(measure.rebases.all()))
        measures.append(spc)
    context = {
        "network": network, "project": project,
        "team": project.team.select_related("user"),
        "measures": measures,
        "cycles": queries.cycles(project),
        "tree": tree(project),
        "can_edit": can_edit(request, project),
        "can_close": can_close(request, project),
        "can_follow": has_permission(request.user, Permission.FOLLOW_QI_PROJECT,
                                     network),
        "following": queries.follows_project(project, request.user),
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "improvement/project_detail.html", context)


def tree(project: QIProject) -> list[dict]:
    """The driver diagram as nested dicts: node and children, in order."""
    nodes = list(project.driver_nodes.all())
    children: dict[int | None, list] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def branch(parent: int | None) -> list[dict]:
        return [{"node": n, "children": branch(n.pk)} for n in children.get(parent, [])]

    return branch(None)


@gate(Permission.EDIT_QI_PROJECT, load=load_project, as_="project")
def project_edit(request: HttpRequest, network: Network,
                 project: QIProject) -> HttpResponse:
    if project.is_closed:
        return closed_redirect(request, project)
    form = ProjectForm(request.POST or None, instance=QIProject.objects.get(
        pk=project.pk), network=network)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        icbs = data.pop("icbs")
        changed = actions.update_project(project=project, by=request.user, icbs=icbs,
                                         **data)
        messages.success(request, "The project's details are saved." if changed
                         else "Nothing changed.")
        return redirect(project_url(project))
    context = {"network": network, "project": project, "form": form,
               "heading": "Edit the project's details", "button": "Save details",
               "caption": project.title, "crumbs": crumbs(network, project)}
    return TemplateResponse(request, "improvement/_form_page.html", context)


@gate(Permission.EDIT_QI_PROJECT, load=load_project, as_="project")
def project_team(request: HttpRequest, network: Network,
                 project: QIProject) -> HttpResponse:
    if project.is_closed:
        return closed_redirect(request, project)
    form = TeamMemberForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        member = actions.add_team_member(project=project, by=request.user,
                                         **form.cleaned_data)
        messages.success(request, f"{member.user.display_name} is on the team.")
        return redirect(project_url(project, "project-team"))
    context = {"network": network, "project": project, "form": form,
               "team": project.team.select_related("user"),
               "heading": "The team", "button": "Add to the team",
               "caption": project.title, "crumbs": crumbs(network, project)}
    return TemplateResponse(request, "improvement/project_team.html", context)


@gate(Permission.EDIT_QI_PROJECT, load=load_project, as_="project")
@require_http_methods(["GET", "POST"])
def project_team_remove(request: HttpRequest, network: Network, project: QIProject,
                        member_pk: int) -> HttpResponse:
    if project.is_closed:
        return closed_redirect(request, project)
    member = get_object_or_404(project.team.select_related("user"), pk=member_pk)
    if request.method != "POST":
        team_url = project_url(project, "project-team")
        return confirm(
            request,
            question=f"Take {member.user.display_name} off the {project.title} team?",
            explanation="They will no longer be able to change the project unless "
            "they lead the network. You can add them again later.",
            button="Take them off the team", back_url=team_url,
            crumbs=crumbs(network, project, ("Team", team_url)))
    actions.remove_team_member(member=member, by=request.user)
    messages.success(request, f"{member.user.display_name} has left the team.")
    return redirect(project_url(project, "project-team"))


@gate(Permission.EDIT_QI_PROJECT, load=load_project, as_="project")
def project_progress(request: HttpRequest, network: Network,
                     project: QIProject) -> HttpResponse:
    if project.is_closed:
        return closed_redirect(request, project)
    initial = {"stage": project.stage,
               "score": str(project.progress_score) if project.progress_score else ""}
    form = ProgressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        change = actions.update_progress(project=project, by=request.user,
                                         **form.cleaned_data)
        messages.success(request, "Progress recorded." if change else
                         "Nothing changed.")
        return redirect(project_url(project))
    context = {"network": network, "project": project, "form": form,
               "scale": IHI_SCALE,
               "history": project.progress_changes.select_related("by"),
               "heading": "Stage and IHI progress score", "button": "Save progress",
               "caption": project.title, "crumbs": crumbs(network, project)}
    return TemplateResponse(request, "improvement/project_progress.html", context)


@gate(Permission.CLOSE_QI_PROJECT, load=load_project, as_="project")
def project_close(request: HttpRequest, network: Network,
                  project: QIProject) -> HttpResponse:
    if project.is_closed:
        return closed_redirect(request, project)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.close_project(project=project, by=request.user, **form.cleaned_data)
        messages.success(request, f"'{project.title}' is closed. What it learned "
                         "stays on the project board.")
        return redirect(project_url(project))
    context = {"network": network, "project": project, "form": form,
               "heading": "Close the project", "button": "Close the project",
               "caption": project.title, "crumbs": crumbs(network, project)}
    return TemplateResponse(request, "improvement/project_close.html", context)


@gate(Permission.VIEW_QI_PROJECTS, load=load_project, as_="project")
def project_timeline(request: HttpRequest, network: Network,
                     project: QIProject) -> HttpResponse:
    context = {"network": network, "project": project,
               "entries": queries.timeline(project),
               "crumbs": crumbs(network, project)}
    return TemplateResponse(request, "improvement/project_timeline.html", context)

