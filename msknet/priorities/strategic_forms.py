"""Forms for strategic priorities: parsing and checking input, no side effects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from msknet.community.forms import HttpsURLField
from msknet.core.forms import NHSModelForm
from msknet.members.models import Network

from .models import Source, StrategicPriority
from .models.strategic import SOURCE_ORDER


class StrategicPriorityForm(NHSModelForm):
    class Meta:
        model = StrategicPriority
        fields = ["source", "icb", "title", "description", "reference_url", "horizon"]
        labels = {
            "source": "Where the priority comes from",
            "icb": "Which ICB",
            "title": "Priority",
            "description": "What it means for the network",
            "reference_url": "Link to where it is published",
            "horizon": "Horizon",
        }
        help_texts = {
            "title": "A short phrase in your own words, for example 'Support people "
            "with MSK conditions to manage their own health'.",
            "description": "Optional.",
            "reference_url": "Optional. An address starting https://",
            "horizon": "Optional, and only for the network's own objectives.",
        }
        widgets = {
            "source": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"reference_url": HttpsURLField}
        error_messages = {
            "source": {"required": "Choose where the priority comes from"},
            "title": {"required": "Enter the priority"},
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["icb"].queryset = network.icbs.order_by("name")
        self.fields["icb"].label_from_instance = lambda icb: icb.short_name
        self.fields["source"].choices = Source.choices
        self.fields["horizon"].choices = [("", "None"), *self.fields["horizon"].choices[1:]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        source = data.get("source")
        if source == Source.ICB and not data.get("icb"):
            self.add_error("icb", "Choose which ICB the priority belongs to")
        if source != Source.ICB:
            data["icb"] = None
        if source != Source.NETWORK:
            data["horizon"] = ""
        return data


def serves_field(network: Network, tagged: Any = None) -> forms.ModelMultipleChoiceField:
    """Checkboxes for the strategic priorities something serves: the network's
    active ones, plus any retired one it is already tagged with."""
    kept = Q(retired_at__isnull=True)
    if tagged is not None and tagged.pk is not None:
        kept |= Q(pk__in=tagged.serves.values("pk"))
    queryset = StrategicPriority.objects.for_network(network).filter(kept)
    ordered = sorted(queryset.select_related("icb"), key=lambda p: (
        SOURCE_ORDER.index(Source(p.source)), p.icb.name if p.icb else "", p.position,
        p.pk))
    field = forms.ModelMultipleChoiceField(
        queryset=queryset, required=False, widget=forms.CheckboxSelectMultiple,
        label="Which strategic priorities does it serve?",
        help_text="Choose any of the network's priorities it would help meet.",
        error_messages={"invalid_choice": "Choose only this network's strategic "
                        "priorities", "invalid_pk_value": "Choose only this "
                        "network's strategic priorities"},
    )
    field.choices = [(p.pk, f"{p.source_label}: {p.title}"
                      + (" (retired)" if p.is_retired else "")) for p in ordered]
    return field
