"""Reading a survey's results: its questions with their tallies, cross-tabs,
free-text answers with their themes, and the rows of the responses export.

The counting and suppression are `msknet.analytics.surveys`; this module
only reads the answers (in a fixed number of queries, whatever the size).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from msknet.analytics import surveys as stats
from msknet.core.charts import csv_safe

from .models import (
    Answer,
    Breakdown,
    Coding,
    Question,
    QuestionKind,
    Response,
    Survey,
    Theme,
)


def spec(question: Question) -> stats.QuestionSpec:
    scale = None
    if question.scale_min is not None and question.scale_max is not None:
        scale = (question.scale_min, question.scale_max)
    return stats.QuestionSpec(kind=question.kind, options=tuple(question.options),
                              statements=tuple(question.statements), scale=scale)


def questions(survey: Survey) -> list[Question]:
    return list(Question.objects.filter(section__survey=survey)
                .select_related("section").order_by("section__position", "position",
                                                    "pk"))


def answers_by_question(survey: Survey) -> dict[int, dict[Any, Any]]:
    """{question id: {response id: value}}, in one query."""
    found: dict[int, dict[Any, Any]] = defaultdict(dict)
    for question_id, response_id, value in (
            Answer.objects.filter(response__survey=survey)
            .values_list("question_id", "response_id", "value")):
        found[question_id][response_id] = value
    return found


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    tally: stats.Tally
    themes: stats.Tally | None = None
    """For free text: its themes, counted as a multiple choice of coded answers."""


def theme_values(question: Question) -> tuple[list[str], dict[Any, list[str]]]:
    """The question's theme names, and {response id: [theme names]} for every
    answer (uncoded answers have none)."""
    names = list(question.themes.order_by("name").values_list("name", flat=True))
    coded: dict[Any, list[str]] = defaultdict(list)
    for response_id, name in (Coding.objects.filter(answer__question=question)
                              .values_list("answer__response_id", "theme__name")):
        coded[response_id].append(name)
    return names, coded


def theme_tally(question: Question, answers: dict[Any, Any]) -> stats.Tally:
    """Themes counted among the question's answers: percent of those who
    answered (an answer may be in several themes)."""
    names, coded = theme_values(question)
    respondents = [r for r, v in answers.items() if stats.answered(v)]
    values = [coded.get(r, []) for r in respondents]
    counts = stats.counts_of(stats.QuestionSpec(stats.MULTIPLE), values)
    cells = stats.one_way(names, counts, len(respondents), one_row_each=False)
    return stats.Tally(stats.MULTIPLE, len(respondents), cells)


def results(survey: Survey) -> list[QuestionResult]:
    """Every question's tally, in survey order (and free text's themes)."""
    answers = answers_by_question(survey)
    found = []
    for question in questions(survey):
        mine = answers.get(question.pk, {})
        themes = theme_tally(question, mine) if question.is_text else None
        found.append(QuestionResult(question, stats.tally(spec(question),
                                                          mine.values()), themes))
    return found


def response_count(survey: Survey) -> int:
    return survey.responses.count()


def responses_by_day(survey: Survey) -> list[tuple[dt.date, int]]:
    return [(row["submitted_on"], row["n"]) for row in
            survey.responses.values("submitted_on").annotate(n=Count("id"))
            .order_by("submitted_on")]


def breakdown_questions(survey: Survey) -> list[Question]:
    """The survey's single-choice questions that say something about the
    respondent (sector, ICB, pathway step, role), to cross-tabulate by."""
    return [q for q in questions(survey)
            if q.breakdown != Breakdown.NONE and q.kind == QuestionKind.SINGLE]


def crosstab_questions(survey: Survey) -> list[Question]:
    """Questions a cross-tab can show: choices, ratings, and free text by theme."""
    return [q for q in questions(survey)
            if q.kind in stats.CROSSTAB_KINDS or q.is_text]


def crosstab(survey: Survey, question: Question, by: Question) -> stats.CrossTab:
    """`question`'s answers by `by`'s groups; free text by its themes."""
    answers = answers_by_question(survey)
    groups = answers.get(by.pk, {})
    mine = answers.get(question.pk, {})
    if question.is_text:
        names, coded = theme_values(question)
        themed = {r: coded.get(r, []) for r, v in mine.items() if stats.answered(v)}
        # An answer with no theme still counts among who answered.
        shown = {r: v if v else ["Not yet coded"] for r, v in themed.items()}
        return stats.crosstab(stats.QuestionSpec(stats.MULTIPLE, (*names,)), shown,
                              list(by.options), groups)
    return stats.crosstab(spec(question), mine, list(by.options), groups)


def text_answers(question: Question) -> QuerySet[Answer]:
    """A free-text question's answers with their themes, oldest day first."""
    return (Answer.objects.filter(question=question)
            .exclude(value="").select_related("response")
            .prefetch_related(Prefetch("codings", queryset=Coding.objects
                                       .select_related("theme")))
            .order_by("response__submitted_on", "pk"))


