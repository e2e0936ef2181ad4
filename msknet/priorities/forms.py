"""Forms for nomination rounds: parsing and checking input, no side effects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from msknet.core.forms import NHSForm, NHSModelForm, SearchableSelect
from msknet.governance.models import Meeting
from msknet.members.models import Network, User

from .models import Decision, Nomination, Round, Term, TermLengths
from .strategic_forms import serves_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(NHSModelForm):
    class Meta:
        model = Round
        fields = ["title", "description", "opens_on", "closes_on",
                  "supports_per_member", "score_min", "score_max",
                  "score_min_label", "score_max_label"]
        labels = {
            "title": "Title",
            "description": "What the round is for",
            "opens_on": "Opens for nominations on",
            "closes_on": "Closes for nominations on",
            "supports_per_member": "Supports per member",
            "score_min": "Lowest score on the scale",
            "score_max": "Highest score on the scale",
            "score_min_label": "What the lowest score means",
            "score_max_label": "What the highest score means",
        }
        help_texts = {
            "score_max": "",  # the lowest score's hint explains the scale
            "description": "Members see this when they nominate: for example, the "
            "years the round covers and the kind of project you are looking for.",
            "opens_on": "Members can nominate from this day.",
            "closes_on": "The last day members can nominate, comment and support. "
            "Screening starts the day after, or when you close nominations.",
            "supports_per_member": "How many nominations each member may support.",
            "score_min": "Panellists score each criterion on a whole-number scale, "
            "by default from 1 to 5. The scale cannot change once scoring starts.",
        }
        widgets = {"opens_on": DATE, "closes_on": DATE,
                   "description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "title": {"required": "Enter a title"},
            "opens_on": {"required": "Enter the opening date",
                         "invalid": "Enter the opening date as a real date"},
            "closes_on": {"required": "Enter the closing date",
                          "invalid": "Enter the closing date as a real date"},
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The closing date must be on or after the "
                           "opening date")
        low, high = data.get("score_min"), data.get("score_max")
        if low is not None and high is not None and high <= low:
            self.add_error("score_max", "The highest score must be above the lowest")
        return data


class TermLengthsForm(NHSModelForm):
    class Meta:
        model = TermLengths
        fields = ["short_under_months", "long_over_months"]
        labels = {
            "short_under_months": "Short term: under how many months",
            "long_over_months": "Long term: over how many months",
        }
        help_texts = {
            "short_under_months": "By default 12: a short-term project delivers in "
            "under a year.",
            "long_over_months": "By default 24: a long-term project takes over 2 "
            "years. Medium term is everything between.",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        short, long = data.get("short_under_months"), data.get("long_over_months")
        if short is not None and short < 1:
            self.add_error("short_under_months", "Enter at least 1 month")
        if short and long is not None and long < short:
            self.add_error("long_over_months", "Long term must start at or after "
                           "short term ends")
        return data


class CriterionForm(NHSForm):
    name = forms.CharField(label="Question", max_length=200,
                           error_messages={"required": "Enter the question"})
    description = forms.CharField(
        label="What it means", max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}))
    weight = forms.DecimalField(
        label="Weight", initial=Decimal(1), min_value=Decimal("0.1"),
        max_value=Decimal(10), decimal_places=1,
        help_text="How much this question counts in the weighted score, from 0.1 "
        "to 10. Every question counts 1 by default.",
        error_messages={"required": "Enter a weight",
                        "invalid": "Enter the weight as a number, like 1 or 1.5",
                        "min_value": "Enter a weight of at least 0.1",
                        "max_value": "Enter a weight of at most 10",
                        "max_decimal_places": "Use at most one decimal place"},
    )


class PanelForm(NHSForm):
    """The panel so far, as ticked boxes, and a searchable picker to add one more.

    A network has hundreds of members: one checkbox each was a page of names,
    so only the current panellists are listed and the next is found by name.
    """

    panellists = forms.ModelMultipleChoiceField(
        label="Current panellists", queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick anyone who should no longer score.",
    )
    add = forms.ModelChoiceField(
        label="Add a panellist", queryset=User.objects.none(), required=False,
        widget=SearchableSelect, empty_label="Choose a network member",
        help_text="Start typing their name. Only the people on the panel will "
        "score; with nobody on it, the steering group and leads score.",
    )

    def __init__(self, *args: Any, network: Network, round: Round,
                 **kwargs: Any) -> None:
        current = list(round.panel.order_by("full_name"))
        kwargs.setdefault("initial", {"panellists": [user.pk for user in current]})
        super().__init__(*args, **kwargs)
        members = User.objects.filter(
            memberships__network=network, is_active=True, erased_at__isnull=True
        ).order_by("full_name")
        fields: dict[str, Any] = self.fields
        fields["panellists"].queryset = members
        # Only the current panel is listed; anyone in the network may be posted.
        fields["panellists"].widget.choices = [
            (user.pk, user.display_name) for user in current]
        if not current:  # nothing to list, but a posted list is still read
            fields["panellists"].widget = forms.MultipleHiddenInput()
        fields["add"].queryset = members.exclude(pk__in=[u.pk for u in current])
        fields["add"].label_from_instance = lambda user: user.display_name

    def chosen(self) -> list[User]:
        """Who will be on the panel; call after `is_valid()`."""
        panel = list(self.cleaned_data.get("panellists") or [])
        if self.cleaned_data.get("add") and self.cleaned_data["add"] not in panel:
            panel.append(self.cleaned_data["add"])
        return panel


class NominationForm(NHSModelForm):
    class Meta:
        model = Nomination
        fields = ["title", "problem", "population", "icbs", "variation",
                  "benefit_access", "benefit_outcomes", "benefit_experience",
                  "inequality", "term", "resources", "evidence", "topic"]
        labels = {
            "title": "Title",
            "problem": "What is the problem?",
            "population": "Who does it affect?",
            "icbs": "Which ICBs does it affect?",
            "variation": "What variation in care does it address?",
            "benefit_access": "Expected benefit for access",
            "benefit_outcomes": "Expected benefit for outcomes",
            "benefit_experience": "Expected benefit for experience",
            "inequality": "Which health inequality would it reduce?",
            "term": "How long would the project take?",
            "resources": "What resources would it need?",
            "evidence": "What evidence is there that it would work?",
            "topic": "Topic",
        }
        help_texts = {
            "title": "A short name for the project, like 'Faster first-contact "
            "physiotherapy'.",
            "population": "Which groups of people, and roughly how many. Do not "
            "include anything that could identify a patient.",
            "icbs": "Choose every ICB where the problem is found.",
            "resources": "People, time, money and data.",
            "problem": "What happens now, where, and why it matters.",
            "evidence": "For example, published studies, national guidance or a "
            "local pilot.",
            "variation": "For example, between ICBs, practices or groups of people.",
            "benefit_access": "For example, shorter waits or care closer to home.",
            "benefit_outcomes": "For example, less pain, better function or fewer "
            "people off work.",
            "benefit_experience": "How patients and carers would find their care "
            "better.",
            "inequality": "For example, in deprived areas or an ethnic group.",
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ["problem", "population", "variation", "benefit_access",
                         "benefit_outcomes", "benefit_experience", "inequality",
                         "resources", "evidence"]
        } | {"icbs": forms.CheckboxSelectMultiple, "term": forms.RadioSelect}
        error_messages = {
            "title": {"required": "Enter a title"},
            "problem": {"required": "Describe the problem"},
            "population": {"required": "Say who the problem affects"},
            "variation": {"required": "Describe the variation in care it addresses"},
            "benefit_access": {"required": "Describe the expected benefit for access"},
            "benefit_outcomes": {
                "required": "Describe the expected benefit for outcomes"},
            "benefit_experience": {
                "required": "Describe the expected benefit for experience"},
            "inequality": {"required": "Say which health inequality it would reduce"},
            "term": {"required": "Choose short, medium or long term"},
            "resources": {"required": "Say what resources it would need"},
        }

    def __init__(self, *args: Any, network: Network, terms: TermLengths,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["icbs"].queryset = network.icbs.all()
        self.fields["icbs"].label_from_instance = lambda icb: icb.short_name
        self.fields["topic"].queryset = network.topics.all()
        self.fields["topic"].empty_label = "No particular topic"
        self.fields["serves"] = serves_field(network, self.instance)
        if self.instance.pk is not None:
            self.initial["serves"] = list(
                self.instance.serves.values_list("pk", flat=True))
        self.fields["term"].choices = [
            (term.value, f"{term.label} ({terms.describe(term.value)})")
            for term in Term
        ]

    def clean_title(self) -> str:
        return str(self.cleaned_data["title"]).strip()


class CommentForm(NHSForm):
    body = forms.CharField(
        label="Add a comment", max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone in the network can read comments.",
        error_messages={"required": "Enter a comment"},
    )


class ScoreForm(NHSForm):
    """One radio question per criterion on the round's scale, and a comment each."""

    def __init__(self, *args: Any, round: Round, criteria: list[Any],
                 initial_scores: dict[int, tuple[int, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scale = (f"Score from {round.score_min} ({round.score_min_label.lower()}) "
                 f"to {round.score_max} ({round.score_max_label.lower()}).")
        choices = []
        for value in round.scale:
            label = str(value)
            if value == round.score_min:
                label = f"{value} – {round.score_min_label}"
            elif value == round.score_max:
                label = f"{value} – {round.score_max_label}"
            choices.append((str(value), label))
        initial_scores = initial_scores or {}
        for criterion in criteria:
            hint = f"{criterion.description} {scale}".strip()
            if criterion.weight != 1:
                hint += f" Weight {criterion.weight:g}."
            value, comment = initial_scores.get(criterion.pk, (None, ""))
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.name, choices=choices, widget=forms.RadioSelect,
                help_text=hint, initial=str(value) if value is not None else None,
                error_messages={"required": f"Choose a score for '{criterion.name}'"},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Why this score for '{criterion.name}'", required=False,
                max_length=5000, initial=comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (int(self.cleaned_data[f"score_{c.pk}"]),
                   self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class DecisionForm(NHSForm):
    decision = forms.ChoiceField(
        label="Decision", choices=Decision.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose selected, deferred or declined"},
    )
    reason = forms.CharField(
        label="Reason", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Give a reason if you decline the nomination. Members can read it.",
    )
    reason.required_when = "declined"  # so the label is not marked "(optional)"
    meeting = forms.ModelChoiceField(
        label="Meeting that decided", required=False, queryset=Meeting.objects.none(),
        empty_label="Not a meeting recorded here",
        help_text="A meeting recorded in this network's groups; the decision is "
        "listed on its page, and its date is used unless you give one below.",
    )
    meeting_on = forms.DateField(
        label="Date of the meeting that decided", required=False, widget=DATE,
        error_messages={"invalid": "Enter the meeting date as a real date"},
    )
    minute_reference = forms.CharField(
        label="Minute reference", required=False, max_length=100,
        help_text="Where the decision is minuted, like 'SG 2025-03, item 4'.",
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.queryset = (Meeting.objects.filter(group__network=network)
                          .select_related("group").order_by("-starts_at"))
        field.label_from_instance = lambda meeting: (
            f"{meeting.group.name}: {meeting.title}, "
            f"{timezone.localtime(meeting.starts_at):%-d %B %Y}")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == Decision.DECLINED and not data.get("reason",
                                                                       "").strip():
            self.add_error("reason", "Give the reason the nomination is declined")
        return data
