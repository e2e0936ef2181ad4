"""Answering a survey: checking answers, saving them half-way, sending them,
and emailing event feedback surveys to the event's attendees.

Answers travel as `{question id (text): value}`, the value as stored in
`Answer.value`: text for single choice, short and long text and dates (ISO);
a list of text for multiple choice; a number for ratings and numbers; and
`{statement: option}` for a Likert grid. The pages and the API both send
through `send_response`, which checks every answer again, whatever the form
or client said, and drops answers to questions skip logic hides.

Where half-finished answers wait depends on who is answering: a signed-in
person's in their `Draft` (deleted when they send), a visitor's in their
browser session (`SessionAnswers`). Someone signed in counts towards the
survey's limit through `Participation`, which names no response; a visitor's
limit is counted in their session.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from msknet.core import emails

from ..models import (
    Answer,
    Audience,
    Draft,
    Participation,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
)
from .common import Refused

SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 5000


class AnswersRefused(Refused):
    """Several answers are wrong at once: `problems` maps each question's id
    (as text) to what is wrong with its answer, in question order."""

    def __init__(self, problems: dict[str, str]) -> None:
        first_key, first = next(iter(problems.items()))
        super().__init__(first, field=first_key)
        self.problems = problems


# Skip logic --------------------------------------------------------------------


def condition_holds(question: Question, answers: dict[str, Any]) -> bool:
    """Whether `question`'s own show-if condition holds for `answers` (ignoring
    whether the question it depends on is itself shown)."""
    if question.show_if_question_id is None:
        return True
    given = answers.get(str(question.show_if_question_id))
    if isinstance(given, list):
        return question.show_if_answer in given
    if given is None:
        return False
    return str(given) == question.show_if_answer


def shown_questions(questions: Sequence[Question], answers: dict[str, Any]
                    ) -> list[Question]:
    """The questions asked, in order, given `answers`: a question is asked
    when it has no condition, or the question it depends on is asked and its
    answer is (or, for multiple choice, includes) the option named."""
    shown: set[int] = set()
    asked = []
    for question in questions:
        depends = question.show_if_question_id
        if depends is None or (depends in shown and condition_holds(question, answers)):
            shown.add(question.pk)
            asked.append(question)
    return asked


# Checking answers --------------------------------------------------------------


def quoted(question: Question) -> str:
    return f"“{question.text}”"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and (
        math.isfinite(value))


def clean_value(question: Question, value: Any) -> Any:
    """The answer to store, or None for no answer; Refused (naming the
    question's id as the field) for an answer that cannot be right."""
    field = str(question.pk)

    def refuse(message: str) -> Refused:
        return Refused(message, field=field)

    kind = question.kind
    if value is None or value == "" or value == [] or value == {}:
        return None
    if kind == QuestionKind.SINGLE:
        if not isinstance(value, str) or value not in question.options:
            raise refuse(f"Choose one of the options for {quoted(question)}")
        return value
    if kind == QuestionKind.MULTIPLE:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise refuse(f"Choose options from the list for {quoted(question)}")
        wrong = [v for v in value if v not in question.options]
        if wrong:
            raise refuse(f"{wrong[0]!r} is not an option for {quoted(question)}")
        return [option for option in question.options if option in value]
    if kind == QuestionKind.RATING:
        low, high = question.scale_min or 1, question.scale_max or 5
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if not (is_number(value) and value == int(value) and low <= value <= high):
            raise refuse(f"Choose a number from {low} to {high} for {quoted(question)}")
        return int(value)
    if kind == QuestionKind.LIKERT:
        if not isinstance(value, dict):
            raise refuse(f"Choose an answer for each statement of {quoted(question)}")
        for statement, option in value.items():
            if statement not in question.statements:
                raise refuse(f"{statement!r} is not a statement of {quoted(question)}")
            if option not in question.options:
                raise refuse(f"Choose one of the options for “{statement}”")
        cleaned = {s: value[s] for s in question.statements if value.get(s)}
        return cleaned or None
    if kind == QuestionKind.NUMBER:
        if isinstance(value, str):
            try:
                value = float(value.strip().replace(",", ""))
            except ValueError:
                raise refuse(f"Enter a number for {quoted(question)}") from None
        if not is_number(value):
            raise refuse(f"Enter a number for {quoted(question)}")
        return int(value) if float(value).is_integer() else float(value)
    if kind == QuestionKind.DATE:
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise refuse(f"Enter a real date for {quoted(question)}, like "
                         "2026-03-27") from None
    # Short and long text.
    if not isinstance(value, str):
        raise refuse(f"Enter text for {quoted(question)}")
    value = value.strip()
    limit = SHORT_TEXT_MAX if kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
    if len(value) > limit:
        raise refuse(f"Your answer to {quoted(question)} must be {limit} characters "
                     "or fewer")
    return value or None


def missing_message(question: Question) -> str:
    if question.kind == QuestionKind.LIKERT:
        return f"Choose an answer for each statement of {quoted(question)}"
    if question.kind in (QuestionKind.SINGLE, QuestionKind.RATING):
        return f"Choose an answer to {quoted(question)}"
    if question.kind == QuestionKind.MULTIPLE:
        return f"Choose at least one answer to {quoted(question)}"
    return f"Answer {quoted(question)}"


def check_answers(questions: Sequence[Question], answers: dict[str, Any]
                  ) -> tuple[dict[str, Any], dict[str, str]]:
    """(the answers to keep, problems by question id) for every question
    asked; answers to questions skip logic hides are left out."""
    kept: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for question in shown_questions(questions, answers):
        key = str(question.pk)
        try:
            value = clean_value(question, answers.get(key))
        except Refused as error:
            problems[key] = str(error)
            continue
        if value is None:
            if question.required:
                problems[key] = missing_message(question)
            continue
        if (question.kind == QuestionKind.LIKERT and question.required
                and len(value) < len(question.statements)):
            problems[key] = missing_message(question)
            continue
        kept[key] = value
    # Skip logic again on what is kept: a dependent of a refused answer is
    # not kept either.
    asked = {str(q.pk) for q in shown_questions(questions, kept)}
    return {k: v for k, v in kept.items() if k in asked}, problems


def questions_of(survey: Survey) -> list[Question]:
    return list(Question.objects.filter(section__survey=survey)
                .select_related("section")
                .order_by("section__position", "section__pk", "position", "pk"))


# Where half-finished answers wait ---------------------------------------------


class AccountAnswers:
    """A signed-in person's saved answers: their Draft of the survey."""

    def __init__(self, survey: Survey, user: Any) -> None:
        self.survey, self.user = survey, user
        self.draft = Draft.objects.filter(survey=survey, user=user).first()

    @property
    def answers(self) -> dict[str, Any]:
        return dict(self.draft.answers) if self.draft else {}

    @property
    def position(self) -> int:
        return self.draft.section_position if self.draft else 0

    @property
    def started(self) -> bool:
        return self.draft is not None

    def save(self, answers: dict[str, Any], position: int) -> None:
        self.draft, _ = Draft.objects.update_or_create(
            survey=self.survey, user=self.user,
            defaults={"answers": answers, "section_position": position,
                      "updated_at": timezone.now()})

    def discard(self) -> None:
        Draft.objects.filter(survey=self.survey, user=self.user).delete()
        self.draft = None

    def sent(self) -> int:
        return Participation.objects.filter(
            survey=self.survey, user=self.user).values_list(
            "responses", flat=True).first() or 0

    def count_sent(self) -> None:
        """Count one more response against the limit, refusing one too many.
        The participation row is locked, so two sends at once are counted in
        turn and the second is refused at the limit."""
        try:
            with transaction.atomic():
                Participation.objects.get_or_create(survey=self.survey, user=self.user)
        except IntegrityError:  # made at the same moment by another send
            pass
        participation = Participation.objects.select_for_update().get(
            survey=self.survey, user=self.user)
        if participation.responses >= self.survey.responses_per_person:
            raise Refused(limit_message(self.survey), field="survey")
        participation.responses += 1
        participation.save(update_fields=["responses"])


class SessionAnswers:
    """A visitor's saved answers and sent count, in their browser session."""

    def __init__(self, survey: Survey, session: Any) -> None:
        self.survey, self.session = survey, session
        self.key = f"survey-{survey.pk}"

    @property
    def _kept(self) -> dict[str, Any]:
        return self.session.get(self.key, {})

    @property
    def answers(self) -> dict[str, Any]:
        return dict(self._kept.get("answers", {}))

    @property
    def position(self) -> int:
        return self._kept.get("position", 0)

    @property
    def started(self) -> bool:
        return "answers" in self._kept

    def _store(self, **values: Any) -> None:
        self.session[self.key] = {**self._kept, **values}

    def save(self, answers: dict[str, Any], position: int) -> None:
        self._store(answers=answers, position=position)

    def discard(self) -> None:
        kept = {k: v for k, v in self._kept.items() if k not in ("answers", "position")}
        self.session[self.key] = kept

    def sent(self) -> int:
        return self._kept.get("sent", 0)

    def count_sent(self) -> None:
        if self.sent() >= self.survey.responses_per_person:
            raise Refused(limit_message(self.survey), field="survey")
        self._store(sent=self.sent() + 1)


Store = AccountAnswers | SessionAnswers


def limit_message(survey: Survey) -> str:
    if survey.responses_per_person == 1:
        return "You have already sent your answers to this survey"
    return (f"You have sent the most responses allowed "
            f"({survey.responses_per_person}) to this survey")


def closed_message(survey: Survey, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if survey.status == SurveyStatus.DRAFT or (
            survey.opens_at is not None and now < survey.opens_at):
        return "This survey is not open yet"
    return "This survey is closed"


# Saving and sending ------------------------------------------------------------


def save_answers(*, store: Store, questions: Iterable[Question],
                 given: dict[str, Any], position: int) -> None:
    """Put `given` in place of the saved answers to `questions` (one section's)
    and remember where the person reached."""
    answers = store.answers
    for question in questions:
        answers.pop(str(question.pk), None)
    answers.update({k: v for k, v in given.items() if v is not None})
    store.save(answers, position)


@transaction.atomic
def send_response(*, survey: Survey, store: Store, answers: dict[str, Any],
                  by: Any = None, now: dt.datetime | None = None) -> Response:
    """Send `answers` as one response to `survey`, all or nothing.

    Refused if the survey is not taking responses or the person has sent as
    many as it allows; AnswersRefused naming each question whose answer is
    missing or wrong. An anonymous response has no respondent and only the
    day; a named one records `by`. The saved draft is deleted."""
    now = now or timezone.now()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    store.survey = survey
    if not survey.is_taking_responses(now):
        raise Refused(closed_message(survey, now), field="survey")
    signed_in = by is not None and getattr(by, "is_authenticated", False)
    if not survey.anonymous and not signed_in:
        raise Refused("Sign in to answer this survey: it records your name",
                      field="survey")
    if store.sent() >= survey.responses_per_person:
        raise Refused(limit_message(survey), field="survey")
    kept, problems = check_answers(questions_of(survey), answers)
    if problems:
        raise AnswersRefused(problems)
    store.count_sent()
    response = Response.objects.create(
        survey=survey, respondent=None if survey.anonymous else by,
        submitted_on=timezone.localdate(now))
    Answer.objects.bulk_create(
        Answer(response=response, question_id=int(key), value=value)
        for key, value in kept.items())
    store.discard()
    return response


# Event feedback ----------------------------------------------------------------


def feedback_due(now: dt.datetime) -> list[int]:
    return list(Survey.objects.filter(
        audience=Audience.EVENT_ATTENDEES, status=SurveyStatus.OPEN,
        sent_to_attendees_at__isnull=True, event__ends_at__lte=now,
    ).values_list("pk", flat=True))


def send_feedback_surveys(*, now: dt.datetime | None = None) -> int:
    """Email each ended event's feedback survey to its attendees, once.

    Attendees are those registered with a place, less anyone recorded as not
    attending. The survey is marked sent in the transaction that queues its
    emails, so running this again (or twice at once) sends nothing twice.
    Returns how many emails were queued."""
    from msknet.community.models import Attendance, RegistrationStatus

    now = now or timezone.now()
    queued = 0
    for pk in feedback_due(now):
        with transaction.atomic():
            survey = (Survey.objects.select_for_update(of=("self",))
                      .select_related("network", "event")
                      .filter(pk=pk, sent_to_attendees_at__isnull=True).first())
            if survey is None or not survey.is_taking_responses(now):
                continue
            survey.sent_to_attendees_at = now
            survey.save(update_fields=["sent_to_attendees_at"])
            attendees = (survey.event.registrations
                         .filter(status=RegistrationStatus.REGISTERED,
                                 user__is_active=True)
                         .exclude(attendance=Attendance.DID_NOT_ATTEND)
                         .select_related("user").order_by("pk"))
            url = reverse("survey-start", args=[survey.network.slug, survey.pk])
            for registration in attendees:
                context = {"survey": survey, "event": survey.event,
                           "network": survey.network, "user": registration.user,
                           "survey_url": url}
                transaction.on_commit(partial(
                    emails.send_templated, "surveys/email/event_feedback",
                    to=registration.user.email, context=context))
                queued += 1
    return queued