def themes_with_counts(question: Question) -> QuerySet[Theme]:
    """The question's themes with the exact number of answers coded into each
    (for the lead's coding page, who reads the answers anyway)."""
    return question.themes.annotate(answers=Count("codings")).order_by("name")


def export_rows(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """The responses export: a heading row and one row per response.

    One column per question (multiple choice joined with "; ", a Likert grid
    one column per statement), a themes column after each free-text one, and
    the respondent's name first for a named survey."""
    asked = questions(survey)
    headings = ["Response", "Sent on"]
    if not survey.anonymous:
        headings.append("Respondent")
    for q in asked:
        if q.kind == QuestionKind.LIKERT:
            headings += [f"{q.text}: {s}" for s in q.statements]
        else:
            headings.append(q.text)
        if q.is_text:
            headings.append(f"{q.text} (themes)")
    themes: dict[int, list[str]] = defaultdict(list)
    for answer_id, name in (Coding.objects.filter(answer__response__survey=survey)
                            .order_by("theme__name")
                            .values_list("answer_id", "theme__name")):
        themes[answer_id].append(name)
    responses = (Response.objects.filter(survey=survey).select_related("respondent")
                 .prefetch_related("answers").order_by("submitted_on", "id"))
    rows = []
    for response in responses:
        by_question = {a.question_id: a for a in response.answers.all()}
        row: list[Any] = [str(response.pk), response.submitted_on.isoformat()]
        if not survey.anonymous:
            row.append(response.respondent.display_name if response.respondent else "")
        for q in asked:
            answer = by_question.get(q.pk)
            value = answer.value if answer else None
            if q.kind == QuestionKind.LIKERT:
                row += [(value or {}).get(s, "") if isinstance(value, dict) else ""
                        for s in q.statements]
            elif isinstance(value, list):
                row.append("; ".join(str(v) for v in value))
            else:
                row.append("" if value is None else value)
            if q.is_text:
                row.append("; ".join(themes.get(answer.pk, [])) if answer else "")
        rows.append(row)
    return headings, rows


def responses_csv(survey: Survey) -> str:
    """The responses export as CSV, every cell safe from formula injection."""
    headings, rows = export_rows(survey)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(h) for h in headings])
    writer.writerows([csv_safe(v) for v in row] for row in rows)
    return out.getvalue()


@dataclass(frozen=True)
class EventFeedback:
    """An event feedback survey at a glance, for the event's page."""

    survey: Survey
    responses: int
    usefulness: float | None
    """The mean of its first rating question; None if it has none or fewer
    than five answered it."""
    rating_question: Question | None


def event_feedback(event: Any) -> list[EventFeedback]:
    """The surveys sent about an event, with their responses and mean rating."""
    found = []
    for survey in (Survey.objects.filter(event=event)
                   .annotate(sent=Count("responses")).order_by("created_at", "pk")):
        rating = (Question.objects.filter(section__survey=survey,
                                          kind=QuestionKind.RATING)
                  .order_by("section__position", "position", "pk").first())
        mean = None
        if rating is not None:
            values = Answer.objects.filter(question=rating).values_list("value",
                                                                        flat=True)
            mean = stats.tally(spec(rating), values).stats.get("mean")
        found.append(EventFeedback(survey, survey.sent, mean, rating))
    return found
