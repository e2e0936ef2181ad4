"""Forms for improvement projects: parsing and checking input, no side effects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from msknet.core.forms import NHSForm, NHSModelForm, SearchableSelect
from msknet.members.models import Network, User
from msknet.priorities.models import Term
from msknet.priorities.strategic_forms import serves_field

from .csvdata import FIRST_YEAR, LAST_YEAR, parse_number, parse_period
from .models import (
    IHI_SCALE,
    SMART_HINT,
    Act,
    Cycle,
    DriverNode,
    Measure,
    NodeKind,
    QIProject,
    Stage,
)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class MemberChoiceField(forms.ModelChoiceField):
    widget = SearchableSelect  # a network has hundreds of members

    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


def network_people(network: Network):
    return User.objects.filter(
        memberships__network=network, is_active=True, erased_at__isnull=True
    ).order_by("full_name")


class ProjectForm(NHSModelForm):
    sponsor = MemberChoiceField(
        queryset=User.objects.none(), required=False, label="Sponsor",
        help_text="A network member who champions the project and removes obstacles")

    class Meta:
        model = QIProject
        fields = ["title", "aim", "problem", "sponsor", "icbs", "topic", "term"]
        labels = {
            "title": "Project title",
            "aim": "SMART aim",
            "problem": "The problem",
            "icbs": "Integrated care boards",
            "topic": "Topic",
            "term": "Term",
        }
        help_texts = {
            "aim": SMART_HINT,
            "problem": "What the problem is and who it affects.",
            "icbs": "Where the project works.",
            "term": "How long the project expects to take to deliver.",
        }
        widgets = {
            "aim": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 4}),
            "icbs": forms.CheckboxSelectMultiple,
            "term": forms.RadioSelect,
        }
        error_messages = {
            "title": {"required": "Enter the project's title"},
            "aim": {"required": "Enter the project's SMART aim"},
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].queryset = network_people(network)
        self.fields["icbs"].queryset = network.icbs.all()
        self.fields["topic"].queryset = network.topics.all()
        self.fields["term"].choices = list(Term.choices)
        self.fields["term"].required = False
        self.fields["serves"] = serves_field(network, self.instance)
        if self.instance.pk is not None:
            self.initial["serves"] = list(
                self.instance.serves.values_list("pk", flat=True))


class TeamMemberForm(NHSForm):
    user = MemberChoiceField(queryset=User.objects.none(), label="Network member",
                             error_messages={"required": "Choose a network member"})
    role = forms.CharField(label="Role on the team", required=False, max_length=100,
                           help_text="Such as clinical lead, data lead or "
                           "administrator")
    lived_experience = forms.BooleanField(
        label="Lived-experience partner", required=False,
        help_text="Takes part as someone with lived experience of MSK conditions")

    def __init__(self, *args: Any, project: QIProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = network_people(project.network).exclude(
            qi_teams__project=project)


SCORE_CHOICES = [(str(score), f"{score} {label}") for score, label, _ in IHI_SCALE]


class ProgressForm(NHSForm):
    stage = forms.ChoiceField(
        label="Stage", widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in Stage if s != Stage.CLOSED],
        error_messages={"required": "Select the project's stage"})
    score = forms.TypedChoiceField(
        label="IHI progress score", required=False, coerce=Decimal, empty_value=None,
        widget=forms.RadioSelect, choices=SCORE_CHOICES,
        help_text="The team's judgement on the IHI assessment scale, from 0.5 "
        "(intent to take part) to 5.0 (outstanding, sustained results).")
    note = forms.CharField(label="Note", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Why the stage or score changed.")


class CloseForm(NHSForm):
    learning = forms.CharField(
        label="What did the project learn?", widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What worked, what did not, and what others should know before "
        "trying something similar. Closed projects stay listed and searchable.",
        error_messages={"required": "Record what the project learned"})


class NodeForm(NHSForm):
    parent = forms.ChoiceField(label="Add it under",
                               error_messages={"required": "Choose where it goes"})
    text = forms.CharField(label="Wording", max_length=300,
                           error_messages={"required": "Enter the wording",
                                           "max_length": "Use 300 characters or fewer"})

    def __init__(self, *args: Any, project: QIProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        choices = [("aim", "The aim (as a primary driver)")]
        for node in project.driver_nodes.exclude(kind=NodeKind.CHANGE_IDEA):
            child = "a secondary driver" if node.kind == NodeKind.PRIMARY \
                else "a change idea"
            choices.append((str(node.pk), f"{node.text} (as {child})"))
        self.fields["parent"].choices = choices

    def clean_parent(self) -> DriverNode | None:
        value = self.cleaned_data["parent"]
        if value == "aim":
            return None
        return self.project.driver_nodes.get(pk=int(value))


class RenameNodeForm(NHSForm):
    text = forms.CharField(label="Wording", max_length=300,
                           error_messages={"required": "Enter the wording",
                                           "max_length": "Use 300 characters or fewer"})


class MeasureForm(NHSModelForm):
    owner = MemberChoiceField(
        queryset=User.objects.none(), required=False, label="Data owner",
        help_text="The member who keeps this measure's data up to date: they are "
        "told when a new value is overdue. With no one named, the project's "
        "sponsor is told.")

    class Meta:
        model = Measure
        fields = ["kind", "name", "definition", "unit", "improvement", "target",
                  "frequency", "owner"]
        labels = {"kind": "Kind of measure", "name": "Name", "definition": "Definition",
                  "unit": "Unit", "improvement": "Improvement direction",
                  "target": "Target", "frequency": "How often is a new value due?"}
        help_texts = {
            "unit": 'Such as "%", "days" or "people"',
            "target": "The value the aim is to reach; the chart's assurance icon "
            "says whether the process can meet it.",
            "frequency": "A value is overdue once its period has ended and a few "
            "days' grace have passed (15 days for a month).",
        }
        widgets = {"kind": forms.RadioSelect, "improvement": forms.RadioSelect,
                   "frequency": forms.RadioSelect,
                   "definition": forms.Textarea(attrs={"rows": 4}),
                   "unit": forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
                   "target": forms.NumberInput(attrs={"class": "nhsuk-input--width-10",
                                                      "step": "any"})}
        error_messages = {
            "kind": {"required": "Select the kind of measure"},
            "name": {"required": "Enter the measure's name"},
            "definition": {"required": "Enter the measure's definition"},
            "improvement": {"required": "Select which direction is improvement"},
            "frequency": {"required": "Select how often a new value is due"},
            "target": {"invalid": "Enter the target as a number"},
        }

    def __init__(self, *args: Any, project: QIProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["owner"].queryset = network_people(project.network)
        for name in ("kind", "improvement", "frequency"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        others = self.project.measures.filter(name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError("The project already has a measure with that "
                                        "name")
        return name


class PeriodField(forms.CharField):
    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError:
            raise forms.ValidationError(
                "Enter the period as a month (2025-04) or a date (2025-04-01) "
                f"between {FIRST_YEAR} and {LAST_YEAR}, in the digits 0 to 9") from None


class NumberField(forms.CharField):
    """A finite number in ASCII digits: FloatField would take '1_000' and '١٢'."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_number(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"],
                                        code="invalid") from None


