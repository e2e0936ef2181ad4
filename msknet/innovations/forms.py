"""Forms for the innovation record: parsing and checking input, no side effects."""

from __future__ import annotations

from typing import Any

from django import forms

from msknet.community.forms import FILE_HELP, DateInput, HttpsURLField, checked_upload
from msknet.core.forms import NHSForm, NHSModelForm
from msknet.members.models import Network
from msknet.priorities.models import StrategicPriority
from msknet.priorities.strategic_forms import serves_field

from .actions.stages import NEXT_STAGES
from .models import (
    Attachment,
    EvidenceLink,
    Innovation,
    InnovationMeasure,
    Kind,
    Stage,
)

RECORD_FIELDS = [
    "name", "kind", "summary", "problem", "who_for", "description",
    "evidence_summary", "evidence_strength", "nice_status", "nice_reference",
    "dtac_status", "marking", "dcb0129_status", "dcb0160_status", "cost",
    "resources_needed", "owner", "contacts",
]

LABELS = {
    "name": "Name",
    "kind": "What kind of innovation is it?",
    "summary": "Summary",
    "problem": "What problem does it solve?",
    "who_for": "Who is it for?",
    "description": "How does it work?",
    "evidence_summary": "What is the evidence that it works?",
    "evidence_strength": "How strong is the evidence?",
    "nice_status": "NICE",
    "nice_reference": "NICE reference",
    "dtac_status": "Digital Technology Assessment Criteria (DTAC)",
    "marking": "UKCA or CE marking",
    "dcb0129_status": "DCB0129 (manufacturer's clinical safety)",
    "dcb0160_status": "DCB0160 (deploying organisation's clinical safety)",
    "cost": "What does it cost?",
    "resources_needed": "What does adopting it need?",
    "owner": "Owner, developer or supplier",
    "contacts": "Contacts",
}
HELP_TEXTS = {
    "name": "A short name people will recognise, like 'ESCAPE-pain'.",
    "summary": "One sentence for the catalogue: what it is and what it does.",
    "problem": "What happens now, for whom, and why it matters.",
    "who_for": "Which people, and in which services. Do not include anything "
    "that could identify a patient.",
    "description": "Optional. The main steps, who does what, and where.",
    "evidence_summary": "Optional. Published studies, evaluations and NICE "
    "guidance. Add links to each piece of evidence on the innovation's page.",
    "nice_reference": "Optional. For example NG59 or MIB212.",
    "dtac_status": "For digital products.",
    "marking": "For medical devices.",
    "cost": "Optional. What it costs, and on what basis (per person, per year).",
    "resources_needed": "Optional. The staff, time, kit and training it needs.",
    "owner": "Optional.",
    "contacts": "Optional. Names, roles and work email addresses of people "
    "happy to be contacted. Everyone who can see the innovation can read them.",
}


class InnovationForm(NHSModelForm):
    """The full record, for members proposing and for changing it."""

    class Meta:
        model = Innovation
        fields = RECORD_FIELDS
        labels = LABELS
        help_texts = HELP_TEXTS
        widgets = {
            "kind": forms.RadioSelect,
            "evidence_strength": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 2}),
            **{name: forms.Textarea(attrs={"rows": 4}) for name in (
                "problem", "who_for", "description", "evidence_summary", "cost",
                "resources_needed", "contacts")},
        }
        error_messages = {
            "name": {"required": "Enter the innovation's name"},
            "kind": {"required": "Choose what kind of innovation it is"},
            "summary": {"required": "Summarise the innovation in one sentence"},
            "problem": {"required": "Say what problem it solves"},
            "who_for": {"required": "Say who it is for"},
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["serves"] = serves_field(network, self.instance)
        if self.instance.pk is not None:
            self.initial["serves"] = list(
                self.instance.serves.values_list("pk", flat=True))

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        taken = Innovation.objects.filter(network=self.network, name__iexact=name)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("The network already has an innovation "
                                        "with this name")
        return name

    def action_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name]
                for name in [*RECORD_FIELDS, "serves"]}


