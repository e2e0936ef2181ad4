"""Coding free-text answers into themes, and sharing a survey's results.

Each action runs in one transaction and writes its audit event; a refusal
names the field at fault."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from msknet.core.models import audit_types

from ..models import Answer, Coding, Question, Survey, Theme
from .common import Refused, record


@audit_types
class ResultsEvent(models.TextChoices):
    THEME_CHANGED = "surveys_theme_changed", "Survey theme changed"
    """A lead added, renamed or removed a theme of a free-text question."""
    ANSWERS_CODED = "surveys_answers_coded", "Survey answers coded"
    """A lead put answers into a theme, or took them out."""
    RESULTS_SHARED = "surveys_results_shared", "Survey results shared"
    """A lead shared a survey's results summary with the network, or stopped."""


def clean_name(name: str, question: Question, *, theme: Theme | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise Refused("Enter the theme's name", field="name")
    taken = question.themes.filter(name__iexact=name)
    if theme is not None:
        taken = taken.exclude(pk=theme.pk)
    if taken.exists():
        raise Refused(f"This question already has a theme called “{name}”",
                      field="name")
    return name


@transaction.atomic
def add_theme(*, question: Question, by: Any, name: str, description: str = ""
              ) -> Theme:
    if not question.is_text:
        raise Refused("Only free-text answers are coded into themes", field="name")
    try:
        with transaction.atomic():
            theme = Theme.objects.create(
                question=question, name=clean_name(name, question),
                description=description.strip(), created_by=by)
    except IntegrityError:
        raise Refused("This question already has a theme with that name",
                      field="name") from None
    record(ResultsEvent.THEME_CHANGED, target=theme, by=by,
           network=question.section.survey.network, change="added", name=theme.name)
    return theme


@transaction.atomic
def change_theme(*, theme: Theme, by: Any, name: str, description: str = "") -> Theme:
    old = theme.name
    theme.name = clean_name(name, theme.question, theme=theme)
    theme.description = description.strip()
    theme.save(update_fields=["name", "description"])
    record(ResultsEvent.THEME_CHANGED, target=theme, by=by,
           network=theme.question.section.survey.network, change="renamed",
           name=theme.name, was=old)
    return theme


@transaction.atomic
def remove_theme(*, theme: Theme, by: Any) -> None:
    """Remove a theme and every coding into it; the answers stay."""
    record(ResultsEvent.THEME_CHANGED, target=theme, by=by,
           network=theme.question.section.survey.network, change="removed",
           name=theme.name, answers=theme.codings.count())
    theme.delete()


@transaction.atomic
def code_answers(*, theme: Theme, answers: Iterable[int], by: Any,
                 remove: bool = False) -> int:
    """Put the answers (ids) into the theme, or with `remove` take them out.
    Every id must be an answer to the theme's question, or nothing changes.
    Returns how many codings were added or removed."""
    ids = sorted(set(answers))
    if not ids:
        raise Refused("Choose at least one answer", field="answers")
    found = set(Answer.objects.filter(question=theme.question_id, pk__in=ids)
                .values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise Refused(f"Answer {missing[0]} is not an answer to this question",
                      field="answers")
    if remove:
        changed, _ = Coding.objects.filter(theme=theme, answer_id__in=ids).delete()
    else:
        already = set(Coding.objects.filter(theme=theme, answer_id__in=ids)
                      .values_list("answer_id", flat=True))
        now = timezone.now()
        made = Coding.objects.bulk_create(
            Coding(answer_id=pk, theme=theme, coded_by=by, coded_at=now)
            for pk in ids if pk not in already)
        changed = len(made)
    record(ResultsEvent.ANSWERS_CODED, target=theme, by=by,
           network=theme.question.section.survey.network,
           change="removed" if remove else "added", answers=changed)
    return changed


@transaction.atomic
def share_results(*, survey: Survey, by: Any, shared: bool) -> Survey:
    """Share the results summary with the network's members, or stop."""
    if survey.results_shared == shared:
        return survey
    survey.results_shared = shared
    survey.updated_at = timezone.now()
    survey.save(update_fields=["results_shared", "updated_at"])
    record(ResultsEvent.RESULTS_SHARED, target=survey, by=by, network=survey.network,
           shared=shared)
    return survey