QUINTILE_CHOICES = [("", "All (not split by deprivation)"),
                    ("1", "1 (most deprived)"), ("2", "2"), ("3", "3"), ("4", "4"),
                    ("5", "5 (least deprived)")]


class DataPointForm(NHSForm):
    period = PeriodField(label="Period", help_text="A month, such as 2025-04, or the "
                         "date the period starts, such as 2025-04-07",
                         error_messages={"required": "Enter the period"},
                         widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}))
    value = NumberField(label="Value", error_messages={
        "required": "Enter the value",
        "invalid": "Enter the value as a number in the digits 0 to 9, such as 42.5"},
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-10",
                                        "step": "any"}))
    quintile = forms.TypedChoiceField(
        label="Deprivation quintile", required=False, choices=QUINTILE_CHOICES,
        coerce=int, empty_value=None,
        help_text="Index of Multiple Deprivation quintile, if the value is for one")
    annotation = forms.CharField(label="Annotation", required=False, max_length=200,
                                 help_text="Shown on the chart at this point, such as "
                                 "\"New triage form started\"")


class UploadForm(NHSForm):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Columns period,value and optionally quintile and annotation, with "
        "the headings in the first row. Up to 2 MB.",
        error_messages={"required": "Select a CSV file",
                        "empty": "The selected file is empty"},
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}))

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV (.csv)")
        if upload.size and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 2 MB")
        return upload


