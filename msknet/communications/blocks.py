"""Newsletter blocks: sections a newsletter pulls in from the rest of the platform.

Each block reads one part of a network (its upcoming events, what was added
to the library, decisions, improvement projects, headline indicators) as a
list of `BlockItem`s, and renders them as a section of an email, in plain
text or HTML. A block with nothing to say renders as "", so a newsletter
never shows an empty heading.

Writers tick blocks by `BLOCK_CHOICES`; sending calls `render_blocks` (or
`render_block`) with the moment the previous issue went out as `since`, and
`public_only=True` for anything a visitor may read (the news page, feeds).
Links are absolute, from `settings.SITE_URL`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat

from msknet.members.models import Network

LONDON = ZoneInfo("Europe/London")

#: How far ahead the events block looks, and how many items a block shows.
EVENTS_AHEAD = timedelta(weeks=8)
MOST_ITEMS = 10
#: Longest one-line summary, in characters.
SUMMARY_LENGTH = 160


@dataclass(frozen=True)
class BlockItem:
    """One line of a block: all plain text; `url` is a path on this site."""

    title: str
    url: str
    when: date | datetime | None
    summary: str
    detail: str = ""


ItemsFunction = Callable[..., list[BlockItem]]


@dataclass(frozen=True)
class Block:
    """A section a newsletter can pull in."""

    key: str
    label: str  # for the writer's checkbox
    heading: str  # in the email
    read: ItemsFunction = field(repr=False, compare=False)

    def items(
        self, network: Network, *, since: datetime, now: datetime, public_only: bool
    ) -> list[BlockItem]:
        return self.read(network, since=since, now=now, public_only=public_only)


def one_line(text: str, width: int = SUMMARY_LENGTH) -> str:
    """The text's first non-blank line, shortened at a word to `width`."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return textwrap.shorten(first, width=width, placeholder="…")


def when_text(when: date | datetime | None) -> str:
    """'Wednesday 7 January 2026, 13:30' (London time) or '7 January 2026'."""
    if when is None:
        return ""
    if isinstance(when, datetime):
        return dateformat.format(when.astimezone(LONDON), "l j F Y, H:i")
    return dateformat.format(when, "j F Y")


# Events ------------------------------------------------------------------------


def event_items(
    network: Network, *, since: datetime, now: datetime, public_only: bool
) -> list[BlockItem]:
    """Events starting in the next eight weeks, soonest first.

    Every event of a network is published once arranged (there is no draft
    or cancelled state to leave out); members-only ones are left out when
    `public_only`.
    """
    from msknet.community.models import Event

    events = Event.objects.for_network(network).filter(
        starts_at__gte=now, starts_at__lt=now + EVENTS_AHEAD
    )
    if public_only:
        events = events.public()
    return [
        BlockItem(
            title=event.title,
            url=reverse("event-detail", args=[network.slug, event.pk]),
            when=event.starts_at,
            summary=_event_summary(event),
            detail=one_line(event.description),
        )
        for event in events.order_by("starts_at", "pk")[:MOST_ITEMS]
    ]


def _event_summary(event: Any) -> str:
    """'Webinar, online' or 'Regional event at Civic Centre, Newcastle'."""
    kind = event.get_kind_display()
    if not event.place:
        return f"{kind}, online"
    return f"{kind} at {event.where}"


# Resources ---------------------------------------------------------------------


def resource_items(
    network: Network, *, since: datetime, now: datetime, public_only: bool
) -> list[BlockItem]:
    """Resources added to the library since `since`, newest first."""
    from msknet.community.models import Resource

    resources = Resource.objects.for_network(network).filter(
        created_at__gt=since, created_at__lte=now
    )
    if public_only:
        resources = resources.public()
    return [
        BlockItem(
            title=resource.title,
            url=reverse("resource-detail", args=[network.slug, resource.pk]),
            when=resource.created_at.astimezone(LONDON).date(),
            summary=one_line(resource.summary),
            detail=", ".join(
                part for part in (resource.get_kind_display(), resource.publisher)
                if part
            ),
        )
        for resource in resources.order_by("-created_at", "-pk")[:MOST_ITEMS]
    ]


BLOCKS: dict[str, Block] = {
    "events": Block("events", "Upcoming events", "Coming up", event_items),
    "resources": Block("resources", "New resources", "New in the library",
                       resource_items),
}

BLOCK_CHOICES: list[tuple[str, str]] = [(b.key, b.label) for b in BLOCKS.values()]


# Rendering ---------------------------------------------------------------------


def render_block(
    key: str,
    network: Network,
    *,
    since: datetime,
    now: datetime,
    public_only: bool,
    format: Literal["text", "html"],
) -> str:
    """One block as a section of an email, or "" when it has nothing to show."""
    block = BLOCKS[key]
    items = block.items(network, since=since, now=now, public_only=public_only)
    if not items:
        return ""
    extension = {"text": "txt", "html": "html"}[format]
    context = {
        "section": block,
        "rule": "-" * len(block.heading),
        "network": network,
        "entries": [{"item": item, "when": when_text(item.when)} for item in items],
        "site_url": settings.SITE_URL,
    }
    return render_to_string(
        f"communications/blocks/email/{key}.{extension}", context
    ).strip()


def render_blocks(
    keys: Iterable[str],
    network: Network,
    *,
    since: datetime,
    now: datetime,
    public_only: bool,
    format: Literal["text", "html"],
) -> str:
    """The chosen blocks in `BLOCKS` order, skipping empty ones; "" if all are."""
    chosen = set(keys)
    parts = [
        render_block(key, network, since=since, now=now, public_only=public_only,
                     format=format)
        for key in BLOCKS
        if key in chosen
    ]
    return "\n\n".join(part for part in parts if part)
