"""Surveys for tests: surveys from the ready-made templates, and responses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from msknet.members.models import Network
from msknet.surveys.catalogue import create_from_template
from msknet.surveys.models import (
    Answer,
    Audience,
    Participation,
    Question,
    Response,
    Survey,
    SurveyStatus,
    Theme,
)


def survey(network: Network, *, template: str = "landscape", by: Any = None,
           status: str = SurveyStatus.OPEN, **fields: Any) -> Survey:
    """A survey made from `template`, open unless `status` says otherwise."""
    made = create_from_template(network, template, by=by, event=fields.pop("event", None))
    for name, value in {"status": status, **fields}.items():
        setattr(made, name, value)
    made.save()
    return made


def question(survey: Survey, key_text: str) -> Question:
    """The survey's question whose text starts with `key_text`."""
    return Question.objects.get(section__survey=survey, text__startswith=key_text)


def respond(survey: Survey, answers: dict[Question, Any], *, by: Any = None,
            on: dt.date | None = None) -> Response:
    """A sent response; named only when the survey is named and `by` is given."""
    response = Response.objects.create(
        survey=survey, respondent=None if survey.anonymous else by,
        submitted_on=on or dt.date.today(),
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=q, value=value) for q, value in answers.items()
    )
    if by is not None:
        participation, _ = Participation.objects.get_or_create(survey=survey, user=by)
        participation.responses += 1
        participation.save(update_fields=["responses"])
    return response


def surveys_objects(network: Network, users: dict[str, Any]) -> dict[str, Any]:
    """For the role matrix: an open members' survey with a response and a
    theme, a draft, and an anonymous survey open to anyone with its link."""
    lead = users["lead"]
    members = survey(network, by=lead, title="Matrix landscape survey")
    challenge = question(members, "What is the biggest challenge")
    sent = respond(members, {
        question(members, "Which sector"): "Primary care",
        challenge: "Waiting lists for physiotherapy are long.",
    }, by=users["steering"])
    theme = Theme.objects.create(question=challenge, name="Waiting times", created_by=lead)
    draft = survey(network, by=lead, status=SurveyStatus.DRAFT, title="Matrix draft survey")
    public = survey(network, template="lived_experience", by=lead,
                    audience=Audience.ANYONE_WITH_LINK, title="Matrix lived experience",
                    token=f"matrix-{network.slug}")
    return {
        "survey": members.pk,
        "survey-draft": draft.pk,
        "survey-public": public.pk,
        "survey-token": public.token,
        "survey-section": members.sections.first().pk,
        "survey-question": challenge.pk,
        "survey-text-question": challenge.pk,
        "survey-answer": sent.answers.get(question=challenge).pk,
        "survey-response": str(sent.pk),
        "survey-theme": theme.pk,
    }
