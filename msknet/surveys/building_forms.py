"""Forms for building surveys: parsing and checking input, no side effects.

The rules that need the survey (skip logic looks back to an earlier question,
the structure is fixed once answered) are the actions'; a view puts their
refusal beside the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms

from msknet.community.models import Event
from msknet.core.forms import NHSForm
from msknet.governance.models import Group
from msknet.members.models import Network

from .actions.building import BLANK, OPTION_KINDS
from .catalogue import AGREEMENT, TEMPLATES
from .models import Audience, Breakdown, Question, QuestionKind, Survey


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _events(network: Network) -> Any:
    return Event.objects.filter(network=network).order_by("-starts_at")


class EventChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.starts_at:%-d %B %Y})"


class NewSurveyForm(NHSForm):
    template = forms.ChoiceField(
        label="How do you want to start?", widget=forms.RadioSelect,
        choices=[*((t.key, t.name) for t in TEMPLATES.values()),
                 (BLANK, "Start from a blank survey")],
        error_messages={"required": "Choose a template or a blank survey"},
    )
    event = EventChoice(
        label="Which event is the feedback about?", queryset=Event.objects.none(),
        required=False,
        help_text="Only for event feedback: it is emailed to the event's attendees "
        "after the event ends.",
    )
    title = forms.CharField(
        label="Title", max_length=200, required=False,
        help_text="Needed for a blank survey; a template has its own, which you "
        "can change later.",
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = _events(network)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        template = data.get("template")
        if template == BLANK and not (data.get("title") or "").strip():
            self.add_error("title", "Enter a title for the blank survey")
        spec = TEMPLATES.get(template or "")
        if spec is not None and spec.for_events and data.get("event") is None:
            self.add_error("event", "Choose the event the feedback is about")
        return data


class SettingsForm(NHSForm):
    title = forms.CharField(label="Title", max_length=200)
    welcome = forms.CharField(
        label="Welcome text", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown before the first question: what the survey is for and how "
        "long it takes.",
    )
    thank_you = forms.CharField(
        label="Thank-you text", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown when someone sends their answers.",
    )
    anonymous = forms.TypedChoiceField(
        label="Anonymous or named?", widget=forms.RadioSelect,
        choices=[("yes", "Anonymous: answers keep no link to the person who sent them"),
                 ("no", "Named: each response keeps the sender's name")],
        coerce=lambda value: value == "yes",
        help_text="This cannot change once anyone has sent a response.",
    )
    audience = forms.ChoiceField(label="Who can answer?", widget=forms.RadioSelect,
                                 choices=Audience.choices)
    group = forms.ModelChoiceField(label="Group", queryset=Group.objects.none(),
                                   required=False,
                                   help_text="When the survey is for a group's members.")
    event = EventChoice(label="Event", queryset=Event.objects.none(), required=False,
                        help_text="When the survey is for an event's attendees.")
    opens_at = forms.DateTimeField(
        label="Opens", required=False, widget=DateTimeLocalInput(),
        help_text="UK time. Leave blank to take answers as soon as it is opened.",
        error_messages={"invalid": "Enter when it opens as a date and time"},
    )
    closes_at = forms.DateTimeField(
        label="Closes", required=False, widget=DateTimeLocalInput(),
        help_text="UK time. Leave blank to take answers until you close it.",
        error_messages={"invalid": "Enter when it closes as a date and time"},
    )
    responses_per_person = forms.IntegerField(
        label="Responses allowed per person", min_value=1, max_value=100,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}),
    )

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {
            "title": survey.title, "welcome": survey.welcome,
            "thank_you": survey.thank_you,
            "anonymous": "yes" if survey.anonymous else "no",
            "audience": survey.audience, "group": survey.group_id,
            "event": survey.event_id, "opens_at": survey.opens_at,
            "closes_at": survey.closes_at,
            "responses_per_person": survey.responses_per_person,
        })
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(
            network=survey.network_id).order_by("name")
        self.fields["event"].queryset = _events(survey.network)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        audience = data.get("audience")
        if audience == Audience.GROUP and data.get("group") is None:
            self.add_error("group", "Choose the group whose members can answer")
        if audience == Audience.EVENT_ATTENDEES and data.get("event") is None:
            self.add_error("event", "Choose the event whose attendees can answer")
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "The survey must close after it opens")
        return data


class SectionForm(NHSForm):
    title = forms.CharField(label="Section title", max_length=200)
    intro = forms.CharField(
        label="Introduction", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: a sentence or two shown above the section's questions.",
    )


class KindForm(NHSForm):
    kind = forms.ChoiceField(label="What kind of question?", widget=forms.RadioSelect,
                             choices=QuestionKind.choices)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionForm(NHSForm):
    """The fields a question of `kind` has; options and statements one a line."""

    text = forms.CharField(label="Question", max_length=500)
    hint = forms.CharField(label="Hint", max_length=500, required=False,
                           help_text="Optional: shown under the question, like "
                           "'Select all that apply'.")
    required = forms.TypedChoiceField(
        label="Must people answer it?", widget=forms.RadioSelect,
        choices=[("yes", "Yes, it must be answered"), ("no", "No, it is optional")],
        coerce=lambda value: value == "yes", initial="yes",
    )
    options = forms.CharField(
        label="Options", required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One on each line.",
    )
    statements = forms.CharField(
        label="Statements", required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One on each line; each is answered on the scale below.",
    )
    scale_min = forms.IntegerField(
        label="Lowest number", required=False, min_value=-10, max_value=10,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}))
    scale_max = forms.IntegerField(
        label="Highest number", required=False, min_value=-10, max_value=20,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}))
    low_label = forms.CharField(label="What the lowest number means", max_length=100,
                                required=False, help_text="For example 'Not useful'.")
    high_label = forms.CharField(label="What the highest number means",
                                 max_length=100, required=False,
                                 help_text="For example 'Very useful'.")
    breakdown = forms.ChoiceField(
        label="Use the answers for breakdowns?", choices=Breakdown.choices,
        required=False,
        help_text="Results can be split by a single-choice question about the "
        "respondent's sector, ICB, pathway step or role.",
    )
    show_if_question = forms.ModelChoiceField(
        label="Ask it only when an earlier question has a certain answer",
        queryset=Question.objects.none(), required=False,
        empty_label="Always ask it",
        help_text="Choose an earlier single-choice, multiple-choice or rating "
        "question.",
    )
    show_if_answer = forms.CharField(
        label="The answer that shows this question", max_length=200, required=False,
        help_text="Exactly as it is written in that question's options (for a "
        "rating, the number). For multiple choice, the question shows when the "
        "answer includes it.",
    )

    FIELDS_BY_KIND = {
        QuestionKind.SINGLE: ("options", "breakdown"),
        QuestionKind.MULTIPLE: ("options",),
        QuestionKind.RATING: ("scale_min", "scale_max", "low_label", "high_label"),
        QuestionKind.LIKERT: ("statements", "options"),
    }
    KIND_FIELDS = ("options", "statements", "scale_min", "scale_max", "low_label",
                   "high_label", "breakdown")

    def __init__(self, *args: Any, survey: Survey, kind: str,
                 question: Question | None = None, **kwargs: Any) -> None:
        if question is not None:
            kwargs.setdefault("initial", {
                "text": question.text, "hint": question.hint,
                "required": "yes" if question.required else "no",
                "options": "\n".join(question.options),
                "statements": "\n".join(question.statements),
                "scale_min": question.scale_min, "scale_max": question.scale_max,
                "low_label": question.low_label, "high_label": question.high_label,
                "breakdown": question.breakdown,
                "show_if_question": question.show_if_question_id,
                "show_if_answer": question.show_if_answer,
            })
        elif kind == QuestionKind.LIKERT:
            kwargs.setdefault("initial", {"options": "\n".join(AGREEMENT)})
        elif kind == QuestionKind.RATING:
            kwargs.setdefault("initial", {"scale_min": 1, "scale_max": 5})
        super().__init__(*args, **kwargs)
        self.kind = kind
        kept = self.FIELDS_BY_KIND.get(kind, ())
        for name in self.KIND_FIELDS:
            if name not in kept:
                del self.fields[name]
        if kind == QuestionKind.LIKERT:
            self.fields["options"].label = "The answer scale"
            self.fields["options"].help_text = ("One answer on each line, from one "
                                                "end to the other. Leave as it is "
                                                "for the agreement scale.")
        candidates = Question.objects.filter(
            section__survey=survey, kind__in=OPTION_KINDS).order_by(
            "section__position", "position")
        if question is not None:
            candidates = candidates.exclude(pk=question.pk)
        self.fields["show_if_question"].queryset = candidates

    def cleaned(self) -> dict[str, Any]:
        """The cleaned data as the actions take it."""
        data = dict(self.cleaned_data)
        for name in ("options", "statements"):
            data[name] = _lines(data.get(name) or "")
        data.setdefault("breakdown", "")
        data["breakdown"] = data.get("breakdown") or ""
        for name in ("low_label", "high_label"):
            data[name] = data.get(name) or ""
        return data


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])
