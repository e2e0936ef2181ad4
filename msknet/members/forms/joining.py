from __future__ import annotations

from typing import Any

from django import forms

from msknet.core.forms import NHSForm, NHSModelForm

from ..actions.joining import refusal_reason
from ..models import JoinRequest, Network
from .memberships import clean_organisation, network_choices


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
            "sector": "Which best describes you?",
            "profession": "Profession",
            "organisation": "Organisation",
            "organisation_other": "If your organisation is not listed, its name",
            "icb": "Integrated care board you mostly work or live in",
            "interests": "Topics you are interested in",
            "leadership": "Do you lead MSK work, or want to?",
            "reason": "Why would you like to join?",
        }
        help_texts = {
            "email": "We will only use this to tell you the lead's decision and to "
            "sign you in.",
            "profession": "Choose 'Not applicable' if you are joining as a person "
            "with lived experience.",
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "full_name": {"required": "Enter your full name"},
            "email": {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like "
                "name@example.com",
            },
            "sector": {"required": "Select which best describes you"},
            "profession": {"required": "Select your profession"},
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        network_choices(self, network)
        self.fields["icb"].required = False
        self.fields["icb"].empty_label = "Choose an integrated care board"
        self.fields["profession"].choices = [
            ("", "Choose your profession"),
            *[c for c in self.fields["profession"].choices if c[0]],
        ]

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        reason = refusal_reason(network=self.network, email=email)
        if reason:
            raise forms.ValidationError(reason)
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
        help_text="Sent to the person by email. Required when you decline.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "decline" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter a reason for declining")
        return cleaned
