"""What a news email says: the item's body and blocks, in plain text and HTML.

`compose` writes the body and the chosen platform blocks once, when the item
is sent (kept as its `sent_html` and `sent_text`), or for a preview.
`written_email` wraps that in each recipient's email: greeting-free, with a
footer saying why they got it, a link to read it on the site, an unsubscribe
link, and the List-Unsubscribe headers (RFC 2369 and RFC 8058 one-click).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from .models import NewsItem, NewsRecipient
from .news_actions import blocks_since
from .news_audiences import why_you_get_it
from .news_markdown import to_html, to_text

TEMPLATE = "communications/news/email/news"


@dataclass(frozen=True)
class Composed:
    html: str
    text: str


def compose(item: NewsItem, *, now: datetime) -> Composed:
    """The item's body and blocks as (email-styled) HTML and plain text.

    A public item's blocks show only what visitors may see, since the same
    words go on the public news page and feeds.
    """
    html = [str(to_html(item.body_markdown, email=True))]
    text = [to_text(item.body_markdown)]
    if item.blocks:
        from .blocks import render_blocks

        options: dict[str, Any] = {
            "since": blocks_since(item, now),
            "now": now,
            "public_only": item.is_public,
        }
        blocks_html = render_blocks(item.blocks, item.network, format="html", **options)
        blocks_text = render_blocks(item.blocks, item.network, format="text", **options)
        if blocks_html:
            html.append(blocks_html)
        if blocks_text:
            text.append(blocks_text)
    return Composed(html="\n".join(html), text="\n\n".join(text))


@dataclass(frozen=True)
class WrittenEmail:
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def written_email(
    item: NewsItem, composed: Composed, recipient: NewsRecipient | None
) -> WrittenEmail:
    """One person's email (or, with no recipient, a preview of it)."""
    token = recipient.token if recipient is not None else "preview"
    unsubscribe_url = absolute(reverse("news-unsubscribe", kwargs={"token": token}))
    one_click_url = absolute(
        reverse("news-unsubscribe-one-click", kwargs={"token": token})
    )
    opened_url = (
        absolute(reverse("news-opened", kwargs={"token": token}))
        if recipient is not None
        else ""
    )
    context = {
        "item": item,
        "network": item.network,
        "content_html": mark_safe(composed.html),  # noqa: S308 - written by compose
        "content_text": composed.text,
        "why": why_you_get_it(item),
        "read_url": absolute(item.get_absolute_url()),
        "news_url": absolute(reverse("news-list", kwargs={"network_slug": item.network.slug})),
        "unsubscribe_url": unsubscribe_url,
        "opened_url": opened_url,
        "site_url": settings.SITE_URL,
    }
    subject = " ".join(render_to_string(f"{TEMPLATE}_subject.txt", context).split())
    return WrittenEmail(
        subject=subject,
        text=render_to_string(f"{TEMPLATE}_body.txt", context),
        html=render_to_string(f"{TEMPLATE}_body.html", context),
        headers={
            "List-Unsubscribe": f"<{one_click_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
