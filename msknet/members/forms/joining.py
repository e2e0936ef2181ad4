from __future__ import annotations

from typing import Any

from django import forms

from msknet.core.forms import NHSForm, NHSModelForm

from ..models import JoinRequest, Network
from .memberships import (
    DETAIL_FIELDS,
    ERROR_MESSAGES,
    HELP_TEXTS,
    LABELS,
    clean_organisation,
    network_choices,
)


class JoinRequestForm(NHSModelForm):
    class Meta:
        model = JoinRequest
        fields = [
            "full_name",
            "email",
            "sector",
            "profession",
            "organisation",
            "organisation_other",
            "icb",
            "interests",
            "leadership",
            "reason",
        ]
        labels = {
            "full_name": "Full name",
            "email": "Email address",
            **{name: LABELS[name] for name in DETAIL_FIELDS},
            "reason": "Why would you like to join?",
        }
        help_texts = {
            "email": "We will only use this to tell you the lead's decision and to "
            "sign you in.",
            "profession": HELP_TEXTS["profession"],
            "organisation_other": "",  # the label says it all
            "reason": "For example, the work you do and what you hope to share or "
            "learn. The network's leads read it.",
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "full_name": {"required": "Enter your full name"},
            "email": {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like "
                "name@example.com",
            },
            **ERROR_MESSAGES,
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        network_choices(self, network)

    def clean_email(self) -> str:
        # Whether the address is a member already is told only to the address.
        email: str = self.cleaned_data["email"].strip().lower()
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        clean_organisation(cleaned, self)
        return cleaned


class JoinDecisionForm(NHSForm):
    DECISIONS = [("approve", "Approve"), ("decline", "Decline")]
    decision = forms.ChoiceField(
        label="Your decision",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or decline"},
    )
    reason = forms.CharField(
        label="Reason for declining",
        help_text="Give a reason if you decline. We send it to the person by email.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason.required_when = "decline"  # so the label is not marked "(optional)"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "decline" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter a reason for declining")
        return cleaned