class RebaseForm(NHSForm):
    period = forms.ChoiceField(
        label="Recalculate the limits from", error_messages={
            "required": "Choose the period the new limits start from"},
        help_text="Usually the first period after a change that the team expects to "
        "have shifted the process for good.")
    reason = forms.CharField(
        label="Why recalculate the limits?", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Such as the change that moved the process. This is recorded and "
        "shown on the chart.",
        error_messages={"required": "Give the reason for recalculating the limits"})

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = set(measure.rebases.values_list("period", flat=True))
        periods = measure.points.filter(quintile__isnull=True).values_list(
            "period", flat=True)
        self.fields["period"].choices = [("", "Choose a period")] + [
            (p.isoformat(), f"{p:%B %Y}" if p.day == 1 else f"{p:%-d %B %Y}")
            for p in periods if p not in taken]

    def clean_period(self) -> Any:
        return parse_period(self.cleaned_data["period"])

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason for recalculating the limits")
        return reason


class CycleForm(NHSModelForm):
    class Meta:
        model = Cycle
        fields = ["change_idea", "title", "plan_what", "plan_who", "plan_when",
                  "prediction", "measure"]
        labels = {
            "change_idea": "Change idea to test",
            "title": "Cycle title",
            "plan_what": "Plan: what will you test?",
            "plan_who": "Plan: who will do it?",
            "plan_when": "Plan: when?",
            "prediction": "What do you predict will happen?",
            "measure": "Measure to watch",
        }
        help_texts = {
            "prediction": "Write it before the test; the study compares the results "
            "with it.",
            "measure": "The study shows this measure's data beside the prediction.",
        }
        widgets = {
            "plan_what": forms.Textarea(attrs={"rows": 3}),
            "prediction": forms.Textarea(attrs={"rows": 3}),
            "plan_when": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {
            "change_idea": {"required": "Choose the change idea the cycle tests"},
            "title": {"required": "Enter the cycle's title"},
            "plan_what": {"required": "Enter what you will test"},
            "plan_who": {"required": "Enter who will do it"},
            "plan_when": {"required": "Enter when", "invalid": "Enter a real date"},
            "prediction": {"required": "Enter your prediction"},
        }

    def __init__(self, *args: Any, project: QIProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "change_idea" in self.fields:
            self.fields["change_idea"].queryset = project.driver_nodes.filter(
                kind=NodeKind.CHANGE_IDEA)
        self.fields["measure"].queryset = project.measures.all()


class CycleUpdateForm(CycleForm):
    class Meta(CycleForm.Meta):
        fields = ["title", "plan_what", "plan_who", "plan_when", "prediction",
                  "measure", "do_notes", "study_notes", "act", "act_notes"]
        labels = {**CycleForm.Meta.labels,
                  "do_notes": "Do: what happened?",
                  "study_notes": "Study: how do the results compare with the "
                  "prediction?",
                  "act": "Act: what next?",
                  "act_notes": "Act: notes"}
        help_texts = {**CycleForm.Meta.help_texts,
                      "act": "Adopt the change, adapt it and test again, or abandon "
                      "it."}
        widgets = {**CycleForm.Meta.widgets,
                   "do_notes": forms.Textarea(attrs={"rows": 4}),
                   "study_notes": forms.Textarea(attrs={"rows": 4}),
                   "act_notes": forms.Textarea(attrs={"rows": 3}),
                   "act": forms.RadioSelect}

    def __init__(self, *args: Any, project: QIProject, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        self.fields["act"].choices = [("", "Not decided yet"), *Act.choices]
        self.fields["act"].required = False
