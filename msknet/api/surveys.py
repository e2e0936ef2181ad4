"""Surveys: building. The network's surveys, one survey's definition (its
sections, questions and skip rules), making one from a ready-made template,
and opening and closing it. For leads (MANAGE_SURVEYS)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from msknet.community.models import Event
from msknet.members.models import Network
from msknet.members.permissions import Permission
from msknet.surveys import building_queries as queries
from msknet.surveys.actions import building as actions
from msknet.surveys.actions.common import Refused
from msknet.surveys.catalogue import TEMPLATES
from msknet.surveys.models import Question, Survey

from .errors import FieldErrors
from .gate import api_gate, api_user
from .pagination import Pagination
from .responses import errors

router = Router(tags=["Surveys: building"])

MAX_ID = 2**31 - 1


class SurveyOut(Schema):
    id: int
    title: str
    status: str = Field(description="draft, open or closed")
    audience: str = Field(description="members, group, event_attendees or "
                          "anyone_with_link")
    group_id: int | None
    event_id: int | None
    anonymous: bool
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    responses_per_person: int
    template: str = Field(description="The ready-made template it started from, "
                          "if any")
    responses: int = Field(description="Responses sent")


class ShowIfOut(Schema):
    question_id: int
    answer: str = Field(description="The question is asked only when this earlier "
                        "question's answer is (or, for multiple choice, includes) "
                        "this")


class QuestionOut(Schema):
    id: int
    kind: str = Field(description="single, multiple, rating, likert, number, date, "
                      "short_text or long_text")
    text: str
    hint: str
    required: bool
    options: list[str] = Field(description="Choices; a Likert grid's answer scale")
    statements: list[str] = Field(description="A Likert grid's statements")
    scale_min: int | None
    scale_max: int | None
    low_label: str
    high_label: str
    breakdown: str = Field(description="sector, icb, step or role, or empty")
    show_if: ShowIfOut | None = None


class SectionOut(Schema):
    id: int
    title: str
    intro: str
    questions: list[QuestionOut]


class SurveyDetailOut(SurveyOut):
    welcome: str
    thank_you: str
    sections: list[SectionOut]


class SurveyIn(Schema):
    template: str = Field(description="landscape, event_feedback or lived_experience")
    title: str = Field("", max_length=200,
                       description="Leave empty for the template's own")
    event: int | None = Field(None, ge=1, le=MAX_ID,
                              description="For event feedback: the event's id")


def survey_out(survey: Survey, responses: int | None = None) -> dict[str, Any]:
    return {
        "id": survey.pk, "title": survey.title, "status": survey.status,
        "audience": survey.audience, "group_id": survey.group_id,
        "event_id": survey.event_id, "anonymous": survey.anonymous,
        "opens_at": survey.opens_at, "closes_at": survey.closes_at,
        "responses_per_person": survey.responses_per_person,
        "template": survey.template,
        "responses": responses if responses is not None
        else getattr(survey, "sent", None) or survey.responses.count(),
    }


def question_out(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk, "kind": question.kind, "text": question.text,
        "hint": question.hint, "required": question.required,
        "options": question.options, "statements": question.statements,
        "scale_min": question.scale_min, "scale_max": question.scale_max,
        "low_label": question.low_label, "high_label": question.high_label,
        "breakdown": question.breakdown,
        "show_if": {"question_id": question.show_if_question_id,
                    "answer": question.show_if_answer}
        if question.show_if_question_id else None,
    }


def detail(survey: Survey) -> dict[str, Any]:
    return {
        **survey_out(survey, survey.responses.count()),
        "welcome": survey.welcome, "thank_you": survey.thank_you,
        "sections": [
            {"id": item.section.pk, "title": item.section.title,
             "intro": item.section.intro,
             "questions": [question_out(q) for q in item.questions]}
            for item in queries.structure(survey)
        ],
    }


def _survey(network: Network, id: int) -> Survey:
    if not 0 < id <= MAX_ID:  # no database here holds such an id
        raise Http404("No such survey")
    return get_object_or_404(Survey, network=network, pk=id)


@router.get(
    "/networks/{slug}/surveys",
    response={200: list[SurveyOut], **errors(401, 403, 404, 422)},
    url_name="survey-list", operation_id="list_surveys",
    summary="The network's surveys, newest first",
)
@api_gate(Permission.MANAGE_SURVEYS)
@paginate(Pagination)
def survey_list(request: HttpRequest, network: Network) -> list[dict[str, Any]]:
    return [survey_out(s) for s in queries.surveys_of(network)]


@router.get(
    "/networks/{slug}/surveys/{id}",
    response={200: SurveyDetailOut, **errors(401, 403, 404, 422)},
    url_name="survey-detail", operation_id="survey_detail",
    summary="A survey's definition: its sections, questions and skip rules",
)
@api_gate(Permission.MANAGE_SURVEYS)
def survey_detail(request: HttpRequest, network: Network,
                  id: int) -> dict[str, Any]:
    return detail(_survey(network, id))


@router.post(
    "/networks/{slug}/surveys",
    response={201: SurveyDetailOut, **errors(401, 403, 404, 422)},
    url_name="survey-create", operation_id="create_survey",
    summary="Make a draft survey from a ready-made template",
)
@api_gate(Permission.MANAGE_SURVEYS)
def survey_create(request: HttpRequest, network: Network, payload: SurveyIn) -> Status:
    """422 names the field: an unknown template, or event feedback without one
    of the network's events."""
    if payload.template not in TEMPLATES:
        raise FieldErrors({"template": f"There is no template {payload.template!r}: "
                           f"choose one of {', '.join(TEMPLATES)}"})
    event = None
    if payload.event is not None:
        event = Event.objects.filter(network=network, pk=payload.event).first()
        if event is None:
            raise FieldErrors({"event": f"{network} has no event {payload.event}"})
    try:
        survey = actions.create_survey(network=network, by=api_user(request),
                                       template=payload.template,
                                       title=payload.title, event=event)
    except Refused as error:
        raise FieldErrors({error.field or "template": str(error)}) from None
    return Status(201, detail(survey))


@router.post(
    "/networks/{slug}/surveys/{id}/open",
    response={200: SurveyOut, **errors(401, 403, 404, 422)},
    url_name="survey-open", operation_id="open_survey",
    summary="Open a survey to its audience",
)
@api_gate(Permission.MANAGE_SURVEYS)
def survey_open(request: HttpRequest, network: Network,
                id: int) -> dict[str, Any]:
    """A members' or group survey tells its audience. 422 when it has no
    questions, no group or event for its audience, or its close date passed."""
    try:
        survey = actions.open_survey(survey=_survey(network, id), by=api_user(request))
    except Refused as error:
        raise FieldErrors({error.field or "status": str(error)}) from None
    return survey_out(survey)


@router.post(
    "/networks/{slug}/surveys/{id}/close",
    response={200: SurveyOut, **errors(401, 403, 404, 422)},
    url_name="survey-close", operation_id="close_survey",
    summary="Close a survey to responses",
)
@api_gate(Permission.MANAGE_SURVEYS)
def survey_close(request: HttpRequest, network: Network,
                 id: int) -> dict[str, Any]:
    """422 unless it is open."""
    try:
        survey = actions.close_survey(survey=_survey(network, id), by=api_user(request))
    except Refused as error:
        raise FieldErrors({error.field or "status": str(error)}) from None
    return survey_out(survey)
