"""Reads for answering surveys: the surveys open to someone, and a survey's
sections with the questions each asks given the answers so far."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch
from django.utils import timezone

from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .actions.answering import shown_questions
from .models import Draft, Participation, Question, Section, Survey, SurveyStatus


@dataclass
class OpenSurvey:
    survey: Survey
    has_draft: bool
    sent: int

    @property
    def at_limit(self) -> bool:
        return self.sent >= self.survey.responses_per_person


def taking_responses(network: Network, now: Any = None):
    now = now or timezone.now()
    return (Survey.objects.filter(network=network, status=SurveyStatus.OPEN)
            .exclude(opens_at__gt=now).exclude(closes_at__lte=now)
            .select_related("group", "event")
            .annotate(section_count=Count("sections", distinct=True))
            .order_by("closes_at", "-created_at", "-pk"))


def open_to(user: Any, network: Network) -> list[OpenSurvey]:
    """Surveys taking responses that `user` is in the audience of, soonest
    closing first, with whether they have a draft and how many they sent."""
    surveys = [s for s in taking_responses(network)
               if has_permission(user, Permission.ANSWER_SURVEY, network, s)]
    ids = [s.pk for s in surveys]
    drafts = set(Draft.objects.filter(user=user, survey_id__in=ids)
                 .values_list("survey_id", flat=True))
    sent = dict(Participation.objects.filter(user=user, survey_id__in=ids)
                .values_list("survey_id", "responses"))
    return [OpenSurvey(s, s.pk in drafts, sent.get(s.pk, 0)) for s in surveys]


def sections_of(survey: Survey) -> list[Section]:
    """The survey's sections in order, each with its questions prefetched."""
    return list(survey.sections.order_by("position", "pk").prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("position", "pk"))))


def all_questions(sections: list[Section]) -> list[Question]:
    return [q for section in sections for q in section.questions.all()]


@dataclass
class AskedSection:
    section: Section
    questions: list[Question]


def asked_sections(sections: list[Section], answers: dict[str, Any]
                   ) -> list[AskedSection]:
    """Each section with the questions it asks given `answers`; a question
    whose condition rests on an earlier question in the same section is
    asked there (the page says when to answer it), so sections whose every
    question is skipped are left out."""
    questions = all_questions(sections)
    shown = {q.pk for q in shown_questions(questions, answers)}
    by_id = {q.pk: q for q in questions}
    found = []
    for section in sections:
        asked = []
        for question in section.questions.all():
            parent = by_id.get(question.show_if_question_id)
            same_section = parent is not None and parent.section_id == section.pk
            if question.pk in shown or (same_section and parent.pk in shown):
                asked.append(question)
        if asked:
            found.append(AskedSection(section, asked))
    return found
