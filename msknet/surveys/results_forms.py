"""Forms for results: choosing a cross-tab, naming themes and coding answers.
They parse; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms

from msknet.core.forms import NHSForm

from .models import Question


class CrosstabForm(NHSForm):
    """Which question to show, and by which breakdown question."""

    question = forms.TypedChoiceField(
        label="Question", coerce=int, choices=(),
        error_messages={"required": "Choose a question",
                        "invalid_choice": "Choose one of the survey's questions"},
    )
    by = forms.TypedChoiceField(
        label="Break it down by", coerce=int, choices=(),
        error_messages={"required": "Choose what to break the answers down by",
                        "invalid_choice": "Choose one of the survey's breakdowns"},
    )

    def __init__(self, *args: Any, questions: list[Question],
                 breakdowns: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [
            (q.pk, q.text + (" (themes)" if q.is_text else "")) for q in questions]
        self.fields["by"].choices = [
            (q.pk, f"{q.get_breakdown_display()}: {q.text}") for q in breakdowns]


class ThemeForm(NHSForm):
    name = forms.CharField(
        label="Theme", max_length=120,
        error_messages={"required": "Enter the theme's name",
                        "max_length": "Enter a name of 120 characters or fewer"},
        help_text="A few words, for example “Waiting times”.",
    )
    description = forms.CharField(
        label="What it covers", required=False, max_length=300,
        error_messages={"max_length": "Enter 300 characters or fewer"},
    )


class CodeForm(forms.Form):
    """Answers (by id) to put in, or take out of, one theme."""

    answers = forms.TypedMultipleChoiceField(
        coerce=int, choices=(),
        error_messages={"required": "Choose at least one answer",
                        "invalid_choice": "Choose answers to this question"},
    )
    theme = forms.TypedChoiceField(
        coerce=int, choices=(),
        error_messages={"required": "Choose a theme",
                        "invalid_choice": "Choose one of this question's themes"},
    )
    remove = forms.BooleanField(required=False)

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answers"].choices = [
            (pk, pk) for pk in question.answers.values_list("pk", flat=True)]
        self.fields["theme"].choices = [
            (pk, pk) for pk in question.themes.values_list("pk", flat=True)]
