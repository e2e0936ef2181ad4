"""The form for one section of a survey, built from its questions.

One field per question, named `q<id>`, of a kind to match: radios for single
choice; checkboxes for multiple choice; a rating as inline radios with the
scale's low and high labels at its ends; a Likert grid as one fieldset of
radios per statement; a number; a date as the NHS.UK date input (day, month,
year); a line of text; a text area. Every answer is checked again by
`actions.answering.clean_value`, which the API uses too, so the page and the
API refuse the same things (options not among the question's, numbers that
are not numbers, dates that are not real).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from msknet.core.forms import NHSForm

from .actions.answering import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    clean_value,
    condition_holds,
    missing_message,
    quoted,
)
from .actions.common import Refused
from .models import Question, QuestionKind

QUESTIONS = "surveys/questions/"


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class LikertWidget(forms.Widget):
    """One set of radios per statement, each named `<name>_<n>`."""

    template_name = QUESTIONS + "likert_widget.html"

    def __init__(self, statements: list[str], options: list[str]) -> None:
        super().__init__()
        self.statements, self.options = statements, options

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        chosen = {}
        for n, statement in enumerate(self.statements):
            value = data.get(f"{name}_{n}")
            if value:
                chosen[statement] = value
        return chosen

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}_{n}" in data for n in range(len(self.statements)))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None
                    ) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = value if isinstance(value, dict) else {}
        base = (attrs or {}).get("id", f"id_{name}")
        context["rows"] = [
            {"statement": statement, "name": f"{name}_{n}", "id": f"{base}_{n}",
             "options": [{"value": option, "id": f"{base}_{n}_{m}",
                          "checked": chosen.get(statement) == option}
                         for m, option in enumerate(self.options)]}
            for n, statement in enumerate(self.statements)
        ]
        return context


class DateWidget(forms.Widget):
    """The NHS.UK date input: day, month and year boxes, named `<name>_day`…"""

    template_name = QUESTIONS + "date_widget.html"
    parts = ("day", "month", "year")

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {part: str(data.get(f"{name}_{part}", "")).strip() for part in self.parts}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}_{part}" in data for part in self.parts)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None
                    ) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if isinstance(value, str) and value:
            try:
                day = dt.date.fromisoformat(value)
                value = {"day": day.day, "month": day.month, "year": day.year}
            except ValueError:
                value = {}
        value = value if isinstance(value, dict) else {}
        base = (attrs or {}).get("id", f"id_{name}")
        error = "nhsuk-input--error" in (attrs or {}).get("class", "")
        context["parts"] = [
            {"part": part, "label": part.capitalize(), "name": f"{name}_{part}",
             "id": f"{base}_{part}", "value": value.get(part, ""),
             "width": 4 if part == "year" else 2, "error": error}
            for part in self.parts
        ]
        return context


class DateAnswer(forms.Field):
    widget = DateWidget

    def to_python(self, value: Any) -> str | None:
        if not isinstance(value, dict) or not any(value.values()):
            return None
        try:
            return dt.date(int(value["year"]), int(value["month"]),
                           int(value["day"])).isoformat()
        except (KeyError, ValueError, TypeError):
            raise forms.ValidationError(self.error_messages["invalid"],
                                        code="invalid") from None


class LikertAnswer(forms.Field):
    def to_python(self, value: Any) -> dict[str, str] | None:
        return value or None


def question_field(question: Question, *, required: bool) -> forms.Field:
    """The form field that asks `question`."""
    kind = question.kind
    common: dict[str, Any] = {
        "label": question.text, "help_text": question.hint, "required": required,
        "error_messages": {"required": missing_message(question),
                           "invalid_choice": f"Choose one of the options for "
                                             f"{quoted(question)}"},
    }
    options = [(o, o) for o in question.options]
    if kind == QuestionKind.SINGLE:
        return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
    if kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(choices=options,
                                         widget=forms.CheckboxSelectMultiple, **common)
    if kind == QuestionKind.RATING:
        low, high = question.scale_min or 1, question.scale_max or 5
        choices = []
        for n in range(low, high + 1):
            label = str(n)
            if n == low and question.low_label:
                label = f"{n} – {question.low_label}"
            elif n == high and question.high_label:
                label = f"{n} – {question.high_label}"
            choices.append((str(n), label))
        field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        field.template_name = QUESTIONS + "rating.html"
        return field
    if kind == QuestionKind.LIKERT:
        field = LikertAnswer(
            widget=LikertWidget(list(question.statements), list(question.options)),
            **common)
        field.template_name = QUESTIONS + "likert.html"
        return field
    if kind == QuestionKind.NUMBER:
        common["error_messages"]["invalid"] = f"Enter a number for {quoted(question)}"
        return forms.CharField(widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "nhsuk-input--width-10"}),
            **common)
    if kind == QuestionKind.DATE:
        common["error_messages"]["invalid"] = (
            f"Enter a real date for {quoted(question)}")
        field = DateAnswer(**common)
        field.template_name = QUESTIONS + "date.html"
        return field
    if kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(max_length=SHORT_TEXT_MAX, **common)
    return forms.CharField(max_length=LONG_TEXT_MAX, widget=forms.Textarea(
        attrs={"rows": 5}), **common)


def to_initial(question: Question, value: Any) -> Any:
    if question.kind == QuestionKind.RATING and value is not None:
        return str(value)
    return value


class SectionForm(NHSForm):
    """The questions one section asks. `later=True` (saving to come back)
    checks what is given but asks for nothing that is missing."""

    def __init__(self, *args: Any, questions: list[Question],
                 answers: dict[str, Any], later: bool = False, **kwargs: Any) -> None:
        initial = {field_name(q): to_initial(q, answers.get(str(q.pk)))
                   for q in questions}
        super().__init__(*args, initial=initial, **kwargs)
        self.questions = questions
        self.answers = answers
        here = {q.pk: q for q in questions}
        for question in questions:
            # Asked only with an answer on this same page: say when, and
            # require it only when that answer is given.
            parent = here.get(question.show_if_question_id)
            required = question.required and parent is None and not later
            field = question_field(question, required=required)
            if parent is not None:
                when = (f"Answer this if you chose “{question.show_if_answer}” "
                        f"for “{parent.text}”.")
                field.help_text = " ".join(filter(None, [when, question.hint]))
                field.required_when = question.show_if_answer
            self.fields[field_name(question)] = field
        self.later = later

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        given: dict[str, Any] = {}
        for question in self.questions:
            name = field_name(question)
            if name not in cleaned:
                continue
            try:
                given[str(question.pk)] = clean_value(question, cleaned[name])
            except Refused as error:
                self.add_error(name, str(error))
        merged = {**self.answers, **{k: v for k, v in given.items() if v is not None}}
        here = {q.pk for q in self.questions}
        for question in self.questions:
            name, key = field_name(question), str(question.pk)
            if question.show_if_question_id in here and not condition_holds(
                    question, merged):
                given[key] = None  # hidden by skip logic: not kept
                continue
            if self.later or not question.required or name in self.errors:
                continue
            value = given.get(key)
            if value is None or (question.kind == QuestionKind.LIKERT
                                 and len(value) < len(question.statements)):
                self.add_error(name, missing_message(question))
        self.given = given
        return cleaned
