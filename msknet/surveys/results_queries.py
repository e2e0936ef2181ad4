"""Reading a survey's results: its questions with their tallies, cross-tabs,
free-text answers with their themes, and the rows of the responses export.

The counting and suppression are `msknet.analytics.surveys`; this module
only reads the answers (in a fixed number of queries, whatever the size).

The answers are read as plain (response, question, value) rows in chunks,
never as model instances, and only what a tally needs is kept: a choice's
value, but for free text only who answered (its themes are counted by
response). The responses export is built one batch of responses at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
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


#: Answers fetched from the database at a time.
CHUNK = 5000
#: Responses written to the export at a time (their answers read together).
EXPORT_BATCH = 500


def answer_rows(survey: Survey, question_ids: Iterable[int] | None = None
                ) -> Iterator[tuple[int, int, Any]]:
    """(response id, question id, value) of the survey's answers (only those
    to `question_ids` if given), oldest first, in one query read in chunks.
    (The order fixes the order of answers no longer among a question's
    options.)"""
    found = Answer.objects.filter(response__survey=survey)
    if question_ids is not None:
        found = found.filter(question_id__in=list(question_ids))
    return (found.order_by("pk").values_list("response_id", "question_id", "value")
            .iterator(chunk_size=CHUNK))


def answers_by_question(survey: Survey, question_ids: Iterable[int] | None = None
                        ) -> dict[int, dict[Any, Any]]:
    """{question id: {response id: value}}, in one query (only the questions
    `question_ids` if given)."""
    found: dict[int, dict[Any, Any]] = defaultdict(dict)
    for response_id, question_id, value in answer_rows(survey, question_ids):
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


def theme_tally(question: Question, respondents: list[Any]) -> stats.Tally:
    """Themes counted among the question's answers (`respondents`: the
    responses that answered it): percent of those who answered (an answer
    may be in several themes)."""
    names, coded = theme_values(question)
    values = [coded.get(r, []) for r in respondents]
    counts = stats.counts_of(stats.QuestionSpec(stats.MULTIPLE), values)
    cells = stats.one_way(names, counts, len(respondents), one_row_each=False)
    return stats.Tally(stats.MULTIPLE, len(respondents), cells)


def results(survey: Survey) -> list[QuestionResult]:
    """Every question's tally, in survey order (and free text's themes).

    One pass over the answers keeps, per question, the values a tally counts;
    for free text only the responses that answered (a text tally counts who
    answered, and its themes are found by response), not the text."""
    asked = questions(survey)
    text = {q.pk for q in asked if q.is_text}
    kept: dict[int, list[Any]] = defaultdict(list)
    for response_id, question_id, value in answer_rows(survey):
        if question_id in text:
            if stats.answered(value):
                kept[question_id].append(response_id)
        else:
            kept[question_id].append(value)
    found = []
    for question in asked:
        mine = kept.pop(question.pk, [])
        themes = theme_tally(question, mine) if question.is_text else None
        # Free text: the ids of those who answered stand in for their answers.
        found.append(QuestionResult(question, stats.tally(spec(question), mine),
                                    themes))
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
    answers = answers_by_question(survey, {question.pk, by.pk})
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


def export_headings(survey: Survey, asked: list[Question]) -> list[str]:
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
    return headings


def export_cells(asked: list[Question], answers: dict[int, tuple[int, Any]],
                 themes: dict[int, list[str]]) -> list[Any]:
    """One response's cells after its id, date and name: `answers` is
    {question id: (answer id, value)}."""
    row: list[Any] = []
    for q in asked:
        answer_id, value = answers.get(q.pk, (None, None))
        if q.kind == QuestionKind.LIKERT:
            row += [(value or {}).get(s, "") if isinstance(value, dict) else ""
                    for s in q.statements]
        elif isinstance(value, list):
            row.append("; ".join(str(v) for v in value))
        else:
            row.append("" if value is None else value)
        if q.is_text:
            row.append("; ".join(themes.get(answer_id, []))
                       if answer_id is not None else "")
    return row


def export_responses(survey: Survey) -> Iterator[list[Any]]:
    """The export's rows, one batch of responses (and their answers and
    themes) read at a time, in the order sent."""
    asked = questions(survey)
    responses = Response.objects.filter(survey=survey).order_by("submitted_on", "id")
    if survey.anonymous:
        sent = responses.values_list("id", "submitted_on").iterator(chunk_size=CHUNK)
    else:
        sent = ((r.pk, r.submitted_on, r.respondent.display_name if r.respondent
                 else "") for r in responses.select_related("respondent")
                .iterator(chunk_size=CHUNK))
    while batch := list(islice(sent, EXPORT_BATCH)):
        ids = [row[0] for row in batch]
        answers: dict[int, dict[int, tuple[int, Any]]] = defaultdict(dict)
        for answer_id, response_id, question_id, value in (
                Answer.objects.filter(response_id__in=ids).order_by("response_id")
                .values_list("id", "response_id", "question_id", "value")):
            answers[response_id][question_id] = (answer_id, value)
        themes: dict[int, list[str]] = defaultdict(list)
        for answer_id, name in (Coding.objects.filter(answer__response_id__in=ids)
                                .order_by("theme__name")
                                .values_list("answer_id", "theme__name")):
            themes[answer_id].append(name)
        for pk, submitted_on, *name in batch:
            yield [str(pk), submitted_on.isoformat(), *name,
                   *export_cells(asked, answers.get(pk, {}), themes)]


def export_rows(survey: Survey) -> tuple[list[str], Iterator[list[Any]]]:
    """The responses export: a heading row and one row per response (read as
    they are used).

    One column per question (multiple choice joined with "; ", a Likert grid
    one column per statement), a themes column after each free-text one, and
    the respondent's name first for a named survey."""
    return export_headings(survey, questions(survey)), export_responses(survey)


class Line:
    """A file-like object whose `write` returns what was written, for a csv
    writer to make one line at a time."""

    def write(self, text: str) -> str:
        return text


def responses_csv_lines(survey: Survey) -> Iterator[str]:
    """The responses export as CSV, a line at a time, every cell safe from
    formula injection."""
    headings, rows = export_rows(survey)
    writer = csv.writer(Line())
    yield writer.writerow([csv_safe(h) for h in headings])
    for row in rows:
        yield writer.writerow([csv_safe(v) for v in row])


def responses_csv(survey: Survey) -> str:
    """The responses export as CSV, whole (for a small survey)."""
    return "".join(responses_csv_lines(survey))


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
