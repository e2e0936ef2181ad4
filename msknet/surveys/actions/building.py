"""Building surveys: making one (from a template or blank), its settings,
sections and questions with their skip logic, and opening and closing it.

A survey's structure (which questions, in which order, with which options)
is fixed once anyone has sent a response, so every answer keeps meaning what
it meant when it was given; wording and hints may still change.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import models, transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from msknet.communications.models import Kind
from msknet.communications.notify import notify
from msknet.core.models import audit_types
from msknet.members.models import Network, User

from ..catalogue import AGREEMENT, TEMPLATES, create_from_template
from ..models import (
    Audience,
    Breakdown,
    Question,
    QuestionKind,
    Section,
    Survey,
    SurveyStatus,
)
from ..models.surveys import link_token
from .common import Refused, record

#: Kinds whose answers are one of a known set, so skip logic can name one.
OPTION_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RATING)
#: The widest rating scale offered (1 to 11, or 0 to 10).
MAX_SCALE_STEPS = 11
BLANK = "blank"


@audit_types
class BuildingEvent(models.TextChoices):
    CREATED = "surveys_created", "Survey created"
    """A lead made a survey, from a template or blank."""
    CHANGED = "surveys_changed", "Survey changed"
    """A lead changed a survey's settings, sections or questions."""
    OPENED = "surveys_opened", "Survey opened"
    """A lead opened a survey to its audience."""
    CLOSED = "surveys_closed", "Survey closed"
    """A lead closed a survey to responses."""
    DELETED = "surveys_deleted", "Survey deleted"
    """A lead deleted a draft survey nobody had answered."""
    LINK_REPLACED = "surveys_link_replaced", "Survey link replaced"
    """A lead replaced a survey's link, so the old one stops working."""


def has_responses(survey: Survey) -> bool:
    return survey.responses.exists()


LOCKED = ("People have already answered this survey, so its questions, their "
          "order and their options can no longer change (wording and hints can). "
          "To ask something else, close it and start a new survey.")


def _lock_if_answered(survey: Survey, field: str | None = None) -> None:
    if has_responses(survey):
        raise Refused(LOCKED, field=field)


def _touch(survey: Survey, by: Any, what: str) -> None:
    survey.updated_at = timezone.now()
    survey.save(update_fields=["updated_at"])
    record(BuildingEvent.CHANGED, target=survey, by=by, network=survey.network,
           what=what)


# Making a survey ------------------------------------------------------------------


@transaction.atomic
def create_survey(*, network: Network, by: Any, template: str, title: str = "",
                  event: Any = None) -> Survey:
    """A draft from one of the ready-made templates, or blank (`template="blank"`)
    with one empty section. Event feedback needs one of the network's events."""
    if template == BLANK:
        if not title.strip():
            raise Refused("Enter a title for the survey", field="title")
        survey = Survey.objects.create(
            network=network, title=title.strip(), created_by=_user(by),
            audience=Audience.MEMBERS)
        Section.objects.create(survey=survey, position=1, title="Your answers")
    else:
        spec = TEMPLATES.get(template)
        if spec is None:
            raise Refused(f"There is no template called '{template}': choose one "
                          "of the ready-made templates or a blank survey",
                          field="template")
        if spec.for_events:
            if event is None:
                raise Refused("Choose the event the feedback is about", field="event")
            if event.network_id != network.pk:
                raise Refused("Choose one of this network's events", field="event")
        else:
            event = None
        survey = create_from_template(network, template, by=_user(by),
                                      title=title.strip(), event=event)
    record(BuildingEvent.CREATED, target=survey, by=by, network=network,
           template=survey.template or BLANK)
    return survey


def _user(by: Any) -> Any:
    return by if getattr(by, "pk", None) else None


# Settings -----------------------------------------------------------------------


