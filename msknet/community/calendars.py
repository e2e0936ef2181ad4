"""Events as iCalendar: one event's invite, and a network's feed."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from msknet.members.models import Network

from .ical import CalendarEvent, calendar
from .models import Event

PRODID = "-//msknet//Events//EN"


def calendar_event(event: Event, *, with_online_link: bool = False) -> CalendarEvent:
    """The event as a calendar entry; its joining link only for those registered."""
    page = f"{settings.SITE_URL}{event.get_absolute_url()}"
    description = [event.description.strip()]
    if with_online_link and event.online_url:
        description.append(f"Join online: {event.online_url}")
    description.append(f"Details and registration: {page}")
    location = event.place
    if with_online_link and event.online_url and not location:
        location = event.online_url
    elif not location:
        location = "Online"
    return CalendarEvent(
        uid=f"{event.uid}@{urlsplit(settings.SITE_URL).hostname or 'msknet'}",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        stamp=timezone.now(),
        description="\n\n".join(description),
        location=location,
        url=page,
        sequence=event.sequence,
        categories=(event.get_kind_display(),),
    )


def invite(event: Event, *, with_online_link: bool) -> str:
    return calendar([calendar_event(event, with_online_link=with_online_link)],
                    prodid=PRODID, name=event.network.short_name)


def feed(network: Network, events: Iterable[Event]) -> str:
    return calendar((calendar_event(e) for e in events), prodid=PRODID,
                    name=f"{network.short_name} events")
