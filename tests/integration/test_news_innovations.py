"""News and innovations: an audience of an innovation's followers, and the
newsletter block listing innovations recommended since the last issue."""

import datetime as dt
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from msknet.communications import news_tasks
from msknet.communications.blocks import BLOCK_CHOICES, render_block
from msknet.communications.models import (
    AudienceKind,
    NewsItem,
    NewsKind,
    NewsStatus,
)
from msknet.communications.news_audiences import (
    audience_members,
    describe,
    why_you_get_it,
)
from msknet.innovations.models import AdoptionStatus, Follow, Kind, Stage, StageChange
from tests.factories.innovations import adoption, innovation, public_proposal, site
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory
from tests.factories.news import NewsItemFactory
from tests.factories.users import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def form_data(**changes):
    data = {
        "kind": "announcement",
        "title": "Spinal pathway: go-live dates",
        "summary": "Each trust's date for the spinal pathway.",
        "body_markdown": "The pathway goes live trust by trust from March.",
        "audience_kind": "innovation",
        "visibility": "members",
    }
    return data | changes


# The audience -----------------------------------------------------------------


@pytest.fixture
def spinal(network, member):
    """Proposed by `member`; one member follows it, another is a site's
    contact, and someone outside the network follows it too."""
    spinal = innovation(network, name="Regional spinal pathway",
                        stage=Stage.RECOMMENDED, by=member)
    follower = MembershipFactory(network=network, user__full_name="Fay Follower").user
    contact = MembershipFactory(network=network, user__full_name="Cal Contact").user
    Follow.objects.create(innovation=spinal, user=follower)
    Follow.objects.create(innovation=spinal, user=UserFactory(full_name="Out Sider"))
    adoption(spinal, site(network), contacts=[contact],
             history=[(AdoptionStatus.AWARE, dt.date(2026, 1, 5))])
    return spinal


def test_followers_of_an_innovation_are_its_members_who_follow_it(
        network, lead, member, spinal):
    MembershipFactory(network=network, user__full_name="Not Following")
    item = NewsItemFactory(network=network, audience_kind=AudienceKind.INNOVATION,
                           audience_innovation=spinal)

    names = sorted(u.full_name for u in audience_members(item))

    assert names == sorted(["Cal Contact", "Fay Follower", member.full_name])


def test_a_writer_chooses_the_innovation_and_sees_its_reach(
        client, network, lead, spinal):
    client.force_login(lead)

    response = client.post(reverse("news-create", args=[network.slug]),
                           form_data(audience_innovation=spinal.pk), follow=True)

    item = NewsItem.objects.get()
    assert item.audience_innovation == spinal
    page = response.content.decode()
    assert "It will reach <strong>3 people</strong>" in page
    assert "People following the innovation Regional spinal pathway" in page


def test_the_innovation_must_be_chosen(client, network, lead):
    client.force_login(lead)

    response = client.post(reverse("news-create", args=[network.slug]), form_data())

    assert response.status_code == 200
    assert "Choose the innovation" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_only_the_networks_reviewed_innovations_are_offered(
        client, network, lead, spinal):
    pending = public_proposal(network, name="A visitor's idea")
    elsewhere = innovation(NetworkFactory(), name="Another network's pathway")
    client.force_login(lead)

    offered = client.get(reverse("news-create", args=[network.slug])).content.decode()
    refused = [
        client.post(reverse("news-create", args=[network.slug]),
                    form_data(audience_innovation=other.pk))
        for other in (pending, elsewhere)
    ]

    assert "Regional spinal pathway" in offered
    assert "People following an innovation" in offered
    assert "A visitor&#x27;s idea" not in offered
    assert "Another network&#x27;s pathway" not in offered
    for response in refused:
        assert response.status_code == 200
        assert "Choose the innovation from the list" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_the_email_says_the_reader_follows_the_innovation(network, spinal):
    item = NewsItemFactory(network=network, audience_kind=AudienceKind.INNOVATION,
                           audience_innovation=spinal)

    assert describe(item) == "People following the innovation Regional spinal pathway"
    assert why_you_get_it(item) == (
        "You are getting this because you follow the innovation Regional spinal "
        "pathway in London MSK Health Improvement Network."
    )


