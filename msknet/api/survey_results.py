"""Surveys: results.

The results summary's figures (for leads, and members once a lead shares
them), a cross-tab of one question by a breakdown question, and each
free-text question's themes (leads). Every figure but the themes' own
counts is suppressed as the pages are: a count or percentage for fewer than
five people is null with `suppressed: true`, as is any figure it could be
worked out from (docs/methods/survey-results.md).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from msknet.analytics import surveys as stats
from msknet.members.models import Network
from msknet.members.permissions import Permission
from msknet.surveys import results_queries as queries
from msknet.surveys.models import Survey

from .errors import FieldErrors
from .gate import api_gate
from .responses import errors

router = Router(tags=["Surveys: results"])

#: The largest id any database here stores.
MAX_ID = 2**31 - 1


def load_survey(*, network: Network, kwargs: dict[str, Any]) -> Survey:
    return get_object_or_404(Survey.objects.select_related("network"),
                             network=network, pk=kwargs["id"])


class CellOut(Schema):
    label: str
    respondents: int | None = Field(description="Null when suppressed")
    percent: float | None = Field(description="Of those who answered (of the group, "
                                  "in a cross-tab); null when suppressed")
    suppressed: bool


class StatementOut(Schema):
    statement: str
    respondents: int
    cells: list[CellOut]


class QuestionResultsOut(Schema):
    id: int
    text: str
    kind: str
    answered: int = Field(description="How many answered the question")
    suppressed: bool = Field(description="Fewer than 5 answered: no figures shown")
    cells: list[CellOut] = Field(description="Per option, scale point or month")
    statements: list[StatementOut] = Field(description="A Likert grid's statements")
    stats: dict[str, float | None] = Field(
        description="Rating: mean, median; number: mean, median, min, max")
    themes: list[CellOut] | None = Field(
        None, description="Free text: answers coded into each theme")


class ResultsOut(Schema):
    survey_id: int
    title: str
    responses: int
    questions: list[QuestionResultsOut]


class BreakdownGroupOut(Schema):
    label: str
    respondents: int | None
    suppressed: bool


class CrosstabRowOut(Schema):
    label: str
    cells: list[CellOut] = Field(description="One per group, in the groups' order")


class CrosstabOut(Schema):
    question_id: int
    by_id: int
    breakdown: str = Field(description="sector, icb, step or role")
    groups: list[BreakdownGroupOut] = Field(description="The breakdown's options, then "
                                   "'Not answered' if any, then 'All respondents'")
    rows: list[CrosstabRowOut]


class ThemeOut(Schema):
    id: int
    name: str
    description: str
    answers: int = Field(description="Answers coded into it (exact)")


class QuestionThemesOut(Schema):
    question_id: int
    question: str
    answers: int
    themes: list[ThemeOut]


def cell_out(cell: stats.Cell) -> dict[str, Any]:
    return {"label": cell.label, "respondents": cell.count, "percent": cell.percent,
            "suppressed": cell.suppressed}


def question_out(result: queries.QuestionResult) -> dict[str, Any]:
    tally = result.tally
    return {
        "id": result.question.pk, "text": result.question.text,
        "kind": result.question.kind, "answered": tally.respondents,
        "suppressed": tally.suppressed,
        "cells": [cell_out(c) for c in tally.cells],
        "statements": [{"statement": s.text, "respondents": s.respondents.count or 0,
                        "cells": [cell_out(c) for c in s.cells]}
                       for s in tally.statements],
        "stats": tally.stats,
        "themes": ([cell_out(c) for c in result.themes.cells]
                   if result.themes is not None else None),
    }


@router.get(
    "/networks/{slug}/surveys/{id}/results",
    response={200: ResultsOut, **errors(401, 403, 404, 422)},
    url_name="survey-results-api", operation_id="survey_results",
    summary="A survey's results summary, with small numbers suppressed",
)
@api_gate(Permission.VIEW_SURVEY_RESULTS, load=load_survey, as_="survey")
def results(request: HttpRequest, network: Network, id: int, survey: Survey
            ) -> dict[str, Any]:
    """Every question's figures. Leads may read any survey's; members once a
    lead has shared its summary. No free-text answer is given verbatim."""
    return {"survey_id": survey.pk, "title": survey.title,
            "responses": queries.response_count(survey),
            "questions": [question_out(r) for r in queries.results(survey)]}


def is_id(value: str) -> bool:
    return value.isdigit() and 0 < int(value) <= MAX_ID


@router.get(
    "/networks/{slug}/surveys/{id}/crosstab",
    response={200: CrosstabOut, **errors(401, 403, 404, 422)},
    url_name="survey-crosstab-api", operation_id="survey_crosstab",
    summary="One question's answers by a breakdown question's groups",
)
@api_gate(Permission.MANAGE_SURVEYS, load=load_survey, as_="survey")
def crosstab(request: HttpRequest, network: Network, id: int, survey: Survey,
             question: str = "", by: str = "") -> dict[str, Any]:
    """`question`: the id of a choice, rating or free-text question (free
    text is counted by its themes); `by`: the id of a single-choice question
    that has a breakdown (sector, ICB, pathway step or role). Either unknown
    is 422 naming it."""
    choices = {q.pk: q for q in queries.crosstab_questions(survey)}
    breakdowns = {q.pk: q for q in queries.breakdown_questions(survey)}
    problems = {}
    if not is_id(question) or int(question) not in choices:
        problems["question"] = (f"{survey.title!r} has no question {question!r} to "
                                "cross-tabulate")
    if not is_id(by) or int(by) not in breakdowns:
        problems["by"] = f"{survey.title!r} has no breakdown question {by!r}"
    if problems:
        raise FieldErrors(problems)
    asked, grouped = choices[int(question)], breakdowns[int(by)]
    table = queries.crosstab(survey, asked, grouped)
    return {
        "question_id": asked.pk, "by_id": grouped.pk, "breakdown": grouped.breakdown,
        "groups": [{"label": t.label, "respondents": t.count,
                    "suppressed": t.suppressed} for t in table.totals],
        "rows": [{"label": label, "cells": [cell_out(c) for c in row]}
                 for label, row in zip(table.rows, table.cells, strict=True)],
    }


@router.get(
    "/networks/{slug}/surveys/{id}/themes",
    response={200: list[QuestionThemesOut], **errors(401, 403, 404, 422)},
    url_name="survey-themes-api", operation_id="survey_themes",
    summary="Each free-text question's themes and how many answers are in each",
)
@api_gate(Permission.MANAGE_SURVEYS, load=load_survey, as_="survey")
def themes(request: HttpRequest, network: Network, id: int, survey: Survey
           ) -> list[dict[str, Any]]:
    """For leads, who read the answers: exact counts."""
    answers = queries.answers_by_question(survey)
    return [
        {"question_id": q.pk, "question": q.text,
         "answers": sum(stats.answered(v) for v in answers.get(q.pk, {}).values()),
         "themes": [{"id": t.pk, "name": t.name, "description": t.description,
                     "answers": t.answers} for t in queries.themes_with_counts(q)]}
        for q in queries.questions(survey) if q.is_text
    ]
