"""Surveys: answering. The surveys open to you, and sending a response.

(The list is at `/networks/{slug}/open-surveys`: under `/surveys/` its last
segment would be taken for a survey's id.)

A response follows the same rules as the pages: only questions skip logic
asks are kept, every answer is checked against its question (options must
be the question's own, numbers numbers, dates real), required questions must
be answered, and nobody sends more than the survey allows. Each problem is a
422 naming the question (`answers.<question id>`); a closed survey or one you
have reached the limit of is a 422 naming `survey`. An anonymous response
keeps no link to your account.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from msknet.members.models import Network
from msknet.members.permissions import Permission
from msknet.surveys import answering_queries as queries
from msknet.surveys.actions import answering as actions
from msknet.surveys.actions.common import Refused
from msknet.surveys.models import Question, Survey, SurveyStatus

from .errors import FieldErrors
from .gate import api_gate, api_user, refuse
from .responses import errors

router = Router(tags=["Surveys: answering"])

MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class OpenSurveyOut(Schema):
    id: int
    title: str
    anonymous: bool = Field(description="Anonymous responses keep no link to you")
    sections: int
    closes_at: dt.datetime | None
    responses_per_person: int
    sent: int = Field(description="How many responses you have sent to it")
    has_draft: bool = Field(description="Whether you have answers saved on the site")


class ResponseIn(Schema):
    answers: dict[str, Any] = Field(
        description="{question id: value}: text for single choice, text and dates "
        "(YYYY-MM-DD); a list of text for multiple choice; a number for ratings "
        "and numbers; {statement: option} for a Likert grid",
        max_length=500)


class ResponseOut(Schema):
    survey_id: int
    submitted_on: dt.date
    anonymous: bool
    thank_you: str


def load_survey(*, network: Network, kwargs: dict[str, Any]) -> Survey:
    return get_object_or_404(
        Survey.objects.select_related("network", "group", "event")
        .exclude(status=SurveyStatus.DRAFT), network=network, pk=kwargs["id"])


@router.get(
    "/networks/{slug}/open-surveys",
    response={200: list[OpenSurveyOut], **errors(401, 403, 404)},
    url_name="survey-open-list", operation_id="list_open_surveys",
    summary="The surveys you can answer now",
)
@api_gate(Permission.VIEW_SURVEYS)
def open_surveys(request: HttpRequest, network: Network) -> list[dict[str, Any]]:
    """Taking responses and for you (their audience includes you), soonest
    closing first."""
    return [{"id": item.survey.pk, "title": item.survey.title,
             "anonymous": item.survey.anonymous,
             "sections": item.survey.section_count,
             "closes_at": item.survey.closes_at,
             "responses_per_person": item.survey.responses_per_person,
             "sent": item.sent, "has_draft": item.has_draft}
            for item in queries.open_to(api_user(request), network)]


@router.post(
    "/networks/{slug}/surveys/{id}/responses",
    response={201: ResponseOut, **errors(401, 403, 404, 422)},
    url_name="survey-response-send", operation_id="send_survey_response",
    summary="Send your answers to a survey",
)
@api_gate(Permission.ANSWER_SURVEY, load=load_survey, as_="survey")
def send_response(request: HttpRequest, network: Network, id: Id,
                  payload: ResponseIn, survey: Survey) -> Status:
    """All or nothing: 422 lists every question whose answer is missing or
    wrong. Answers to questions skip logic does not ask are dropped. Any
    answers you saved on the site are deleted once this is sent."""
    user = api_user(request)
    if not user.is_authenticated:  # the limit is per account
        raise refuse(user)
    known = {str(pk) for pk in Question.objects.filter(
        section__survey=survey).values_list("pk", flat=True)}
    unknown = {f"answers.{key}": f"The survey has no question {key}"
               for key in payload.answers if key not in known}
    if unknown:
        raise FieldErrors(unknown)
    store = actions.AccountAnswers(survey, user)
    try:
        response = actions.send_response(survey=survey, store=store,
                                         answers=payload.answers, by=user)
    except actions.AnswersRefused as error:
        raise FieldErrors({f"answers.{key}": message
                           for key, message in error.problems.items()}) from None
    except Refused as error:
        raise FieldErrors({error.field or "survey": str(error)}) from None
    return Status(201, {"survey_id": survey.pk, "submitted_on": response.submitted_on,
                        "anonymous": survey.anonymous, "thank_you": survey.thank_you})