class SuggestionForm(NHSForm):
    """The public form: what a visitor can tell us, and how to reach them."""

    name = forms.CharField(
        label="Name of the innovation", max_length=200,
        error_messages={"required": "Enter the innovation's name"})
    kind = forms.ChoiceField(
        label="What kind of innovation is it?", choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of innovation it is"})
    summary = forms.CharField(
        label="Summary", max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One sentence: what it is and what it does.",
        error_messages={"required": "Summarise the innovation in one sentence"})
    problem = forms.CharField(
        label="What problem does it solve?", max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what problem it solves"})
    who_for = forms.CharField(
        label="Who is it for?", max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Do not include anything that could identify a patient.",
        error_messages={"required": "Say who it is for"})
    evidence = forms.CharField(
        label="Evidence that it works", max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. Links to studies, evaluations or NICE guidance.")
    proposer_name = forms.CharField(
        label="Your name", max_length=200,
        error_messages={"required": "Enter your name"})
    proposer_email = forms.EmailField(
        label="Your email address", max_length=254,
        help_text="We will only use this to ask you about the innovation.",
        error_messages={"required": "Enter your email address"})
    proposer_organisation = forms.CharField(
        label="Your organisation", max_length=200, required=False,
        help_text="Optional.")

    def clean_proposer_email(self) -> str:
        email: str = self.cleaned_data["proposer_email"].strip().lower()
        return email


class ReviewForm(NHSForm):
    DECISIONS = [
        ("accept", "Accept it: it joins the network's proposed innovations"),
        ("turn_away", "Turn it away: it is deleted"),
    ]
    decision = forms.ChoiceField(
        label="Your decision", choices=DECISIONS, widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept or turn it away"})
    reason = forms.CharField(
        label="Why?", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you turn it away. Kept in the audit trail.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "turn_away" and not data.get("reason", "").strip():
            self.add_error("reason", "Say why you are turning it away")
        return data


def stage_moves(innovation: Innovation) -> list[str]:
    """Where triage may move it from here: every move except the decision out
    of screening, which the screening page records with its meeting."""
    if innovation.stage == Stage.SCREENING:
        return []
    return list(NEXT_STAGES[innovation.stage])


class StageForm(NHSForm):
    stage = forms.ChoiceField(
        label="Move it to", widget=forms.RadioSelect,
        error_messages={"required": "Choose the stage to move it to"})
    reason = forms.CharField(
        label="Why?", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when it is not taken forward. Its followers read it.")

    def __init__(self, *args: Any, innovation: Innovation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [
            (stage, Stage(stage).label) for stage in stage_moves(innovation)]


class EvidenceForm(NHSModelForm):
    class Meta:
        model = EvidenceLink
        fields = ["title", "url", "type", "published_on"]
        labels = {"title": "Title", "url": "Link", "type": "Kind of evidence",
                  "published_on": "Date published"}
        help_texts = {"url": "An address starting https://",
                      "published_on": "Optional."}
        widgets = {"type": forms.RadioSelect, "published_on": DateInput()}
        field_classes = {"url": HttpsURLField}
        error_messages = {
            "title": {"required": "Enter the evidence's title"},
            "url": {"required": "Enter a link to the evidence",
                    "invalid": "Enter a link starting https://"},
            "type": {"required": "Choose what kind of evidence it is"},
        }


class AttachmentForm(NHSModelForm):
    file = forms.FileField(
        label="Document", help_text=FILE_HELP,
        error_messages={"required": "Choose a document to upload"})

    class Meta:
        model = Attachment
        fields = ["title"]
        labels = {"title": "Title"}
        help_texts = {"title": "What the document is, like 'Business case, 2026'."}
        error_messages = {"title": {"required": "Enter the document's title"}}

    def clean_file(self) -> Any:
        return checked_upload(self.cleaned_data.get("file"))


class MeasureForm(NHSModelForm):
    class Meta:
        model = InnovationMeasure
        fields = ["kind", "name", "definition", "unit", "improvement"]
        labels = {"kind": "Kind of measure", "name": "Name",
                  "definition": "Definition", "unit": "Unit",
                  "improvement": "Improvement direction"}
        help_texts = {
            "definition": "Numerator, denominator and where the data comes from, "
            "so every site measures alike.",
            "unit": 'Optional. Such as "%", "days" or "people".',
        }
        widgets = {"kind": forms.RadioSelect, "improvement": forms.RadioSelect,
                   "definition": forms.Textarea(attrs={"rows": 4}),
                   "unit": forms.TextInput(attrs={"class": "nhsuk-input--width-10"})}
        error_messages = {
            "kind": {"required": "Choose the kind of measure"},
            "name": {"required": "Enter the measure's name"},
            "definition": {"required": "Enter the measure's definition"},
            "improvement": {"required": "Choose which way is better"},
        }

    def __init__(self, *args: Any, innovation: Innovation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.innovation = innovation

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        taken = self.innovation.measures.filter(name__iexact=name)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("This innovation already has a measure "
                                        "with this name")
        return name


class CatalogueFilterForm(NHSForm):
    q = forms.CharField(label="Search", required=False, max_length=200)
    kind = forms.ChoiceField(label="Kind", required=False)
    priority = forms.TypedChoiceField(label="Strategic priority it serves",
                                      required=False, coerce=int, empty_value=None)
    icb = forms.ChoiceField(label="In use in", required=False)
    stage = forms.ChoiceField(label="Stage", required=False)

    def __init__(self, *args: Any, network: Network,
                 stages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "All kinds"), *Kind.choices]
        priorities = StrategicPriority.objects.for_network(network).filter(
            retired_at__isnull=True).order_by("source", "position", "pk")
        self.fields["priority"].choices = [
            ("", "Any priority"), *((p.pk, p.title) for p in priorities)]
        self.fields["icb"].choices = [
            ("", "Anywhere"),
            *((icb.ods_code, icb.short_name) for icb in network.icbs.order_by("name"))]
        self.fields["stage"].choices = [("", "Any stage"), *stages]
