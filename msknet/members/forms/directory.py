"""The directory's search and filters (a GET form)."""

from __future__ import annotations

from typing import Any

from django import forms

from msknet.core.forms import NHSForm

from ..models import Network, Profession, Sector
from ..queries_directory import icb_choices, organisation_choices


class ICBChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.short_name)


class DirectoryFilterForm(NHSForm):
    q = forms.CharField(
        label="Name",
        required=False,
        max_length=150,
        help_text="Search by first name, last name or both",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=None,
        required=False,
        empty_label="Any organisation",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    sector = forms.ChoiceField(
        label="Sector",
        required=False,
        choices=[("", "Any sector"), *Sector.choices],
        error_messages={"invalid_choice": "Select a sector from the list"},
    )
    icb = ICBChoiceField(
        label="Integrated care board",
        queryset=None,
        required=False,
        empty_label="Any integrated care board",
        error_messages={
            "invalid_choice": "Select an integrated care board from the list"
        },
    )
    profession = forms.ChoiceField(
        label="Profession",
        required=False,
        choices=[
            ("", "Any profession"),
            *[c for c in Profession.choices if c[0] != Profession.NOT_APPLICABLE],
        ],
        error_messages={"invalid_choice": "Select a profession from the list"},
    )
    interest = forms.ModelChoiceField(
        label="Interested in",
        queryset=None,
        required=False,
        empty_label="Any topic",
        error_messages={"invalid_choice": "Select a topic from the list"},
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["organisation"].queryset = organisation_choices(network)
        fields["icb"].queryset = icb_choices(network)
        fields["interest"].queryset = network.topics.all()
        fields["q"].widget.attrs.update(autocomplete="off", spellcheck="false")

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def filters(self) -> dict[str, Any]:
        """The valid filters, empty ones left out; call after `is_valid()`."""
        cleaned = getattr(self, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if value}

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters())