@transaction.atomic
def update_settings(*, survey: Survey, by: Any, title: str, welcome: str = "",
                    thank_you: str = "", anonymous: bool, audience: str,
                    group: Any = None, event: Any = None, opens_at: Any = None,
                    closes_at: Any = None, responses_per_person: int = 1) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not title.strip():
        raise Refused("Enter a title for the survey", field="title")
    if anonymous != survey.anonymous and has_responses(survey):
        raise Refused(
            "People have already sent answers believing they were "
            f"{'anonymous' if survey.anonymous else 'named'}, so this cannot "
            "change now. Start a new survey to ask differently.", field="anonymous")
    if audience not in Audience.values:
        raise Refused("Choose who can answer", field="audience")
    if audience == Audience.GROUP:
        if group is None:
            raise Refused("Choose the group whose members can answer", field="group")
        if group.network_id != survey.network_id:
            raise Refused("Choose one of this network's groups", field="group")
    if audience == Audience.EVENT_ATTENDEES:
        if event is None:
            raise Refused("Choose the event whose attendees can answer",
                          field="event")
        if event.network_id != survey.network_id:
            raise Refused("Choose one of this network's events", field="event")
    if opens_at and closes_at and closes_at <= opens_at:
        raise Refused("The survey must close after it opens", field="closes_at")
    if responses_per_person is None or responses_per_person < 1:
        raise Refused("Allow at least 1 response per person",
                      field="responses_per_person")
    survey.title = title.strip()
    survey.welcome = welcome
    survey.thank_you = thank_you
    survey.anonymous = anonymous
    survey.audience = audience
    survey.group = group if audience == Audience.GROUP else None
    survey.event = event if audience == Audience.EVENT_ATTENDEES else None
    survey.opens_at = opens_at
    survey.closes_at = closes_at
    survey.responses_per_person = responses_per_person
    survey.updated_at = timezone.now()
    survey.save()
    record(BuildingEvent.CHANGED, target=survey, by=by, network=survey.network,
           what="settings")
    return survey


# Sections -----------------------------------------------------------------------


@transaction.atomic
def add_section(*, survey: Survey, by: Any, title: str, intro: str = "") -> Section:
    _lock_if_answered(survey)
    last = survey.sections.aggregate(last=Max("position"))["last"] or 0
    section = Section.objects.create(survey=survey, position=last + 1,
                                     title=title.strip(), intro=intro)
    _touch(survey, by, f"added section '{section.title}'")
    return section


@transaction.atomic
def edit_section(*, section: Section, by: Any, title: str, intro: str = "") -> Section:
    if not title.strip():
        raise Refused("Enter the section's title", field="title")
    section.title = title.strip()
    section.intro = intro
    section.save(update_fields=["title", "intro"])
    _touch(section.survey, by, f"changed section '{section.title}'")
    return section


@transaction.atomic
def remove_section(*, section: Section, by: Any) -> None:
    survey = section.survey
    _lock_if_answered(survey)
    if survey.sections.count() == 1:
        raise Refused("A survey needs at least one section: add another before "
                      "removing this one")
    inside = set(section.questions.values_list("pk", flat=True))
    outside = (Question.objects.filter(section__survey=survey,
                                       show_if_question__in=inside)
               .exclude(section=section).select_related("show_if_question"))
    for dependent in outside:
        raise Refused(f"'{_short(dependent.text)}' is asked only depending on the "
                      f"answer to '{_short(dependent.show_if_question.text)}', in "
                      "this section. Change or remove that rule first.")
    title = section.title
    section.delete()
    _renumber(survey.sections.order_by("position", "pk"))
    _touch(survey, by, f"removed section '{title}'")


@transaction.atomic
def move_section(*, section: Section, by: Any, direction: str) -> None:
    survey = section.survey
    _lock_if_answered(survey)
    sections = list(survey.sections.order_by("position", "pk"))
    _swap(sections, sections.index(section), direction)
    _check_rules_in_order(_ordered_questions_of(sections))
    _renumber(sections)
    _touch(survey, by, f"moved section '{section.title}' {direction}")


# Questions ----------------------------------------------------------------------


def ordered_questions(survey: Survey) -> list[Question]:
    """Every question of the survey, in the order it is asked."""
    return list(Question.objects.filter(section__survey=survey)
                .select_related("section", "show_if_question")
                .order_by("section__position", "section__pk", "position", "pk"))


