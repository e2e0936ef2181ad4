"""Demo news for the London network: two newsletters already sent and one
announcement scheduled.

Runs inside the demo loader's transaction, after members, events, resources
and governance exist. Nothing is emailed: what was sent is written as the
worker would have left it (what went out, and each person's email, with a
few opened and one bounced). The scheduled announcement goes to the
network's leads only, a fortnight ahead.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from msknet.members.models import Network, Role, User

from . import news_actions as actions
from .models import (
    AudienceKind,
    NewsItem,
    NewsKind,
    NewsRecipient,
    NewsStatus,
    NewsVisibility,
    RecipientStatus,
)
from .news_audiences import audience_members, describe
from .news_emails import compose

SEED = 2026
LEAD_EMAIL = "lead@london.example.nhs.uk"

NEWSLETTERS = (
    (
        45,
        "London MSK newsletter: autumn",
        "Our first newsletter: what the network is for, and how to take part.",
        (
            "## Welcome\n\n"
            "Thank you for joining **London MSK**. This newsletter comes every "
            "month or so with what is coming up and what members have shared.\n\n"
            "## How to take part\n\n"
            "- Come to a community of practice meeting\n"
            "- Add a resource to the library\n"
            "- Nominate a project for the next priorities round\n\n"
            "Patients can find self-care advice on "
            "[NHS.UK](https://www.nhs.uk/conditions/back-pain/)."
        ),
        NewsVisibility.PUBLIC,
    ),
    (
        10,
        "London MSK newsletter: winter",
        "Events coming up, new in the library and what the steering group decided.",
        (
            "## From the network lead\n\n"
            "Thank you to everyone who came to the community of practice. The "
            "*slides and recording* are on the event's page.\n\n"
            "Below are the events coming up and what is new since the last issue."
        ),
        NewsVisibility.MEMBERS,
    ),
)


def load_demo_news(now: datetime | None = None) -> None:
    """Two sent newsletters and a scheduled announcement in London."""
    now = now or timezone.now()
    network = Network.objects.filter(slug="london").first()
    lead = User.objects.filter(email=LEAD_EMAIL).first()
    if network is None or lead is None:
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    for days_ago, title, summary, body, visibility in NEWSLETTERS:
        sent_at = now - timedelta(days=days_ago)
        item = actions.draft_news(
            network=network, by=lead, kind=NewsKind.NEWSLETTER, title=title,
            summary=summary, body_markdown=body, blocks=["events", "resources"],
            audience_kind=AudienceKind.NETWORK, visibility=visibility,
        )
        sent(item, sent_at, rng)
    announcement = actions.draft_news(
        network=network, by=lead, kind=NewsKind.ANNOUNCEMENT,
        title="Nominations open soon for the next priorities round",
        summary="A reminder for leads to tell their teams.",
        body_markdown=(
            "The next **priorities round** opens in a fortnight. Please tell your "
            "teams and think about what the network should work on next."
        ),
        audience_kind=AudienceKind.ROLE, audience_role=Role.LEAD,
        visibility=NewsVisibility.MEMBERS,
    )
    send_at = timezone.localtime(now + timedelta(days=14)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    actions.schedule_news(item=announcement, by=lead, send_at=send_at)


def sent(item: NewsItem, sent_at: datetime, rng: random.Random) -> None:
    """The item as the worker would have left it after sending at `sent_at`."""
    composed = compose(item, now=sent_at)
    NewsItem.objects.filter(pk=item.pk).update(
        status=NewsStatus.SENT, send_at=sent_at, sent_at=sent_at,
        sent_html=composed.html, sent_text=composed.text,
        audience_description=describe(item), created_at=sent_at - timedelta(days=2),
        updated_at=sent_at,
    )
    recipients = []
    for index, user in enumerate(audience_members(item)):
        status = RecipientStatus.BOUNCED if index == 7 else RecipientStatus.SENT
        opened = status == RecipientStatus.SENT and rng.random() < 0.4
        recipients.append(NewsRecipient(
            item=item, user=user, email=user.email, status=status, attempts=1,
            sent_at=sent_at if status == RecipientStatus.SENT else None,
            opened_at=sent_at + timedelta(hours=rng.randint(1, 48)) if opened else None,
            error="550 No such user" if status == RecipientStatus.BOUNCED else "",
        ))
    NewsRecipient.objects.bulk_create(recipients)
    for recipient in recipients:
        if recipient.status == RecipientStatus.BOUNCED:
            actions.suppress_email(email=recipient.email, detail=recipient.error)
