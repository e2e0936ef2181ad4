"""Improvement projects: projects, their measures with data, and PDSA cycles.

Members read every project of their network; a project's team and the
network's leads add data points and plan cycles, as on the pages.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import field_validator

from msknet.improvement import actions, figures
from msknet.improvement.csvdata import FIRST_YEAR, LAST_YEAR
from msknet.improvement.models import Cycle, Measure, QIProject, TeamMember
from msknet.members.models import Network
from msknet.members.permissions import Permission

from .errors import FieldErrors
from .gate import api_gate, api_user
from .pagination import Pagination
from .responses import errors
from .schemas import ICBRef, SearchText, TopicRef, text

router = Router(tags=["Improvement projects"])
Title = text(200, min_length=1)
Wording = text(5000, min_length=1)
Who = text(300, min_length=1)
Annotation = text(200)
MAX_POINTS = 5000
CLOSED_MESSAGE = "This project is closed, so it no longer changes"


def load_project(*, network: Network, kwargs: dict[str, Any]) -> QIProject:
    return get_object_or_404(QIProject.objects.select_related("network"),
                             network=network, pk=kwargs["id"])


def load_measure(*, network: Network, kwargs: dict[str, Any]) -> Measure:
    return get_object_or_404(Measure.objects.select_related("project__network"),
                             project__network=network, project__pk=kwargs["id"],
                             pk=kwargs["measure_id"])


class TeamMemberOut(Schema):
    name: str
    role: str
    lived_experience: bool = Field(description="A lived-experience partner")

    @staticmethod
    def resolve_name(obj: TeamMember) -> str:
        return obj.user.display_name


class ProjectOut(Schema):
    id: int
    title: str
    aim: str = Field(description="The project's SMART aim")
    problem: str
    stage: str = Field(description="scoping, testing, implementing, spreading or "
                       "closed")
    progress_score: float | None = Field(
        description="IHI progress score, 0.5 to 5.0 in steps of 0.5")
    progress_label: str = Field(description="The IHI score in words")
    term: str = Field(description="short, medium, long or empty")
    topic: TopicRef | None
    icbs: list[ICBRef]
    sponsor: str | None
    team: list[TeamMemberOut]
    nomination_id: int | None
    learning: str = Field(description="What the project learned, once closed")
    created_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_progress_score(obj: QIProject) -> float | None:
        return None if obj.progress_score is None else float(obj.progress_score)

    @staticmethod
    def resolve_progress_label(obj: QIProject) -> str:
        return obj.score_text

    @staticmethod
    def resolve_sponsor(obj: QIProject) -> str | None:
        return obj.sponsor.display_name if obj.sponsor else None

    @staticmethod
    def resolve_icbs(obj: QIProject) -> list[Any]:
        return list(obj.icbs.all())

    @staticmethod
    def resolve_team(obj: QIProject) -> list[Any]:
        return list(obj.team.all())


class PointOut(Schema):
    period: date
    value: float
    quintile: int | None = Field(description="Deprivation quintile 1-5, or null")
    annotation: str


class MeasureOut(Schema):
    id: int
    kind: str = Field(description="outcome, process or balancing")
    name: str
    definition: str
    unit: str
    improvement: str = Field(description="increase or decrease")
    target: float | None
    variation: str | None = Field(
        description="Making Data Count variation icon of the latest point (overall "
        "series), or null with too few points")
    assurance: str | None = Field(
        description="Making Data Count assurance icon, or null (no target, or too "
        "few points)")
    points: list[PointOut]

    @staticmethod
    def resolve_points(obj: Measure) -> list[Any]:
        return list(obj.points.all())

    @staticmethod
    def resolve_variation(obj: Measure) -> str | None:
        chart = figures.measure_spc(obj, list(obj.points.all()),
                                    list(obj.rebases.all())).overall.chart
        return None if chart is None else str(chart.variation)

    @staticmethod
    def resolve_assurance(obj: Measure) -> str | None:
        chart = figures.measure_spc(obj, list(obj.points.all()),
                                    list(obj.rebases.all())).overall.chart
        if chart is None or chart.assurance is None:
            return None
        return str(chart.assurance)


class PointIn(Schema):
    period: date = Field(description="The start of the period, such as 2025-04-01")
    value: float
    quintile: int | None = Field(None, ge=1, le=5)
    annotation: Annotation = ""

    @field_validator("value")
    @classmethod
    def finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("Enter a number")
        return value

    @field_validator("period")
    @classmethod
    def in_range(cls, period: date) -> date:
        if not FIRST_YEAR <= period.year <= LAST_YEAR:
            raise ValueError(f"Enter a period between {FIRST_YEAR} and {LAST_YEAR}")
        return period


class PointsIn(Schema):
    points: list[PointIn] = Field(min_length=1, max_length=MAX_POINTS)


class ChangeIdeaRef(Schema):
    id: int
    text: str


class CycleOut(Schema):
    id: int
    title: str
    change_idea: ChangeIdeaRef
    previous_id: int | None = Field(description="The cycle this one follows")
    measure_id: int | None
    plan_what: str
    plan_who: str
    plan_when: date
    prediction: str
    do_notes: str
    study_notes: str
    act: str = Field(description="adopt, adapt, abandon or empty")
    act_notes: str
    status: str = Field(description="planned, done, studied or acted")

    @staticmethod
    def resolve_status(obj: Cycle) -> str:
        return str(obj.status)


class CycleIn(Schema):
    change_idea_id: int
    title: Title
    plan_what: Wording
    plan_who: Who
    plan_when: date
    prediction: Wording
    measure_id: int | None = None
    previous_id: int | None = None


def projects(network: Network) -> QuerySet[QIProject]:
    return (QIProject.objects.for_network(network)
            .select_related("topic", "sponsor")
            .prefetch_related("icbs", "team__user"))


@router.get(
    "/networks/{slug}/projects",
    response={200: list[ProjectOut], **errors(401, 403, 404, 422)},
    url_name="qi-project-list", operation_id="list_qi_projects",
    summary="List improvement projects",
)
@api_gate(Permission.VIEW_QI_PROJECTS)
@paginate(Pagination)
def project_list(request: HttpRequest, network: Network,
                 q: SearchText = "") -> QuerySet[QIProject]:
    """Every project in the network, open and closed, by title.

    `q` matches every word in the title, aim, problem or learning.
    """
    found = projects(network)
    if q:
        found = found.search(q)
    return found.order_by("title", "pk")


@router.get(
    "/networks/{slug}/projects/{id}",
    response={200: ProjectOut, **errors(401, 403, 404)},
    url_name="qi-project-detail", operation_id="get_qi_project",
    summary="Get an improvement project",
)
@api_gate(Permission.VIEW_QI_PROJECTS)
def project_detail(request: HttpRequest, network: Network, id: int) -> QIProject:
    return get_object_or_404(projects(network), pk=id)


@router.get(
    "/networks/{slug}/projects/{id}/measures",
    response={200: list[MeasureOut], **errors(401, 403, 404, 422)},
    url_name="qi-measure-list", operation_id="list_qi_measures",
    summary="List a project's measures with their data",
)
@api_gate(Permission.VIEW_QI_PROJECTS, load=load_project, as_="project")
@paginate(Pagination)
def measure_list(request: HttpRequest, network: Network, id: int,
                 project: QIProject) -> QuerySet[Measure]:
    """Each measure with its data points and latest Making Data Count icons."""
    return project.measures.prefetch_related("points", "rebases").order_by(
        "kind", "name", "pk")


@router.post(
    "/networks/{slug}/projects/{id}/measures/{measure_id}/points",
    response={201: MeasureOut, **errors(401, 403, 404, 409, 422)},
    url_name="qi-measure-points-add", operation_id="add_qi_measure_points",
    summary="Add data points to a measure",
)
@api_gate(Permission.EDIT_QI_PROJECT, load=load_measure, as_="measure")
def measure_points_add(request: HttpRequest, network: Network, id: int,
                       measure_id: int, payload: PointsIn, measure: Measure) -> Status:
    """All or nothing: 409 if the measure already has a value for a period (and
    quintile), or the project is closed; 422 for repeats within the request."""
    keys = [(p.period, p.quintile) for p in payload.points]
    for index, key in enumerate(keys):
        if key in keys[:index]:
            raise FieldErrors({f"points.{index}.period": "This period (and "
                               "quintile) is already in the request"})
    try:
        actions.add_data_points(measure=measure, by=api_user(request),
                                points=[p.dict() for p in payload.points])
    except actions.DuplicatePoint as duplicate:
        raise HttpError(409, str(duplicate)) from None
    except actions.ProjectClosed:
        raise HttpError(409, CLOSED_MESSAGE) from None
    return Status(201, Measure.objects.prefetch_related("points", "rebases")
                  .get(pk=measure.pk))


@router.get(
    "/networks/{slug}/projects/{id}/cycles",
    response={200: list[CycleOut], **errors(401, 403, 404, 422)},
    url_name="qi-cycle-list", operation_id="list_qi_cycles",
    summary="List a project's PDSA cycles",
)
@api_gate(Permission.VIEW_QI_PROJECTS, load=load_project, as_="project")
@paginate(Pagination)
def cycle_list(request: HttpRequest, network: Network, id: int,
               project: QIProject) -> QuerySet[Cycle]:
    return project.cycles.select_related("change_idea").order_by("plan_when", "pk")


@router.post(
    "/networks/{slug}/projects/{id}/cycles",
    response={201: CycleOut, **errors(401, 403, 404, 409, 422)},
    url_name="qi-cycle-create", operation_id="create_qi_cycle",
    summary="Plan a PDSA cycle",
)
@api_gate(Permission.EDIT_QI_PROJECT, load=load_project, as_="project")
def cycle_create(request: HttpRequest, network: Network, id: int, payload: CycleIn,
                 project: QIProject) -> Status:
    """Plan a cycle testing one of the project's change ideas, perhaps following
    an earlier cycle (`previous_id`). 409 if the project is closed."""
    idea = project.driver_nodes.filter(pk=payload.change_idea_id,
                                       kind="change_idea").first()
    if idea is None:
        raise FieldErrors({"change_idea_id": "Choose one of the project's change "
                           "ideas"})
    measure = None
    if payload.measure_id is not None:
        measure = project.measures.filter(pk=payload.measure_id).first()
        if measure is None:
            raise FieldErrors({"measure_id": "Choose one of the project's measures"})
    previous = None
    if payload.previous_id is not None:
        previous = project.cycles.filter(pk=payload.previous_id).first()
        if previous is None or Cycle.objects.filter(previous=previous).exists():
            raise FieldErrors({"previous_id": "Choose one of the project's cycles "
                               "that no cycle follows yet"})
    fields = payload.dict(exclude={"change_idea_id", "measure_id", "previous_id"})
    try:
        cycle = actions.plan_cycle(project=project, by=api_user(request),
                                   change_idea=idea, measure=measure,
                                   previous=previous, **fields)
    except actions.ProjectClosed:
        raise HttpError(409, CLOSED_MESSAGE) from None
    return Status(201, cycle)
