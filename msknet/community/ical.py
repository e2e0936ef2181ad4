"""iCalendar (RFC 5545) text for events: invites and subscription feeds.

Pure Python, no Django: `CalendarEvent` holds what a calendar needs and
`calendar()` writes a VCALENDAR with CRLF line endings, text escaped and
lines folded at 75 octets. Times are written in UTC with a trailing Z.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

MAX_LINE_OCTETS = 75
CRLF = "\r\n"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    stamp: datetime
    description: str = ""
    location: str = ""
    url: str = ""
    sequence: int = 0
    categories: tuple[str, ...] = ()


def utc(moment: datetime) -> str:
    """`20260315T093000Z`; refuses naive datetimes, which name no instant."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (RFC 5545 3.1).

    Continuation lines start with one space, which counts towards their 75
    octets; a UTF-8 character is never split between lines.
    """
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, MAX_LINE_OCTETS - 1
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def content_line(name: str, value: str) -> str:
    return fold(f"{name}:{value}") + CRLF


def event_lines(event: CalendarEvent) -> str:
    lines = [
        content_line("BEGIN", "VEVENT"),
        content_line("UID", escape(event.uid)),
        content_line("DTSTAMP", utc(event.stamp)),
        content_line("DTSTART", utc(event.starts_at)),
        content_line("DTEND", utc(event.ends_at)),
        content_line("SEQUENCE", str(event.sequence)),
        content_line("SUMMARY", escape(event.summary)),
    ]
    if event.description:
        lines.append(content_line("DESCRIPTION", escape(event.description)))
    if event.location:
        lines.append(content_line("LOCATION", escape(event.location)))
    if event.url:
        lines.append(content_line("URL", event.url))
    if event.categories:
        lines.append(
            content_line("CATEGORIES", ",".join(escape(c) for c in event.categories))
        )
    lines.append(content_line("END", "VEVENT"))
    return "".join(lines)


def calendar(
    events: Iterable[CalendarEvent], *, prodid: str, name: str = ""
) -> str:
    """A whole VCALENDAR; encode it as UTF-8 to serve as text/calendar."""
    parts = [
        content_line("BEGIN", "VCALENDAR"),
        content_line("VERSION", "2.0"),
        content_line("PRODID", prodid),
        content_line("CALSCALE", "GREGORIAN"),
        content_line("METHOD", "PUBLISH"),
    ]
    if name:
        parts.append(content_line("X-WR-CALNAME", escape(name)))
    parts.extend(event_lines(event) for event in events)
    parts.append(content_line("END", "VCALENDAR"))
    return "".join(parts)
