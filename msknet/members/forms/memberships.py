"""Fields a membership shares with the join form and the invitation form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from ..models import ICB, Network, Organisation


def network_choices(form: forms.BaseForm, network: Network) -> None:
    """Offer the network's ICBs first and its topics as interests."""
    fields: dict[str, Any] = form.fields
    if "icb" in fields:
        network_icbs = list(network.icbs.values_list("pk", flat=True))
        fields["icb"].queryset = ICB.objects.order_by("name")
        if network_icbs:
            fields["icb"].help_text = (
                "Most members work in "
                + ", ".join(i.short_name for i in network.icbs.all())
            )
    if "organisation" in fields:
        fields["organisation"].queryset = Organisation.objects.filter(
            Q(icb__in=network.icbs.all()) | Q(icb__isnull=True)
        ).order_by("name")
        fields["organisation"].required = False
        fields["organisation"].empty_label = "Choose your organisation"
    if "interests" in fields:
        fields["interests"].widget = forms.CheckboxSelectMultiple()
        fields["interests"].queryset = network.topics.all()  # sets widget choices
        fields["interests"].required = False
    for name in ("sector", "leadership"):
        if name in fields:
            field = fields[name]
            field.widget = forms.RadioSelect(choices=field.choices)
            field.choices = [c for c in field.choices if c[0] != ""]


def clean_organisation(cleaned: dict[str, Any], form: forms.BaseForm) -> None:
    if cleaned.get("organisation") and cleaned.get("organisation_other"):
        form.add_error(
            "organisation_other",
            "Either choose your organisation from the list or type its name, not both",
        )