def test_a_removed_innovation_is_nobody(network, spinal):
    item = NewsItemFactory(network=network, audience_kind=AudienceKind.INNOVATION,
                           audience_innovation=spinal)
    spinal.delete()
    item.refresh_from_db()

    assert list(audience_members(item)) == []
    assert describe(item) == "Nobody"


def test_the_followers_get_the_email_and_nobody_else(
        network, lead, member, spinal, django_capture_on_commit_callbacks):
    NewsItemFactory(network=network, audience_kind=AudienceKind.INNOVATION,
                    audience_innovation=spinal, status=NewsStatus.SCHEDULED,
                    send_at=timezone.now() - timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        news_tasks.send_due_news()

    to = sorted(m.to[0] for m in mail.outbox)
    assert member.email in to
    assert lead.email not in to
    assert len(to) == 3


# The newsletter block -----------------------------------------------------------

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SINCE = NOW - timedelta(days=28)


def recommended(network, name, at, **fields):
    """An innovation moved from screening to recommended at `at`."""
    found = innovation(network, name=name, stage=Stage.RECOMMENDED, **fields)
    StageChange.objects.create(innovation=found, stage_from="", stage_to=Stage.PROPOSED,
                               at=at - timedelta(days=90))
    StageChange.objects.create(innovation=found, stage_from=Stage.SCREENING,
                               stage_to=Stage.RECOMMENDED, at=at)
    return found


def block(network, *, public_only=False, format="text"):
    return render_block("innovations", network, since=SINCE, now=NOW,
                        public_only=public_only, format=format)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://msk.example.nhs.uk"


def test_the_block_is_offered_to_writers():
    assert ("innovations", "Innovations recommended for spread") in BLOCK_CHOICES


def test_the_block_lists_innovations_recommended_in_the_period_newest_first(network):
    older = recommended(network, "Pain management group programme",
                        NOW - timedelta(days=20), kind=Kind.SELF_MANAGEMENT,
                        summary="Eight weekly sessions for people living with pain.")
    newer = recommended(network, "Regional spinal pathway", NOW - timedelta(days=3),
                        summary="One pathway for back pain across the region.")

    rendered = block(network)

    assert rendered.startswith("Innovations recommended\n")
    assert rendered.index("Regional spinal pathway") < rendered.index(
        "Pain management group programme")
    assert "27 February 2026" in rendered
    assert "One pathway for back pain across the region." in rendered
    assert "Self-management or community offer" in rendered
    for found in (older, newer):
        assert f"https://msk.example.nhs.uk{found.get_absolute_url()}" in rendered
    assert ("All the network's innovations: https://msk.example.nhs.uk"
            f"{reverse('innovation-list', args=[network.slug])}") in rendered


def test_the_block_leaves_out_what_was_not_recommended_in_the_period(network):
    recommended(network, "Recommended last year", SINCE - timedelta(days=1))
    held = recommended(network, "Recommended then held", NOW - timedelta(days=5))
    held.stage = Stage.ON_HOLD
    held.save()
    innovation(network, name="Still in screening", stage=Stage.SCREENING)
    recommended(NetworkFactory(), "Another network's", NOW - timedelta(days=2))
    recommended(network, "Recommended after it went", NOW + timedelta(hours=1))

    assert block(network) == ""


def test_a_public_newsletter_shows_recommended_innovations(network):
    recommended(network, "Regional spinal pathway", NOW - timedelta(days=3))

    rendered = block(network, public_only=True, format="html")

    assert "Regional spinal pathway" in rendered
    assert "<h2" in rendered and "Innovations recommended" in rendered


def test_a_newsletter_with_the_block_emails_it(
        network, lead, django_capture_on_commit_callbacks):
    found = recommended(network, "Regional spinal pathway",
                        timezone.now() - timedelta(days=1))
    NewsItemFactory(network=network, kind=NewsKind.NEWSLETTER, blocks=["innovations"],
                    status=NewsStatus.SCHEDULED,
                    send_at=timezone.now() - timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        news_tasks.send_due_news()

    (email,) = mail.outbox
    assert "Regional spinal pathway" in email.body
    assert found.get_absolute_url() in email.alternatives[0][0]
