"""Forms for groups, terms of reference, meetings, decisions and actions."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from msknet.core.forms import NHSForm, SearchableSelect
from msknet.members.models import Network, User

from .models import (
    ActionStatus,
    AgendaItem,
    AttendanceStatus,
    Decision,
    Group,
    GroupKind,
    GroupRole,
    Meeting,
    PhaseStatus,
)

#: Papers members may attach to agenda items, by extension: what the file
#: must start with (None: plain text, checked separately).
PAPER_TYPES: dict[str, bytes | None] = {
    ".pdf": b"%PDF-",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".pptx": b"PK\x03\x04",
    ".odt": b"PK\x03\x04",
    ".csv": None,
    ".txt": None,
}
PAPER_MAX_BYTES = 20 * 1024 * 1024
PAPER_TYPE_NAMES = "PDF, DOCX, XLSX, PPTX, ODT, CSV or TXT"


def network_members(network: Network) -> Any:
    return User.objects.filter(
        memberships__network=network, is_active=True, erased_at__isnull=True
    ).order_by("full_name")


class MemberChoiceField(forms.ModelChoiceField):
    widget = SearchableSelect  # a network has hundreds of members

    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class GroupForm(NHSForm):
    name = forms.CharField(
        label="Name", max_length=200,
        error_messages={"required": "Enter the group's name"},
    )
    purpose = forms.CharField(
        label="Purpose",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the group is for, in a few sentences.",
        error_messages={"required": "Enter the group's purpose"},
    )

    def __init__(self, *args: Any, network: Network, group: Group | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.group = group

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        others = Group.objects.filter(network=self.network, name__iexact=name)
        if self.group is not None:
            others = others.exclude(pk=self.group.pk)
        if others.exists():
            raise forms.ValidationError("The network already has a group with that name")
        return name


class GroupCreateForm(GroupForm):
    kind = forms.ChoiceField(
        label="Kind of group", choices=GroupKind.choices, widget=forms.RadioSelect,
        initial=GroupKind.SUBGROUP,
        error_messages={"required": "Choose the kind of group"},
    )

    field_order = ["name", "kind", "purpose"]

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data["kind"]
        if kind == GroupKind.STEERING and self.network.groups.filter(
            kind=GroupKind.STEERING
        ).exists():
            raise forms.ValidationError(
                "The network already has a steering group: create a topic subgroup"
            )
        return kind


class GroupMemberForm(NHSForm):
    user = MemberChoiceField(
        label="Network member", queryset=User.objects.none(),
        error_messages={"required": "Choose a network member"},
    )
    role = forms.ChoiceField(
        label="Role in the group", choices=GroupRole.choices, widget=forms.RadioSelect,
        initial=GroupRole.MEMBER,
        help_text="A new chair takes over from the current chair, who stays as a "
        "member.",
        error_messages={"required": "Choose a role"},
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = network_members(network)


class TermsDraftForm(NHSForm):
    text = forms.CharField(
        label="Terms of reference",
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text="Purpose, membership, quorum, frequency of meetings and reporting. "
        "One point per line; headings on their own line.",
        error_messages={"required": "Enter the terms of reference"},
    )
    change_summary = forms.CharField(
        label="What changed", max_length=300, required=False,
        help_text="A line saying how this version differs from the last.",
    )


class TermsApproveForm(NHSForm):
    approved_on = forms.DateField(
        label="Date approved", widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The date of the meeting that approved this version.",
        error_messages={"required": "Enter the date it was approved",
                        "invalid": "Enter the date as a real date, like 2025-04-01"},
    )
    approved_by_group = forms.CharField(
        label="Approved by", max_length=200,
        help_text="The group that approved it, for example the steering group.",
        error_messages={"required": "Enter the name of the group that approved it"},
    )


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(NHSForm):
    title = forms.CharField(
        label="Title", max_length=200,
        error_messages={"required": "Enter the meeting's title"},
    )
    starts_at = forms.DateTimeField(
        label="Starts", widget=DateTimeLocalInput(),
        help_text="UK time.",
        error_messages={"required": "Enter when the meeting starts",
                        "invalid": "Enter the start as a date and time"},
    )
    ends_at = forms.DateTimeField(
        label="Ends", widget=DateTimeLocalInput(), required=False,
        help_text="UK time.",
        error_messages={"invalid": "Enter the end as a date and time"},
    )
    place = forms.CharField(label="Place", max_length=300, required=False)
    online_link = forms.URLField(
        label="Online meeting link", max_length=500, required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the link as a web address, like "
                        "https://teams.microsoft.com/..."},
    )

    notes = forms.CharField(
        label="General minutes", required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything not under an agenda item.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The meeting must end after it starts")
        if not data.get("place") and not data.get("online_link") and not self.errors:
            self.add_error("place", "Enter a place or an online meeting link")
        return data


class AgendaItemForm(NHSForm):
    title = forms.CharField(
        label="Item", max_length=200,
        error_messages={"required": "Enter the agenda item's title"},
    )
    position = forms.IntegerField(
        label="Order on the agenda", min_value=1, max_value=99, required=False,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-2"}),
        help_text="Leave blank to add it at the end.",
        error_messages={"invalid": "Enter a whole number",
                        "min_value": "Enter a number from 1 to 99",
                        "max_value": "Enter a number from 1 to 99"},
    )
    owner = MemberChoiceField(
        label="Owner", queryset=User.objects.none(), required=False,
        help_text="Who presents or leads the item.",
    )
    minutes = forms.CharField(
        label="Minutes", required=False, widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = network_members(network)


def check_paper(upload: UploadedFile) -> None:
    """Refuse files of the wrong type or size, saying which and why."""
    name = upload.name or ""
    extension = PurePath(name).suffix.lower()
    if extension not in PAPER_TYPES:
        raise forms.ValidationError(
            f"'{name}' is not a file type we accept: attach a {PAPER_TYPE_NAMES} file"
        )
    if (upload.size or 0) > PAPER_MAX_BYTES:
        raise forms.ValidationError(f"'{name}' is larger than 20 MB")
    if not upload.size:
        raise forms.ValidationError(f"'{name}' is empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    signature = PAPER_TYPES[extension]
    if signature is not None and not head.startswith(signature):
        raise forms.ValidationError(
            f"'{name}' is not a real {extension[1:].upper()} file"
        )
    if signature is None and b"\x00" in head:
        raise forms.ValidationError(f"'{name}' is not a plain text file")


class PaperForm(NHSForm):
    file = forms.FileField(
        label="Paper",
        help_text=f"A {PAPER_TYPE_NAMES} file up to 20 MB.",
        error_messages={"required": "Choose a file to attach"},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        check_paper(upload)
        return upload


NOT_RECORDED = ""


class AttendanceForm(NHSForm):
    """One question per group member: present, apologies or absent."""

    all_optional = True  # the page says once that any row may be left

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recorded = dict(meeting.attendance.values_list("user_id", "status"))
        self.members = [
            m.user for m in meeting.group.memberships.select_related("user")
        ]
        for user in self.members:
            self.fields[f"user_{user.pk}"] = forms.ChoiceField(
                label=user.display_name,
                choices=[*AttendanceStatus.choices, (NOT_RECORDED, "Not recorded")],
                widget=forms.RadioSelect,
                required=False,
                initial=recorded.get(user.pk, NOT_RECORDED),
            )

    def statuses(self) -> dict[int, str]:
        return {
            user.pk: self.cleaned_data[f"user_{user.pk}"]
            for user in self.members
            if self.cleaned_data.get(f"user_{user.pk}")
        }


class DecisionForm(NHSForm):
    text = forms.CharField(
        label="Decision", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the decision"},
    )
    item = forms.ModelChoiceField(
        label="Agenda item", queryset=AgendaItem.objects.none(), required=False,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.agenda_items.all()


class ActionForm(NHSForm):
    description = forms.CharField(
        label="Action", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter what is to be done"},
    )
    owner = MemberChoiceField(
        label="Owner", queryset=User.objects.none(),
        error_messages={"required": "Choose who owns the action"},
    )
    due_on = forms.DateField(
        label="Due date", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date the action is due",
                        "invalid": "Enter the due date as a real date"},
    )
    item = forms.ModelChoiceField(
        label="Agenda item", queryset=AgendaItem.objects.none(), required=False,
    )
    decision = forms.ModelChoiceField(
        label="From decision", queryset=Decision.objects.none(), required=False,
        empty_label="Not from a decision",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = network_members(meeting.network)
        self.fields["item"].queryset = meeting.agenda_items.all()
        self.fields["decision"].queryset = meeting.decisions.all()


class ActionStatusForm(NHSForm):
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose a status"},
    )


class PhaseForm(NHSForm):
    title = forms.CharField(label="Phase", max_length=120,
                            error_messages={"required": "Enter the phase's name"})
    starts_on = forms.DateField(
        label="Starts", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the start date",
                        "invalid": "Enter the start as a real date"},
    )
    ends_on = forms.DateField(
        label="Ends", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave blank for a phase with no end yet.",
        error_messages={"invalid": "Enter the end as a real date"},
    )
    status = forms.ChoiceField(
        label="Status", choices=PhaseStatus.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose a status"},
    )
    description = forms.CharField(label="Description", required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The phase must end on or after its start")
        return data


class MilestoneForm(NHSForm):
    title = forms.CharField(label="Milestone", max_length=200,
                            error_messages={"required": "Enter the milestone"})
    due_on = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the milestone's date",
                        "invalid": "Enter the date as a real date"},
    )
    done = forms.BooleanField(label="Done", required=False)
