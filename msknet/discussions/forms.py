from __future__ import annotations

from typing import Any

from django import forms

from msknet.core.forms import NHSForm
from msknet.members.models import Network

from . import actions
from .models import (
    BODY_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)

BODY_HELP = (
    "Plain text. Leave a blank line between paragraphs; web addresses become "
    "links. To mention a member, type @ and their full name in square brackets, "
    "for example @[Aisha Rahman]: they get a notification."
)


def body_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=BODY_MAX_LENGTH,
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": f"Enter your {label.lower()}",
            "max_length": f"Your {label.lower()} must be {BODY_MAX_LENGTH:,} "
            "characters or fewer",
        },
    )


class MentionsMixin:
    """Refuses mentions of people who are not members of the network."""

    network: Network

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"].strip()  # type: ignore[attr-defined]
        try:
            actions.find_mentions(network=self.network, body=body)
        except actions.UnknownMention as unknown:
            raise forms.ValidationError(
                actions.unknown_mentions_message(self.network, unknown.names)
            ) from None
        return body


class ThreadForm(MentionsMixin, NHSForm):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX_LENGTH,
        help_text="What the discussion is about, in a few words.",
        error_messages={
            "required": "Enter a title",
            "max_length": f"The title must be {TITLE_MAX_LENGTH} characters or fewer",
        },
    )
    group = forms.ModelChoiceField(
        label="Group",
        queryset=None,
        required=False,
        empty_label="The whole network",
        help_text="Every member of the network can read group discussions.",
        error_messages={"invalid_choice": "Choose one of the network's groups"},
    )
    body = body_field("Message")

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        groups = network.groups.all()  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        if not groups.exists():
            del self.fields["group"]


class ReplyForm(MentionsMixin, NHSForm):
    body = body_field("Reply")

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network


class EditPostForm(MentionsMixin, NHSForm):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "Enter a title",
            "max_length": f"The title must be {TITLE_MAX_LENGTH} characters or fewer",
        },
    )
    body = body_field("Message")

    def __init__(
        self, *args: Any, network: Network, opening: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        if not opening:
            del self.fields["title"]


class ReasonForm(NHSForm):
    reason = forms.CharField(
        label="Reason",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter a reason: members see it",
            "max_length": f"The reason must be {REASON_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args: Any, help_text: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = help_text
