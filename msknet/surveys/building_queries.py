"""Reads for building surveys: the lead's list and a survey's structure."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse

from msknet.members.models import Network

from .models import Question, QuestionKind, Section, Survey


def surveys_of(network: Network) -> QuerySet[Survey]:
    """Every survey of the network, newest first, with its responses counted."""
    return (Survey.objects.filter(network=network)
            .select_related("network", "group", "event")
            .annotate(sent=Count("responses", distinct=True))
            .order_by("-created_at", "-pk"))


def results_url(survey: Survey) -> str | None:
    """The survey's results page, once the results pages exist."""
    try:
        return reverse("survey-results", args=[survey.network.slug, survey.pk])
    except NoReverseMatch:
        return None


def by_link_url(survey: Survey) -> str | None:
    try:
        return reverse("survey-by-link", args=[survey.network.slug, survey.token])
    except NoReverseMatch:
        return None


def rule_in_words(question: Question) -> str:
    """"Asked only when 'Which of these…' is 'Something else'"."""
    condition = question.show_if_question
    if condition is None:
        return ""
    text = condition.text
    if len(text) > 60:  # cut at a word, as a reader would
        text = text[:60].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    verb = "includes" if condition.kind == QuestionKind.MULTIPLE else "is"
    return f"Asked only when '{text}' {verb} '{question.show_if_answer}'"


@dataclass
class SectionView:
    section: Section
    questions: list[Question] = field(default_factory=list)
    first: bool = False
    last: bool = False


def structure(survey: Survey) -> list[SectionView]:
    """The survey's sections in order, each with its questions in order; each
    question carries `rule` (its skip logic in words) and `number`."""
    sections = list(survey.sections.order_by("position", "pk").prefetch_related(
        Prefetch("questions", queryset=Question.objects.select_related(
            "show_if_question").order_by("position", "pk"))))
    views = []
    number = 0
    for i, section in enumerate(sections):
        questions = list(section.questions.all())
        for question in questions:
            number += 1
            question.number = number  # type: ignore[attr-defined]
            question.rule = rule_in_words(question)  # type: ignore[attr-defined]
        views.append(SectionView(section, questions, first=i == 0,
                                 last=i == len(sections) - 1))
    return views


def question_count(survey: Survey) -> int:
    return Question.objects.filter(section__survey=survey).count()
