"""Newsletter blocks: sections a newsletter pulls in from the rest of the platform.

Each block reads one part of a network (its upcoming events, what was added
to the library, decisions, improvement projects, innovations recommended for
spread, headline indicators) as a
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
from django.db.models import F, Max, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat

from msknet.analytics import spc
from msknet.community.models import Event, Resource
from msknet.governance.models import Decision
from msknet.improvement import figures
from msknet.improvement.models import (
    DataPoint,
    Measure,
    ProgressChange,
    QIProject,
    Stage,
)
from msknet.innovations.models import Innovation
from msknet.innovations.models import Stage as InnovationStage
from msknet.insights.queries import headline_indicators
from msknet.members.models import Network
from msknet.members.permissions import Permission, visitors_may_have

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
    #: The network's page listing everything of the kind (a URL name taking
    #: the network's slug), linked below the items, and the link's words.
    more_url_name: str = ""
    more_text: str = ""

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
        return str(dateformat.format(when.astimezone(LONDON), "l j F Y, H:i"))
    return str(dateformat.format(when, "j F Y"))


# Events ------------------------------------------------------------------------


def event_items(
    network: Network, *, since: datetime, now: datetime, public_only: bool
) -> list[BlockItem]:
    """Events starting in the next eight weeks, soonest first.

    Every event of a network is published once arranged (there is no draft
    or cancelled state to leave out); members-only ones are left out when
    `public_only`.
    """
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


# Decisions ---------------------------------------------------------------------


def decision_items(
    network: Network, *, since: datetime, now: datetime, public_only: bool
) -> list[BlockItem]:
    """Decisions recorded in the decision log since `since`, newest first.

    Decisions are governance papers: only members may read them, so a public
    newsletter shows none (the gate's rule for VIEW_GOVERNANCE decides).
    """
    if public_only and not visitors_may_have(Permission.VIEW_GOVERNANCE):
        return []
    decisions = (
        Decision.objects.for_network(network)
        .filter(created_at__gt=since, created_at__lte=now)
        .select_related("meeting__group")
        .order_by("-decided_on", "-year", "-number")
    )
    return [
        BlockItem(
            title=one_line(decision.text),
            url=reverse("decision-detail", kwargs={
                "network_slug": network.slug, "reference": decision.reference}),
            when=decision.decided_on,
            summary=f"{decision.meeting.group.name}, decision {decision.reference}",
        )
        for decision in decisions[:MOST_ITEMS]
    ]


# Improvement projects ----------------------------------------------------------

#: A signal's kind, as a newsletter says it: "... shows special cause improvement".
SIGNAL_WORDS = {
    spc.PointType.SPECIAL_CAUSE_IMPROVEMENT: "special cause improvement",
    spc.PointType.SPECIAL_CAUSE_CONCERN: "special cause concern",
    spc.PointType.SPECIAL_CAUSE_NEUTRAL_HIGH: "special cause variation, higher",
    spc.PointType.SPECIAL_CAUSE_NEUTRAL_LOW: "special cause variation, lower",
}


def project_items(
    network: Network, *, since: datetime, now: datetime, public_only: bool
) -> list[BlockItem]:
    """Projects whose stage changed since `since`, or with a measure whose SPC
    chart (the Making Data Count rules the project pages use) shows a signal
    taking in a data point added since `since`; most recent first.

    Projects are for members only, so a public newsletter shows none.
    """
    if public_only and not visitors_may_have(Permission.VIEW_QI_PROJECTS):
        return []
    moves: dict[int, list[Any]] = {}
    changes = (
        ProgressChange.objects.filter(project__network=network, at__gt=since,
                                      at__lte=now)
        .exclude(stage_from=F("stage_to"))
        .order_by("at", "pk")
    )
    for change in changes:
        moves.setdefault(change.project_id, []).append(change)
    signals, latest_point = _new_signals(network, since=since, now=now)
    found = []
    for project in QIProject.objects.filter(pk__in=set(moves) | set(signals)):
        project_moves = moves.get(project.pk, [])
        moments = [change.at for change in project_moves[-1:]]
        if project.pk in latest_point:
            moments.append(latest_point[project.pk])
        latest = max(moments)
        found.append((latest, BlockItem(
            title=project.title,
            url=reverse("project-detail", kwargs={"network_slug": network.slug,
                                                  "pk": project.pk}),
            when=latest.astimezone(LONDON).date(),
            summary=_stage_words(project, project_moves),
            detail="; ".join(signals.get(project.pk, [])),
        )))
    found.sort(key=lambda pair: (pair[0], pair[1].title), reverse=True)
    return [item for _, item in found[:MOST_ITEMS]]


def _stage_words(project: Any, moves: list[Any]) -> str:
    """'Moved from Scoping to Testing changes', 'Started: Scoping', 'Closed, ...'
    or, with no move, the stage it is at."""
    if not moves:
        return f"Stage: {project.get_stage_display()}"
    first, last = moves[0], moves[-1]
    if last.stage_to == Stage.CLOSED:
        return "Closed, with what was learned recorded"
    if not first.stage_from:
        return f"Started: {last.stage_to_label}"
    if first.stage_from == last.stage_to:
        return f"Stage: {last.stage_to_label}"
    return f"Moved from {first.stage_from_label} to {last.stage_to_label}"


def _new_signals(
    network: Network, *, since: datetime, now: datetime
) -> tuple[dict[int, list[str]], dict[int, datetime]]:
    """Per project: the words for each measure's latest signal that takes in a
    point added in the window, and when the newest such point was added."""
    new_points = DataPoint.objects.filter(
        measure__project__network=network, quintile__isnull=True,
        created_at__gt=since, created_at__lte=now,
    ).values_list("measure_id", "period", "created_at")
    periods: dict[int, set[date]] = {}
    added: dict[int, datetime] = {}
    for measure_id, period, created_at in new_points:
        periods.setdefault(measure_id, set()).add(period)
        added[measure_id] = max(added.get(measure_id, created_at), created_at)
    measures = (
        Measure.objects.filter(pk__in=periods)
        .prefetch_related(
            Prefetch("points", DataPoint.objects.filter(quintile__isnull=True)),
            "rebases")
        .order_by("project_id", "kind", "name")
    )
    words: dict[int, list[str]] = {}
    latest: dict[int, datetime] = {}
    for measure in measures:
        chart = figures.measure_spc(measure, list(measure.points.all()),
                                    list(measure.rebases.all()))
        new = [s for s in chart.overall.signals
               if any(s.start <= p <= s.end for p in periods[measure.pk])]
        if not new:
            continue
        signal = new[-1]
        words.setdefault(measure.project_id, []).append(
            f"{measure.name} shows {SIGNAL_WORDS[signal.point_type]} from "
            f"{dateformat.format(signal.start, 'F Y')}: {signal.rule}")
        latest[measure.project_id] = max(
            latest.get(measure.project_id, added[measure.pk]), added[measure.pk])
    return words, latest


# Innovations -------------------------------------------------------------------


def innovation_items(
    network: Network, *, since: datetime, now: datetime, public_only: bool
) -> list[BlockItem]:
    """Innovations the network recommended for spread since `since`, most
    recently recommended first. Only those still recommended are shown: they
    are in the public catalogue, so a public newsletter shows them too."""
    innovations = (
        Innovation.objects.for_network(network).public()
        .filter(stage_changes__stage_to=InnovationStage.RECOMMENDED,
                stage_changes__at__gt=since, stage_changes__at__lte=now)
        .annotate(recommended_at=Max("stage_changes__at"))
        .select_related("network")
        .order_by("-recommended_at", "name")
    )
    return [
        BlockItem(
            title=innovation.name,
            url=innovation.get_absolute_url(),
            when=innovation.recommended_at.astimezone(LONDON).date(),
            summary=one_line(innovation.summary),
            detail=innovation.get_kind_display(),
        )
        for innovation in innovations[:MOST_ITEMS]
    ]


# Headline indicators -----------------------------------------------------------

#: How a value compares with England's, in words.
COMPARED_WORDS = {
    "better": "Better than England",
    "worse": "Worse than England",
    "similar": "Similar to England",
    "higher": "Higher than England",
    "lower": "Lower than England",
}


def indicator_items(
    network: Network, *, since: datetime, now: datetime, public_only: bool
) -> list[BlockItem]:
    """The network's areas on the headline MSK indicators, as its home page
    shows them: the latest period's value against England's. Indicator pages
    are public, so a public newsletter shows them too; `since` does not apply."""
    found = []
    for headline in headline_indicators(network):
        indicator = headline.indicator
        england = headline.england.value if headline.england else None
        versus = (f" (England {_number(england, indicator.unit)})"
                  if england is not None else "")
        for area in headline.areas:
            value = _number(area.value.value, indicator.unit)
            found.append(BlockItem(
                title=f"{indicator.name}: {area.area.short_name}",
                url=reverse("insights-trend", args=[
                    network.slug, indicator.slug, area.area.code]),
                when=None,
                summary=COMPARED_WORDS.get(area.vs_england,
                                           "Not compared with England"),
                detail=f"{indicator.name}: {value}{versus}, {headline.period}",
            ))
    return found[:MOST_ITEMS]


def _number(value: float | None, unit: str) -> str:
    """'22.5%', '1,234.5' or 'no value'."""
    if value is None:
        return "no value"
    return f"{value:,.1f}{'%' if unit == '%' else ''}"


BLOCKS: dict[str, Block] = {
    block.key: block
    for block in (
        Block("events", "Upcoming events", "Coming up", event_items,
              "event-list", "All events"),
        Block("resources", "New resources", "New in the library", resource_items,
              "resource-list", "The resource library"),
        Block("decisions", "Decisions made", "Decisions made", decision_items,
              "decision-list", "The decision log"),
        Block("projects", "Improvement projects: new stages and signals",
              "Improvement projects", project_items, "projects",
              "All improvement projects"),
        Block("innovations", "Innovations recommended for spread",
              "Innovations recommended", innovation_items, "innovation-list",
              "All the network's innovations"),
        Block("indicators", "Headline indicators", "Population health",
              indicator_items, "insights", "All population health indicators"),
    )
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
        "more_url": (reverse(block.more_url_name, args=[network.slug])
                     if block.more_url_name else ""),
    }
    rendered = render_to_string(f"communications/blocks/email/{key}.{extension}",
                                context)
    return str(rendered).strip()


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
