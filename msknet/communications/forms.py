from __future__ import annotations

from typing import Any

from django import forms

from msknet.core.forms import NHSForm

from .models import Delivery, Kind

CHOOSE = "Choose how you get email about this"


class NotificationPreferencesForm(NHSForm):
    """One choice of delivery per kind of notification (the preferences table)."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current[kind],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"{CHOOSE}: {kind.label.lower()}",
                    "invalid_choice": f"{CHOOSE}: {kind.label.lower()}",
                },
            )

    def chosen(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[kind.value] for kind in Kind}


class DeliveryForm(NHSForm):
    """The one choice made from a link in an email."""

    delivery = forms.ChoiceField(
        label="How do you want to get these emails?",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
