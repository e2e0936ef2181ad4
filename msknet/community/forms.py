"""Forms for events, registrations' attendance, materials and resources."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from msknet.core.forms import NHSForm, NHSModelForm
from msknet.members.models import Network, User

from .models import (
    Attendance,
    Event,
    MaterialKind,
    Registration,
    Resource,
    ResourceAudience,
    ResourceKind,
)
from .uploads import ALLOWED_TYPES_TEXT, MAX_UPLOAD_BYTES, UploadRefused, file_type

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
FILE_HELP = (
    f"{ALLOWED_TYPES_TEXT}; up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
)


class HttpsURLField(forms.URLField):
    """A link; one typed without a scheme is taken to be https."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def checked_upload(upload: Any) -> Any:
    """The uploaded file if its type and size are allowed, else a form error."""
    if upload:
        try:
            file_type(upload.name, upload, upload.size)
        except UploadRefused as refused:
            raise ValidationError(str(refused)) from None
    return upload


class OrganiserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class EventForm(NHSModelForm):
    organiser = OrganiserChoiceField(
        queryset=User.objects.none(), required=False,
        help_text="They can change the event, see who registered and record attendance",
    )

    class Meta:
        model = Event
        fields = [
            "title", "kind", "description", "starts_at", "ends_at", "place",
            "online_url", "capacity", "visibility", "organiser",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "visibility": forms.RadioSelect,
        }
        field_classes = {"online_url": HttpsURLField}
        help_texts = {
            "starts_at": "UK time, for example 14 March 2027 at 13:30",
            "ends_at": "UK time",
        }
        error_messages = {
            "title": {"required": "Enter the event's title"},
            "kind": {"required": "Choose what kind of event it is"},
            "description": {"required": "Describe the event"},
            "starts_at": {"required": "Enter when the event starts",
                          "invalid": "Enter the start as a date and time"},
            "ends_at": {"required": "Enter when the event ends",
                        "invalid": "Enter the end as a date and time"},
            "visibility": {"required": "Choose who can see the event"},
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = User.objects.filter(
            memberships__network=network, is_active=True
        ).order_by("full_name")
        self.fields["kind"].choices = [("", "Choose a kind of event"),
                                       *self.fields["kind"].choices[1:]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The event must end after it starts")
        if not data.get("place") and not data.get("online_url") and not (
            self.has_error("place") or self.has_error("online_url")
        ):
            self.add_error("place", "Enter where the event is, an online joining "
                           "link, or both")
        return data


class AttendanceForm(NHSForm):
    """One choice per person who held a place, named by the registration id."""

    def __init__(self, *args: Any, registrations: list[Registration], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            self.fields[f"r{registration.pk}"] = forms.ChoiceField(
                label=registration.user.display_name,
                choices=Attendance.choices,
                initial=registration.attendance,
            )

    def attendance(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class MaterialForm(NHSForm):
    kind = forms.ChoiceField(
        label="What it is", choices=MaterialKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose what you are adding"},
    )
    title = forms.CharField(
        max_length=200, error_messages={"required": "Enter a title"},
        help_text="For example, Slides: persistent pain in primary care",
    )
    file = forms.FileField(required=False, help_text=FILE_HELP)
    url = HttpsURLField(
        label="Or a link", required=False, max_length=500,
        help_text="For recordings, a link to where the recording is kept",
        error_messages={"invalid": "Enter a link starting https://"},
    )

    def clean_file(self) -> Any:
        return checked_upload(self.cleaned_data.get("file"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.has_error("file") or self.has_error("url"):
            return data
        if bool(data.get("file")) == bool(data.get("url")):
            self.add_error("file", "Choose a file or enter a link, not both")
        return data


class ResourceForm(NHSModelForm):
    audiences = forms.MultipleChoiceField(
        label="Who it is for", choices=ResourceAudience.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    file = forms.FileField(label="Document", required=False, help_text=FILE_HELP)

    class Meta:
        model = Resource
        fields = [
            "title", "summary", "kind", "topics", "audiences", "visibility",
            "publisher", "published_on", "url", "file",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "topics": forms.CheckboxSelectMultiple,
            "visibility": forms.RadioSelect,
            "published_on": DateInput(),
        }
        field_classes = {"url": HttpsURLField}
        labels = {"kind": "Kind of resource", "url": "Link"}
        help_texts = {"url": "A web address; add a link, a document or both"}
        error_messages = {
            "title": {"required": "Enter the resource's title"},
            "summary": {"required": "Summarise the resource in a sentence or two"},
            "kind": {"required": "Choose what kind of resource it is"},
            "visibility": {"required": "Choose who can see the resource"},
            "url": {"invalid": "Enter a link starting https://"},
            "published_on": {"invalid": "Enter the date published as a real date"},
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = network.topics.all()
        self.fields["topics"].required = False
        self.fields["kind"].choices = [("", "Choose a kind of resource"),
                                       *ResourceKind.choices]
        if self.instance.pk:
            self.fields["audiences"].initial = self.instance.audiences
            if self.instance.file:
                self.fields["file"].help_text = (
                    f"Now: {self.instance.file_name}. A new file replaces it. {FILE_HELP}"
                )

    def clean_file(self) -> Any:
        return checked_upload(self.cleaned_data.get("file"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.has_error("file") or self.has_error("url"):
            return data
        has_file = bool(data.get("file")) or bool(self.instance.pk and self.instance.file)
        if not has_file and not data.get("url"):
            self.add_error("url", "Enter a link or choose a document to upload")
        return data

    def action_fields(self) -> dict[str, Any]:
        """cleaned_data as the actions take it."""
        data = dict(self.cleaned_data)
        data["upload"] = data.pop("file") or None
        return data


class ResourceFilterForm(NHSForm):
    q = forms.CharField(label="Search", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Kind", required=False,
        choices=[("", "All kinds"), *ResourceKind.choices],
    )
    topic = forms.ChoiceField(label="Topic", required=False)
    audience = forms.ChoiceField(
        label="For", required=False,
        choices=[("", "Everyone"), *ResourceAudience.choices],
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [
            ("", "All topics"), *network.topics.values_list("slug", "name")
        ]
