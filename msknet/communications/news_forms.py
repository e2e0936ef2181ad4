"""Forms for writing news, scheduling it and allowing writers."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from msknet.core.forms import NHSForm
from msknet.members.models import ICB, Network, Role, Sector, Topic, User

from .models import AudienceKind, NewsItem, NewsKind, NewsVisibility
from .models.news import BODY_MAX_LENGTH, SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH

LONDON = ZoneInfo("Europe/London")

#: The audience's chosen value: which field each kind needs, and what to say
#: when it is missing.
AUDIENCE_FIELDS = {
    AudienceKind.GROUP: ("audience_group", "Choose the group"),
    AudienceKind.SECTOR: ("audience_sector", "Choose the sector"),
    AudienceKind.ICB: ("audience_icb", "Choose the ICB"),
    AudienceKind.TOPIC: ("audience_topic", "Choose the topic"),
    AudienceKind.ROLE: ("audience_role", "Choose the role"),
    AudienceKind.EVENT: ("audience_event", "Choose the event"),
    AudienceKind.PROJECT: ("audience_project", "Choose the project"),
    AudienceKind.INNOVATION: ("audience_innovation", "Choose the innovation"),
}
EMPTY = {
    "audience_group": None,
    "audience_sector": "",
    "audience_icb": None,
    "audience_topic": None,
    "audience_role": "",
    "audience_event": None,
    "audience_project": None,
    "audience_innovation": None,
}
MARKDOWN_HELP = (
    "You can use ## for a heading, ### for a smaller one, **bold**, *italic*, "
    "[link text](https://www.example.nhs.uk), and lines starting - or 1. for "
    "lists. Leave a blank line between paragraphs. Pictures and HTML are not "
    "allowed."
)


def block_choices() -> list[tuple[str, str]]:
    from .blocks import BLOCK_CHOICES

    return list(BLOCK_CHOICES)


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "short_name", None) or obj)


class NewsForm(NHSForm):
    kind = forms.ChoiceField(
        label="What are you writing?",
        choices=NewsKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an announcement or a newsletter"},
    )
    title = forms.CharField(
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": "Enter a title"},
    )
    summary = forms.CharField(
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        help_text="One or two sentences, shown on the news page and in feeds",
    )
    body_markdown = forms.CharField(
        label="Body",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=MARKDOWN_HELP,
        error_messages={"required": "Write the body of your news"},
    )
    blocks = forms.MultipleChoiceField(
        label="Blocks from the platform (newsletters only)",
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Added after the body, with what is new since the last newsletter. "
        "A block with nothing new is left out.",
    )
    audience_kind = forms.ChoiceField(
        label="Who gets it by email?",
        choices=AudienceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who gets it by email"},
    )
    audience_group = NamedChoiceField(
        label="Group", queryset=None, required=False,
        help_text="If you chose members of a group",
    )
    audience_sector = forms.ChoiceField(
        label="Sector", choices=[("", "Choose a sector"), *Sector.choices],
        required=False, help_text="If you chose members in a sector",
    )
    audience_icb = NamedChoiceField(
        label="ICB", queryset=None, required=False,
        help_text="If you chose members in an ICB",
    )
    audience_topic = NamedChoiceField(
        label="Topic", queryset=None, required=False,
        help_text="If you chose members interested in a topic",
    )
    audience_role = forms.ChoiceField(
        label="Role", choices=[("", "Choose a role"), *Role.choices],
        required=False, help_text="If you chose members with a role",
    )
    audience_event = NamedChoiceField(
        label="Event", queryset=None, required=False,
        help_text="If you chose people registered for an event",
    )
    audience_project = NamedChoiceField(
        label="Improvement project", queryset=None, required=False,
        help_text="If you chose people following a project",
    )
    audience_innovation = NamedChoiceField(
        label="Innovation", queryset=None, required=False,
        help_text="If you chose people following an innovation",
    )
    visibility = forms.ChoiceField(
        label="Who can read it on the news page?",
        choices=NewsVisibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who can read it on the news page"},
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from msknet.community.models import Event
        from msknet.governance.models import Group
        from msknet.improvement.models import QIProject
        from msknet.innovations.models import Innovation

        fields = self.fields
        fields["blocks"].choices = block_choices()  # type: ignore[attr-defined]
        fields["audience_group"].queryset = Group.objects.for_network(network)  # type: ignore[attr-defined]
        icbs = network.icbs.all()  # type: ignore[attr-defined]
        fields["audience_icb"].queryset = icbs if icbs.exists() else ICB.objects.all()  # type: ignore[attr-defined]
        fields["audience_topic"].queryset = Topic.objects.filter(network=network)  # type: ignore[attr-defined]
        fields["audience_event"].queryset = Event.objects.for_network(network).filter(  # type: ignore[attr-defined]
            ends_at__gt=timezone.now() - timedelta(days=90)
        ).order_by("-starts_at")
        fields["audience_project"].queryset = QIProject.objects.filter(network=network)  # type: ignore[attr-defined]
        fields["audience_innovation"].queryset = (  # type: ignore[attr-defined]
            Innovation.objects.for_network(network).reviewed().order_by("name")
        )

    @classmethod
    def initial_for(cls, item: NewsItem) -> dict[str, Any]:
        return {
            "kind": item.kind,
            "title": item.title,
            "summary": item.summary,
            "body_markdown": item.body_markdown,
            "blocks": item.blocks,
            "audience_kind": item.audience_kind,
            "audience_group": item.audience_group_id,
            "audience_sector": item.audience_sector,
            "audience_icb": item.audience_icb_id,
            "audience_topic": item.audience_topic_id,
            "audience_role": item.audience_role,
            "audience_event": item.audience_event_id,
            "audience_project": item.audience_project_id,
            "audience_innovation": item.audience_innovation_id,
            "visibility": item.visibility,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("audience_kind")
        needed = AUDIENCE_FIELDS.get(kind)  # type: ignore[call-overload]
        if needed:
            name, message = needed
            if not data.get(name) and not self.has_error(name):
                self.add_error(name, message)
        # Only the chosen kind's value is kept.
        for name, empty in EMPTY.items():
            if not needed or name != needed[0]:
                data[name] = empty
        if data.get("kind") != NewsKind.NEWSLETTER:
            data["blocks"] = []
        return data


class ScheduleForm(NHSForm):
    send_on = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="For example, 14 March 2027",
        error_messages={"required": "Enter the date to send it",
                        "invalid": "Enter the date as a real date"},
    )
    send_time = forms.TimeField(
        label="Time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="UK time, for example 09:00",
        error_messages={"required": "Enter the time to send it",
                        "invalid": "Enter the time as hours and minutes, like 09:00"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, at = data.get("send_on"), data.get("send_time")
        if day and at:
            when = datetime.combine(day, time(at.hour, at.minute), tzinfo=LONDON)
            if when <= timezone.now():
                self.add_error("send_time", "Choose a time in the future")
            data["send_at"] = when
        return data


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.email})"


class WriterForm(NHSForm):
    user = MemberChoiceField(
        label="Member",
        queryset=User.objects.none(),
        help_text="They can write, preview, schedule and send the network's news",
        error_messages={"required": "Choose the member"},
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                memberships__network=network,
                memberships__role__in=[Role.MEMBER, Role.STEERING],
                is_active=True,
                erased_at__isnull=True,
            )
            .exclude(news_writing__network=network)
            .order_by("full_name")
        )