def _ordered_questions_of(sections: list[Section]) -> list[Question]:
    by_section: dict[int, list[Question]] = {}
    for question in Question.objects.filter(section__in=sections).select_related(
            "show_if_question").order_by("position", "pk"):
        by_section.setdefault(question.section_id, []).append(question)
    return [q for s in sections for q in by_section.get(s.pk, [])]


def _check_rules_in_order(questions: list[Question]) -> None:
    """Every skip rule still looks back to an earlier question."""
    place = {q.pk: i for i, q in enumerate(questions)}
    for question in questions:
        condition = question.show_if_question_id
        if condition is not None and place.get(condition, -1) >= place[question.pk]:
            raise Refused(
                f"'{_short(question.text)}' is asked only depending on the answer "
                f"to '{_short(question.show_if_question.text)}', which must come "
                "before it. Change that rule first.")


def option_values(question: Question) -> list[str]:
    """The answers a skip rule on `question` may name."""
    if question.kind == QuestionKind.RATING:
        if question.scale_min is None or question.scale_max is None:
            return []
        return [str(n) for n in range(question.scale_min, question.scale_max + 1)]
    return list(question.options)


def _lines(values: Any) -> list[str]:
    if isinstance(values, str):
        values = values.splitlines()
    return [str(v).strip() for v in values or [] if str(v).strip()]


def _clean_question(survey: Survey, *, question: Question | None, kind: str,
                    text: str, hint: str, required: bool, options: Any,
                    statements: Any, scale_min: int | None, scale_max: int | None,
                    low_label: str, high_label: str, breakdown: str,
                    show_if_question: Question | None, show_if_answer: str,
                    earlier: list[Question]) -> dict[str, Any]:
    """The question's fields checked against its kind and the survey; Refused
    naming the field for the first thing wrong."""
    if kind not in QuestionKind.values:
        raise Refused("Choose what kind of question it is", field="kind")
    if not text.strip():
        raise Refused("Enter the question", field="text")
    options, statements = _lines(options), _lines(statements)
    fields: dict[str, Any] = {
        "kind": kind, "text": text.strip(), "hint": hint.strip(),
        "required": required, "options": [], "statements": [],
        "scale_min": None, "scale_max": None, "low_label": "", "high_label": "",
        "breakdown": breakdown or Breakdown.NONE,
        "show_if_question": None, "show_if_answer": "",
    }
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(options) < 2:
            raise Refused("Enter at least 2 options, one on each line",
                          field="options")
        _no_repeats(options, "options", "option")
        fields["options"] = options
    elif kind == QuestionKind.RATING:
        if scale_min is None:
            raise Refused("Enter the lowest number on the scale", field="scale_min")
        if scale_max is None:
            raise Refused("Enter the highest number on the scale", field="scale_max")
        if scale_max <= scale_min:
            raise Refused("The highest number must be above the lowest",
                          field="scale_max")
        if scale_max - scale_min + 1 > MAX_SCALE_STEPS:
            raise Refused(f"A scale can have at most {MAX_SCALE_STEPS} points",
                          field="scale_max")
        if not low_label.strip():
            raise Refused("Say what the lowest number means, like 'Not useful'",
                          field="low_label")
        if not high_label.strip():
            raise Refused("Say what the highest number means, like 'Very useful'",
                          field="high_label")
        fields.update(scale_min=scale_min, scale_max=scale_max,
                      low_label=low_label.strip(), high_label=high_label.strip())
    elif kind == QuestionKind.LIKERT:
        if not statements:
            raise Refused("Enter at least one statement, one on each line",
                          field="statements")
        _no_repeats(statements, "statements", "statement")
        scale = options or list(AGREEMENT)
        if len(scale) < 2:
            raise Refused("Enter at least 2 answers on the scale, one on each line",
                          field="options")
        _no_repeats(scale, "options", "answer")
        fields.update(statements=statements, options=scale)
    if fields["breakdown"] not in Breakdown.values:
        raise Refused("Choose what the answers tell about the respondent",
                      field="breakdown")
    if fields["breakdown"] and kind != QuestionKind.SINGLE:
        raise Refused("Only a single-choice question can be used for breakdowns",
                      field="breakdown")
    if show_if_question is not None:
        if question is not None and show_if_question.pk == question.pk:
            raise Refused("A question cannot depend on its own answer",
                          field="show_if_question")
        if show_if_question.section.survey_id != survey.pk:
            raise Refused("Choose a question from this survey",
                          field="show_if_question")
        if show_if_question.kind not in OPTION_KINDS:
            raise Refused(f"'{_short(show_if_question.text)}' has no options to "
                          "choose from: choose a single-choice, multiple-choice or "
                          "rating question", field="show_if_question")
        if show_if_question.pk not in {q.pk for q in earlier}:
            raise Refused(f"'{_short(show_if_question.text)}' is not asked before "
                          "this question: choose an earlier one",
                          field="show_if_question")
        answer = show_if_answer.strip()
        allowed = option_values(show_if_question)
        if not answer:
            raise Refused("Enter the answer that shows this question",
                          field="show_if_answer")
        if answer not in allowed:
            raise Refused(f"'{answer}' is not one of the answers to "
                          f"'{_short(show_if_question.text)}': choose from "
                          f"{', '.join(repr(a) for a in allowed)}",
                          field="show_if_answer")
        fields.update(show_if_question=show_if_question, show_if_answer=answer)
    elif show_if_answer.strip():
        raise Refused("Choose the earlier question whose answer shows this one",
                      field="show_if_question")
    return fields


