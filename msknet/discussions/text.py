"""Posts are plain text: finding mentions in it, and showing it safely.

A member is mentioned as `@[Full Name]`, the name in square brackets so that
names with spaces, hyphens and apostrophes need no escaping. Showing a post
escapes everything, keeps paragraphs and line breaks, links web addresses
with `rel="nofollow noopener"` and shows each mention with the mentioned
member's current name (so an erased account shows as "former member").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.html import escape, urlize
from django.utils.safestring import SafeString, mark_safe

MENTION = re.compile(r"@\[([^\[\]\n]{1,150})\]")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
LINK = re.compile(r"(<a [^>]*>.*?</a>)", re.DOTALL)


def normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def mentioned_names(body: str) -> list[str]:
    """The names mentioned in `body`, normalised, in order, each once."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(body):
        seen.setdefault(normalise_name(match.group(1)), None)
    return [name for name in seen if name]


def mention_markup(full_name: str) -> str:
    return f"@[{full_name}]"


def _mention_html(match: re.Match[str], people: Mapping[str, Any]) -> str:
    # `match` is over escaped text: unescape only to look the name up.
    name = normalise_name(
        match.group(1)
        .replace("&#x27;", "'")
        .replace("&quot;", '"')
        .replace("&amp;", "&")
    )
    person = people.get(name)
    if person is None:
        return match.group(0)
    return f'<strong class="msknet-mention">@{escape(person.display_name)}</strong>'


def _paragraph(text: str, people: Mapping[str, Any]) -> str:
    linked = urlize(text, nofollow=True, autoescape=True).replace(
        'rel="nofollow"', 'rel="nofollow noopener"'
    )
    # Mentions only in the text between links, never inside an address.
    parts = LINK.split(linked)
    for index in range(0, len(parts), 2):
        parts[index] = MENTION.sub(
            lambda m: _mention_html(m, people), parts[index]
        ).replace("\n", "<br>")
    return "".join(parts)


def render_body(body: str, mentioned: Mapping[str, Any] | None = None) -> SafeString:
    """The post as HTML: escaped, paragraphs, links and mentions only.

    `mentioned` maps each mentioned name, normalised as written, to the member.
    """
    people = mentioned or {}
    paragraphs = [
        p.strip("\n") for p in PARAGRAPH_BREAK.split(body.strip()) if p.strip()
    ]
    html = "\n".join(
        f'<p class="msknet-post__paragraph">{_paragraph(p, people)}</p>'
        for p in paragraphs
    )
    return mark_safe(html)  # noqa: S308 - every piece above is escaped or generated


def plain_body(body: str, mentioned: Mapping[str, Any] | None = None) -> str:
    """The post as plain text, each mention with the member's current name."""
    people = mentioned or {}

    def name(match: re.Match[str]) -> str:
        person = people.get(normalise_name(match.group(1)))
        return f"@{person.display_name}" if person is not None else match.group(0)

    return MENTION.sub(name, body)
