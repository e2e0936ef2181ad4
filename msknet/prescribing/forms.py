"""The alert subscription form: an email address and an organisation that the
prescribing data holds."""

from __future__ import annotations

from typing import Any

from django import forms

from msknet.analytics import prescribing as rx
from msknet.core.forms import NHSForm

from . import queries
from .models import AlertSubscription


def organisations_in_data(level: str) -> set[str]:
    """The codes of the level's organisations in the store (any month)."""
    store = queries.store()
    if not queries.has_data(store):
        return set()
    result = queries.measure_levels(store, rx.load_measure(
        queries.OVERVIEW_MEASURE), (level,)).results[level]
    return set(result.table["org_code"].to_pylist())


class AlertSubscriptionForm(NHSForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send a link to confirm it. Nothing else is sent until "
                  "you follow it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    level = forms.ChoiceField(
        label="Kind of organisation",
        choices=AlertSubscription.Level.choices,
        widget=forms.RadioSelect,
    )
    org_code = forms.CharField(
        label="Organisation code",
        max_length=12,
        help_text="The ODS code, for example QMJ for an ICB or A81001 for a practice.",
        widget=forms.TextInput(attrs={"spellcheck": "false",
                                      "class": "nhsuk-input nhsuk-input--width-10"}),
    )

    def __init__(self, *args: Any, fixed: bool = False, **kwargs: Any) -> None:
        """`fixed`: the organisation is the page's, so only the address is asked."""
        super().__init__(*args, **kwargs)
        if fixed:
            self.fields["level"].widget = forms.HiddenInput()
            self.fields["org_code"].widget = forms.HiddenInput()

    def clean_org_code(self) -> str:
        code: str = self.cleaned_data["org_code"].strip().upper()
        return code

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        level, code = cleaned.get("level"), cleaned.get("org_code")
        if level and code and code not in organisations_in_data(level):
            name = queries.LEVELS[level]
            self.add_error("org_code", f"Enter the code of {'an' if level == 'icb' else 'a'} "
                           f"{name} in the prescribing data: there is no {name} {code}")
        return cleaned