def _no_repeats(values: list[str], field: str, noun: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value.lower() in seen:
            raise Refused(f"The {noun} '{value}' is there twice", field=field)
        seen.add(value.lower())


@transaction.atomic
def add_question(*, section: Section, by: Any, kind: str, text: str, hint: str = "",
                 required: bool = True, options: Any = (), statements: Any = (),
                 scale_min: int | None = None, scale_max: int | None = None,
                 low_label: str = "", high_label: str = "", breakdown: str = "",
                 show_if_question: Question | None = None,
                 show_if_answer: str = "") -> Question:
    """A question at the end of `section`."""
    survey = section.survey
    _lock_if_answered(survey)
    everything = ordered_questions(survey)
    earlier = [q for q in everything if (q.section.position, q.section_id)
               <= (section.position, section.pk)]
    fields = _clean_question(
        survey, question=None, kind=kind, text=text, hint=hint, required=required,
        options=options, statements=statements, scale_min=scale_min,
        scale_max=scale_max, low_label=low_label, high_label=high_label,
        breakdown=breakdown, show_if_question=show_if_question,
        show_if_answer=show_if_answer, earlier=earlier)
    last = section.questions.aggregate(last=Max("position"))["last"] or 0
    question = Question.objects.create(section=section, position=last + 1, **fields)
    _touch(survey, by, f"added question '{_short(question.text)}'")
    return question


#: What may change once a survey has responses.
WORDING = ("text", "hint", "low_label", "high_label")


@transaction.atomic
def edit_question(*, question: Question, by: Any, text: str, hint: str = "",
                  required: bool = True, options: Any = (), statements: Any = (),
                  scale_min: int | None = None, scale_max: int | None = None,
                  low_label: str = "", high_label: str = "", breakdown: str = "",
                  show_if_question: Question | None = None,
                  show_if_answer: str = "") -> Question:
    """Change a question; its kind stays. Once the survey has responses only
    its wording (text, hint, a scale's labels), whether it is required and
    its breakdown may change."""
    survey = question.section.survey
    everything = ordered_questions(survey)
    place = [q.pk for q in everything].index(question.pk)
    fields = _clean_question(
        survey, question=question, kind=question.kind, text=text, hint=hint,
        required=required, options=options, statements=statements,
        scale_min=scale_min, scale_max=scale_max, low_label=low_label,
        high_label=high_label, breakdown=breakdown,
        show_if_question=show_if_question, show_if_answer=show_if_answer,
        earlier=everything[:place])
    if has_responses(survey):
        for name in ("options", "statements", "scale_min", "scale_max",
                     "show_if_answer"):
            if fields[name] != getattr(question, name):
                raise Refused(LOCKED, field=name)
        if fields["show_if_question"] != question.show_if_question:
            raise Refused(LOCKED, field="show_if_question")
    if fields["options"] != question.options:
        for dependent in question.dependents.all():
            if dependent.show_if_answer not in option_values(
                    Question(**_without_relations(fields))):
                raise Refused(
                    f"'{_short(dependent.text)}' is asked only when the answer is "
                    f"'{dependent.show_if_answer}': keep that option, or change "
                    "that rule first.", field="options")
    if (fields["scale_min"], fields["scale_max"]) != (question.scale_min,
                                                       question.scale_max):
        for dependent in question.dependents.all():
            if dependent.show_if_answer not in option_values(
                    Question(**_without_relations(fields))):
                raise Refused(
                    f"'{_short(dependent.text)}' is asked only when the answer is "
                    f"'{dependent.show_if_answer}': keep it on the scale, or change "
                    "that rule first.", field="scale_min")
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    _touch(survey, by, f"changed question '{_short(question.text)}'")
    return question


def _without_relations(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k != "show_if_question"}


@transaction.atomic
def remove_question(*, question: Question, by: Any) -> None:
    survey = question.section.survey
    _lock_if_answered(survey)
    dependents = list(question.dependents.order_by("section__position", "position"))
    if dependents:
        names = ", ".join(f"'{_short(d.text)}'" for d in dependents)
        raise Refused(f"{names} {'is' if len(dependents) == 1 else 'are'} asked "
                      f"only depending on the answer to this question. Change or "
                      "remove that rule first.")
    section, text = question.section, question.text
    question.delete()
    _renumber(section.questions.order_by("position", "pk"))
    _touch(survey, by, f"removed question '{_short(text)}'")


@transaction.atomic
def move_question(*, question: Question, by: Any, direction: str) -> None:
    """Up or down one place; from the top (or bottom) of a section, into the
    end of the one before (or the start of the one after)."""
    survey = question.section.survey
    _lock_if_answered(survey)
    if direction not in ("up", "down"):
        raise Refused("Choose up or down", field="direction")
    sections = list(survey.sections.order_by("position", "pk"))
    lists = {s.pk: list(s.questions.select_related("show_if_question")
                        .order_by("position", "pk")) for s in sections}
    here = next(s for s in sections if s.pk == question.section_id)
    within = lists[here.pk]
    i = [q.pk for q in within].index(question.pk)
    s_index = sections.index(here)
    moved = within.pop(i)
    if direction == "up" and i > 0:
        within.insert(i - 1, moved)
    elif direction == "down" and i < len(within):
        within.insert(i + 1, moved)
    elif direction == "up" and s_index > 0:
        lists[sections[s_index - 1].pk].append(moved)
    elif direction == "down" and s_index < len(sections) - 1:
        lists[sections[s_index + 1].pk].insert(0, moved)
    else:
        raise Refused(f"It is already the {'first' if direction == 'up' else 'last'}"
                      " question", field="direction")
    _check_rules_in_order([q for s in sections for q in lists[s.pk]])
    for section in sections:
        for position, item in enumerate(lists[section.pk], start=1):
            if (item.section_id, item.position) != (section.pk, position):
                Question.objects.filter(pk=item.pk).update(section=section,
                                                           position=position)
    _touch(survey, by, f"moved question '{_short(question.text)}' {direction}")


def _swap(items: list[Any], i: int, direction: str) -> None:
    j = i - 1 if direction == "up" else i + 1 if direction == "down" else None
    if j is None:
        raise Refused("Choose up or down", field="direction")
    if not 0 <= j < len(items):
        raise Refused(f"It is already the {'first' if direction == 'up' else 'last'}"
                      " section", field="direction")
    items[i], items[j] = items[j], items[i]


def _renumber(items: Any) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            type(item).objects.filter(pk=item.pk).update(position=position)


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# Opening and closing ------------------------------------------------------------


def audience_of(survey: Survey) -> list[User]:
    """Who is told when a members' or group survey opens."""
    if survey.audience == Audience.MEMBERS:
        return list(User.objects.filter(memberships__network=survey.network_id,
                                        is_active=True).distinct())
    if survey.audience == Audience.GROUP and survey.group_id:
        return list(User.objects.filter(group_memberships__group=survey.group_id,
                                        is_active=True).distinct())
    return []


@transaction.atomic
def open_survey(*, survey: Survey, by: Any) -> Survey:
    # Lock the survey alone: PostgreSQL cannot lock the nullable side of the
    # outer joins to its group and event.
    survey = Survey.objects.select_for_update(of=("self",)).select_related(
        "network", "group", "event").get(pk=survey.pk)
    if survey.status == SurveyStatus.OPEN:
        raise Refused("The survey is already open")
    if not Question.objects.filter(section__survey=survey).exists():
        raise Refused("Add at least one question before opening the survey")
    if survey.audience == Audience.GROUP and survey.group is None:
        raise Refused("Choose the group whose members can answer, in the settings",
                      field="group")
    if survey.audience == Audience.EVENT_ATTENDEES and survey.event is None:
        raise Refused("Choose the event whose attendees can answer, in the settings",
                      field="event")
    if survey.closes_at and survey.closes_at <= timezone.now():
        raise Refused("The close date has passed: change it in the settings first",
                      field="closes_at")
    survey.status = SurveyStatus.OPEN
    survey.updated_at = timezone.now()
    survey.save(update_fields=["status", "updated_at"])
    record(BuildingEvent.OPENED, target=survey, by=by, network=survey.network)
    if survey.audience in (Audience.MEMBERS, Audience.GROUP):
        # Event attendees are emailed by the scheduled job once the event ends;
        # anyone-with-the-link surveys reach people through the link itself.
        transaction.on_commit(partial(_tell_audience, survey.pk, _user(by)))
    return survey


def survey_start_url(survey: Survey) -> str:
    try:
        return reverse("survey-start", args=[survey.network.slug, survey.pk])
    except NoReverseMatch:  # the answering pages not installed: the network's page
        return survey.network.get_absolute_url()


def _tell_audience(survey_pk: int, by: Any) -> None:
    survey = Survey.objects.select_related("network", "group").get(pk=survey_pk)
    notify(
        kind=Kind.SURVEY_OPENED,
        recipients=[u for u in audience_of(survey)
                    if by is None or u.pk != by.pk],
        network=survey.network,
        key=f"survey-opened-{survey.pk}",
        title=f"Survey: {survey.title}",
        url=survey_start_url(survey),
        body=(f"Open until {timezone.localtime(survey.closes_at):%-d %B %Y}. "
              if survey.closes_at else "") + (
            "Your answers are anonymous." if survey.anonymous
            else "Your name is kept with your answers."),
    )


@transaction.atomic
def close_survey(*, survey: Survey, by: Any) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.OPEN:
        raise Refused("Only an open survey can be closed")
    survey.status = SurveyStatus.CLOSED
    survey.updated_at = timezone.now()
    survey.save(update_fields=["status", "updated_at"])
    record(BuildingEvent.CLOSED, target=survey, by=by, network=survey.network)
    return survey


@transaction.atomic
def delete_survey(*, survey: Survey, by: Any) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise Refused("Only a draft survey can be deleted; close this one instead")
    if has_responses(survey):
        raise Refused("People have answered this survey, so it cannot be deleted")
    record(BuildingEvent.DELETED, target=survey, by=by, network=survey.network,
           title=survey.title)
    survey.delete()


@transaction.atomic
def replace_link(*, survey: Survey, by: Any) -> Survey:
    survey.token = link_token()
    survey.updated_at = timezone.now()
    survey.save(update_fields=["token", "updated_at"])
    record(BuildingEvent.LINK_REPLACED, target=survey, by=by, network=survey.network)
    return survey
