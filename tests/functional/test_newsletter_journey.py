"""A lead writes a newsletter for members in one ICB with an events block and
schedules it; the worker sends it; a member in that ICB gets it, follows its
unsubscribe link, and the next newsletter skips them. Every page visited
passes axe."""

from datetime import timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from msknet.communications import news_actions
from msknet.communications.models import AudienceKind, NewsItem, NewsKind, NewsStatus
from msknet.core.tasks import enqueue
from msknet.members.models import ICB, Role
from tests.factories.community import EventFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.users import PASSWORD
from tests.functional.conftest import complete_two_factor
from tests.tasks import run_queued_tasks


def sign_in(page, user, accessible, *, first=False):
    page.goto("/account/sign-in/", timeout=120_000 if first else None)
    accessible(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, user)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def the_worker_sends_what_is_due():
    """Time passes to the sending time; the worker runs the minute job."""
    NewsItem.objects.filter(status=NewsStatus.SCHEDULED).update(
        send_at=timezone.now() - timedelta(seconds=1)
    )
    enqueue("msknet.communications.news_tasks.send_due_news", sync=False)
    run_queued_tasks()


def newsletters_to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


def test_a_lead_schedules_an_icb_newsletter_and_a_member_unsubscribes(
    page, accessible, follow_nav
):
    network = london_network()
    north_central = ICB.objects.get(ods_code="QMJ")
    lead = MembershipFactory(network=network, role=Role.LEAD,
                             user__full_name="Helen Adeyemi").user
    reader = MembershipFactory(network=network, icb=north_central,
                               user__full_name="Sam Okafor").user
    elsewhere = MembershipFactory(network=network, icb=ICB.objects.get(ods_code="QKK"),
                                  user__full_name="Jo Kerr").user
    EventFactory(network=network, title="Hip and knee webinar",
                 starts_at=timezone.now() + timedelta(days=10))

    # The lead writes the newsletter from the network's news page.
    sign_in(page, lead, accessible, first=True)
    page.goto(f"/n/{network.slug}/")
    follow_nav(page, "News")
    expect(page.get_by_role("heading", name="News", exact=True)).to_be_visible()
    accessible(page)
    page.get_by_role("link", name="Write and send news").click()
    accessible(page)
    page.get_by_role("link", name="Write news", exact=True).click()
    accessible(page)
    page.get_by_label("Newsletter").check()
    page.get_by_label("Title").fill("North Central London MSK update")
    page.locator("#id_summary").fill("What is coming up for MSK teams in NCL.")
    page.get_by_label("Body").fill(
        "## Welcome\n\nThanks to **everyone** who came to the launch.\n\n"
        "- Read the [pathway](https://example.nhs.uk/pathway)\n- Tell a colleague"
    )
    page.get_by_label("Upcoming events").check()
    page.get_by_label("Members in an ICB").check()
    page.locator("#id_audience_icb").select_option(label="North Central London")
    page.get_by_label("Members of the network only").check()
    page.get_by_role("button", name="Save and preview").click()

    # The preview shows the email, its plain text and how many it reaches.
    expect(page.locator("#news-reach")).to_contain_text("It will reach 1 person")
    expect(page.locator(".msknet-news-body")).to_contain_text("Hip and knee webinar")
    expect(page.locator(".msknet-news-text")).to_contain_text(
        "Read the pathway (https://example.nhs.uk/pathway)"
    )
    accessible(page)

    # She schedules it for tomorrow morning.
    page.get_by_role("link", name="Schedule it").click()
    accessible(page)
    tomorrow = timezone.localtime() + timedelta(days=1)
    page.get_by_label("Date").fill(tomorrow.strftime("%Y-%m-%d"))
    page.get_by_label("Time").fill("08:30")
    page.get_by_role("button", name="Schedule it").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "It will be sent on"
    )
    expect(page.locator("#news-status")).to_contain_text("Scheduled")
    accessible(page)
    item = NewsItem.objects.get()
    assert item.status == NewsStatus.SCHEDULED
    assert timezone.localtime(item.send_at).strftime("%H:%M") == "08:30"

    # The worker sends it when the time comes: to the member in the ICB only.
    the_worker_sends_what_is_due()
    (email,) = newsletters_to(reader)
    assert newsletters_to(elsewhere) == []
    assert email.subject == "North Central London MSK update – London MSK"
    assert "Hip and knee webinar" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    ((html, _),) = email.alternatives
    assert "Hip and knee webinar" in html

    # The lead sees it was sent, and it is on the news page.
    page.reload()
    expect(page.locator("#news-counts")).to_contain_text("Sent")
    accessible(page)
    page.get_by_role("link", name="Read it on the news page").click()
    expect(page.locator(".msknet-news-body")).to_contain_text("Hip and knee webinar")
    accessible(page)
    page.goto(f"/n/{network.slug}/news/writers/")
    expect(page.get_by_role("heading", name="Who may write news")).to_be_visible()
    accessible(page)

    # The member follows the unsubscribe link in the email, without signing in.
    page.get_by_role("button", name="Sign out").click()
    link = next(line for line in email.body.splitlines()
                if line.startswith("Unsubscribe from")).split(": ", 1)[1]
    assert link.startswith(settings.SITE_URL)
    page.goto(urlparse(link).path)
    expect(page.get_by_role("heading", name="Unsubscribe from London MSK news?")
           ).to_be_visible()
    accessible(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    accessible(page)

    # The next newsletter to the same members skips them.
    following = news_actions.draft_news(
        network=network, by=lead, kind=NewsKind.NEWSLETTER, title="Next month",
        body_markdown="More news.", audience_kind=AudienceKind.ICB,
        audience_icb=north_central,
    )
    news_actions.schedule_news(item=following, by=lead,
                               send_at=timezone.now() + timedelta(minutes=5))
    the_worker_sends_what_is_due()
    following.refresh_from_db()
    assert following.status == NewsStatus.SENT
    assert len(newsletters_to(reader)) == 1
    assert not following.recipients.filter(user=reader).exists()
