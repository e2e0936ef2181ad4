from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from msknet.communications.models import (
    NewsItem,
    NewsKind,
    NewsRecipient,
    NewsStatus,
    NewsVisibility,
    NewsWriter,
)

from .networks import NetworkFactory
from .users import UserFactory


class NewsItemFactory(DjangoModelFactory):
    """A draft announcement to the whole network, members-only on the page."""

    class Meta:
        model = NewsItem

    network = factory.SubFactory(NetworkFactory)
    kind = NewsKind.ANNOUNCEMENT
    title = factory.Sequence(lambda n: f"Network update {n}")
    summary = "What is new in the network."
    body_markdown = "Hello **everyone**.\n\n- One thing\n- Another"
    visibility = NewsVisibility.MEMBERS


class SentNewsFactory(NewsItemFactory):
    """An item already sent (with what was sent fixed), to nobody yet."""

    status = NewsStatus.SENT
    send_at = factory.LazyFunction(timezone.now)
    sent_at = factory.LazyFunction(timezone.now)
    sent_html = "<p>Hello <strong>everyone</strong>.</p>"
    sent_text = "Hello everyone."
    audience_description = "Everyone in the network"


class NewsRecipientFactory(DjangoModelFactory):
    class Meta:
        model = NewsRecipient

    item = factory.SubFactory(SentNewsFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda o: o.user.email)
    status = "sent"


class NewsWriterFactory(DjangoModelFactory):
    class Meta:
        model = NewsWriter

    network = factory.SubFactory(NetworkFactory)
    user = factory.SubFactory(UserFactory)


def news_objects(network, users):
    """The role matrix's news: a sent public item and a sent members-only one
    (the member got it: their unsubscribe token), a draft, one scheduled a
    year ahead, and a writer (a colleague, none of the roles walked)."""
    public = SentNewsFactory(network=network, visibility=NewsVisibility.PUBLIC,
                             title="Matrix public news")
    members = SentNewsFactory(network=network, title="Matrix members news")
    draft = NewsItemFactory(network=network, title="Matrix draft news")
    scheduled = NewsItemFactory(
        network=network, title="Matrix scheduled news", status=NewsStatus.SCHEDULED,
        send_at=timezone.now() + timedelta(days=365),
    )
    objects = {
        "news-public": public.pk,
        "news-members": members.pk,
        "news-draft": draft.pk,
        "news-scheduled": scheduled.pk,
        "news-writer": NewsWriterFactory(network=network).pk,
    }
    if users.get("member"):
        objects["news-token"] = NewsRecipientFactory(
            item=members, user=users["member"]
        ).token
    return objects
