"""Fields a membership shares with the join form and the invitation form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from msknet.core.forms import NHSModelForm

from ..models import ICB, Membership, Network
from ..queries import organisations_for

DETAIL_FIELDS = [
    "sector",
    "profession",
    "organisation",
    "organisation_other",
    "icb",
    "interests",
    "leadership",
]
SHARING_FIELDS = [
    "share_email",
    "share_phone",
    "share_organisation",
    "share_profession",
    "share_sector",
    "share_icb",
    "share_interests",
]
LABELS = {
    "sector": "Which best describes you?",
    "profession": "Profession",
    "organisation": "Organisation",
    "organisation_other": "If your organisation is not listed, its name",
    "icb": "Integrated care board you mostly work or live in",
    "interests": "Topics you are interested in",
    "leadership": "Do you lead MSK work, or want to?",
    "directory_listed": "List me in the network's member directory",
    "share_email": "Show my email address to other members",
    "share_phone": "Show my phone number to other members",
    "share_organisation": "Show my organisation",
    "share_profession": "Show my profession",
    "share_sector": "Show which best describes me (my sector)",
    "share_icb": "Show my integrated care board",
    "share_interests": "Show the topics I am interested in",
}
HELP_TEXTS = {
    "organisation_other": "",  # the label says it all
    "profession": "Choose 'Not applicable' if you are joining as a person with "
    "lived experience.",
    "directory_listed": "Other members of the network can then find you by name "
    "and see the details you tick below. Nothing about you is shown unless you "
    "tick this. You can change it at any time from your account.",
    "share_email": "So that members can contact you. Only if you are listed.",
    "share_phone": "Add a phone number to your details first. Only if you are "
    "listed.",
    "share_sector": "For example, 'Person with lived experience' or 'Primary care'",
}
ERROR_MESSAGES = {
    "sector": {"required": "Select which best describes you"},
    "profession": {"required": "Select your profession"},
    "leadership": {"required": "Select whether you lead MSK work, or want to"},
}


def network_choices(form: forms.BaseForm, network: Network) -> None:
    """Offer the network's topics as interests, its organisations, all ICBs."""
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
        fields["organisation"].queryset = organisations_for(network)
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
    if "icb" in fields:
        fields["icb"].required = False
        fields["icb"].empty_label = "Choose an integrated care board"
    if "profession" in fields:
        fields["profession"].choices = [
            ("", "Choose your profession"),
            *[c for c in fields["profession"].choices if c[0]],
        ]


def clean_organisation(cleaned: dict[str, Any], form: forms.BaseForm) -> None:
    if cleaned.get("organisation") and cleaned.get("organisation_other"):
        form.add_error(
            "organisation_other",
            "Either choose your organisation from the list or type its name, not both",
        )


def clean_sharing(cleaned: dict[str, Any], form: forms.BaseForm) -> None:
    """Contact details show only for listed members (a database constraint)."""
    if cleaned.get("directory_listed"):
        return
    for name, what in (("share_email", "email address"), ("share_phone", "phone number")):
        if cleaned.get(name):
            form.add_error(
                name,
                f"You can only show your {what} if you are listed in the directory. "
                "Tick 'List me in the network's member directory', or untick "
                f"'Show my {what}'",
            )


class MembershipDetailsForm(NHSModelForm):
    """What a member tells a network about themselves, and what they share."""

    class Meta:
        model = Membership
        fields = [*DETAIL_FIELDS, "directory_listed", *SHARING_FIELDS]
        labels = LABELS
        help_texts = HELP_TEXTS
        error_messages = ERROR_MESSAGES

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        network_choices(self, network)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        clean_organisation(cleaned, self)
        clean_sharing(cleaned, self)
        return cleaned

    def membership_details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def nhs_password_error(error: ValidationError) -> str:
    """A password validator's message, written the NHS way."""
    params = error.params or {}
    messages = {
        "password_too_short": "Your password must be at least "
        f"{params.get('min_length')} characters",
        "password_too_common": "Your password is too easy to guess. Choose a "
        "less common password",
        "password_entirely_numeric": "Your password must include letters or "
        "symbols, not only numbers",
        "password_too_similar": "Your password is too like your "
        f"{params.get('verbose_name')}. Choose a different password",
    }
    return messages.get(error.code or "", " ".join(error.messages))
