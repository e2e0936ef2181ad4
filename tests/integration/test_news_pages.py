"""News pages: writing and previewing, the news page and feeds, unsubscribing
from an email, counting opens, and who may write."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from msknet.communications.models import (
    AudienceKind,
    NewsItem,
    NewsOptOut,
    NewsRecipient,
    NewsStatus,
    NewsVisibility,
    NewsWriter,
    RecipientStatus,
)
from msknet.members.models import ICB
from tests.factories.memberships import MembershipFactory
from tests.factories.news import (
    NewsItemFactory,
    NewsRecipientFactory,
    NewsWriterFactory,
    SentNewsFactory,
)
from tests.queries import queries_of

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "kind": "announcement",
        "title": "Knee pathway launch",
        "summary": "The new pathway starts in March.",
        "body_markdown": "The **knee pathway** starts on 3 March.",
        "audience_kind": "network",
        "visibility": "public",
    }
    return data | changes


# Writing ----------------------------------------------------------------------


def test_a_lead_writes_a_draft_and_sees_how_many_it_will_reach(client, network, lead):
    MembershipFactory(network=network, icb=ICB.objects.get(ods_code="QMJ"))
    MembershipFactory(network=network, icb=ICB.objects.get(ods_code="QKK"))
    client.force_login(lead)

    response = client.post(
        reverse("news-create", args=[network.slug]),
        form_data(audience_kind="icb", audience_icb=ICB.objects.get(ods_code="QMJ").pk),
        follow=True,
    )

    item = NewsItem.objects.get()
    assert item.status == NewsStatus.DRAFT
    assert response.redirect_chain[-1][0] == reverse(
        "news-preview", args=[network.slug, item.pk])
    page = response.content.decode()
    assert "It will reach <strong>1 person</strong>" in page
    assert "The <strong>knee pathway</strong> starts on 3 March." in page
    assert "Knee pathway launch – London MSK" in page  # the email's subject


def test_the_chosen_audience_needs_its_value(client, network, lead):
    client.force_login(lead)

    response = client.post(reverse("news-create", args=[network.slug]),
                           form_data(audience_kind="icb"))

    assert response.status_code == 200
    assert "Choose the ICB" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_the_preview_shows_the_plain_text_as_sent(client, network, lead):
    item = NewsItemFactory(network=network, title="O'Brien & Co",
                           body_markdown="Read [this](https://example.org)")
    client.force_login(lead)

    response = client.get(reverse("news-preview", args=[network.slug, item.pk]))

    page = response.content.decode()
    assert "Read this (https://example.org)" in page
    assert "style=" not in page.split("<main")[1]


def test_the_email_preview_page_allows_the_emails_inline_styles(client, network, lead):
    item = NewsItemFactory(network=network)
    client.force_login(lead)

    response = client.get(reverse("news-preview-email", args=[network.slug, item.pk]))

    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert 'style="' in response.content.decode()


def test_scheduling_takes_a_uk_time_in_the_future(client, network, lead):
    item = NewsItemFactory(network=network)
    client.force_login(lead)
    url = reverse("news-schedule", args=[network.slug, item.pk])

    past = client.post(url, {"send_on": "2020-01-01", "send_time": "09:00"})
    response = client.post(url, {"send_on": "2099-07-01", "send_time": "09:00"})

    assert "Choose a time in the future" in past.content.decode()
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == NewsStatus.SCHEDULED
    assert timezone.localtime(item.send_at).isoformat() == "2099-07-01T09:00:00+01:00"


def test_send_now_asks_first_then_sends(client, network, lead, sent_on_commit):
    item = NewsItemFactory(network=network)
    client.force_login(lead)
    url = reverse("news-send", args=[network.slug, item.pk])

    question = client.get(url)
    with sent_on_commit():
        client.post(url)

    assert "It will be emailed to 1 person" in question.content.decode()
    item.refresh_from_db()
    assert item.status == NewsStatus.SENT
    assert NewsRecipient.objects.get().status == RecipientStatus.SENT


def test_the_lead_sees_counts_not_names(client, network, lead):
    item = SentNewsFactory(network=network)
    NewsRecipientFactory(item=item, status="sent", opened_at=timezone.now(),
                         user__full_name="Rosa Opener")
    NewsRecipientFactory(item=item, status="sent")
    NewsRecipientFactory(item=item, status="bounced")
    NewsRecipientFactory(item=item, status="failed")
    client.force_login(lead)

    item_page = client.get(reverse("news-item", args=[network.slug, item.pk]))
    list_page = client.get(reverse("news-manage", args=[network.slug]))

    counts = item_page.content.decode().split('id="news-counts"')[1]
    assert "People it went to</dt><dd class=\"nhsuk-summary-list__value\">4" in counts
    assert "Sent</dt><dd class=\"nhsuk-summary-list__value\">2" in counts
    assert "Bounced</dt><dd class=\"nhsuk-summary-list__value\">1" in counts
    assert ("Opened (where the email app loads images)</dt>"
            "<dd class=\"nhsuk-summary-list__value\">1") in counts
    assert "Rosa Opener" not in item_page.content.decode()
    assert "Opened" in list_page.content.decode()


# Who may write --------------------------------------------------------------


def test_a_member_may_write_only_once_a_lead_allows_it(client, network, lead, member):
    client.force_login(member)
    url = reverse("news-create", args=[network.slug])
    refused = client.get(url)
    client.force_login(lead)
    client.post(reverse("news-writers", args=[network.slug]), {"user": member.pk})
    client.force_login(member)

    allowed = client.get(url)

    assert refused.status_code == 403
    assert allowed.status_code == 200
    assert NewsWriter.objects.get().granted_by == lead


def test_a_writer_who_leaves_the_network_may_no_longer_write(client, network, member):
    NewsWriterFactory(network=network, user=member)
    member.memberships.all().delete()
    client.force_login(member)

    response = client.get(reverse("news-manage", args=[network.slug]))

    assert response.status_code == 403


# Reading --------------------------------------------------------------------


def test_visitors_see_public_news_members_see_all(client, network, member):
    SentNewsFactory(network=network, visibility=NewsVisibility.PUBLIC,
                    title="Open to all")
    SentNewsFactory(network=network, title="For members")
    NewsItemFactory(network=network, title="Still a draft")
    url = reverse("news-list", args=[network.slug])

    as_visitor = client.get(url).content.decode()
    client.force_login(member)
    as_member = client.get(url).content.decode()

    assert "Open to all" in as_visitor and "For members" not in as_visitor
    assert "Open to all" in as_member and "For members" in as_member
    assert "Still a draft" not in as_member


def test_a_members_only_item_sends_visitors_to_sign_in_and_refuses_outsiders(
    client, network, outsider
):
    item = SentNewsFactory(network=network)
    url = reverse("news-detail", args=[network.slug, item.pk])

    as_visitor = client.get(url)
    client.force_login(outsider)
    as_outsider = client.get(url)

    assert as_visitor.status_code == 302
    assert as_visitor["Location"].startswith(reverse("sign-in"))
    assert as_outsider.status_code == 403


def test_a_draft_is_not_on_the_news_page(client, network, lead):
    item = NewsItemFactory(network=network, visibility=NewsVisibility.PUBLIC)
    client.force_login(lead)

    response = client.get(reverse("news-detail", args=[network.slug, item.pk]))

    assert response.status_code == 404


def test_the_item_page_shows_what_was_sent_without_inline_styles(client, network):
    item = SentNewsFactory(
        network=network, visibility=NewsVisibility.PUBLIC,
        sent_html='<p style="color:red">Sent <strong>words</strong></p>',
    )

    response = client.get(reverse("news-detail", args=[network.slug, item.pk]))

    assert "<p>Sent <strong>words</strong></p>" in response.content.decode()


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_feeds_carry_public_items_only_with_absolute_links(
    client, network, settings, kind
):
    settings.SITE_URL = "https://msk.example.nhs.uk"
    public = SentNewsFactory(network=network, visibility=NewsVisibility.PUBLIC,
                             title="O'Brien & Co join")
    SentNewsFactory(network=network, title="Members only news")

    response = client.get(reverse(f"news-feed-{kind}", args=[network.slug]))

    root = ET.fromstring(response.content)
    text = response.content.decode()
    assert "O&#x27;Brien" not in text
    assert "Members only news" not in text
    link = f"https://msk.example.nhs.uk/n/london/news/{public.pk}/"
    if kind == "rss":
        (entry,) = root.iter("item")
        assert entry.findtext("title") == "O'Brien & Co join"
        assert entry.findtext("link") == link
    else:
        atom = "{http://www.w3.org/2005/Atom}"
        (entry,) = root.iter(f"{atom}entry")
        assert entry.findtext(f"{atom}title") == "O'Brien & Co join"
        assert entry.find(f"{atom}link").get("href") == link


def test_the_news_page_names_its_feeds(client, network):
    response = client.get(reverse("news-list", args=[network.slug]))

    page = response.content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert '<link rel="alternate" type="application/atom+xml"' in page


# Unsubscribing and opens ----------------------------------------------------


def test_the_unsubscribe_link_asks_then_unsubscribes_without_signing_in(
    client, network, member
):
    recipient = NewsRecipientFactory(item=SentNewsFactory(network=network), user=member)
    url = reverse("news-unsubscribe", args=[recipient.token])

    question = client.get(url)
    done = client.post(url)

    assert "Unsubscribe from London MSK news?" in question.content.decode()
    assert "You are unsubscribed" in done.content.decode()
    assert NewsOptOut.objects.filter(network=network, user=member).exists()


def test_one_click_unsubscribe_needs_no_page_and_no_csrf_token(network, member):
    from django.test import Client

    recipient = NewsRecipientFactory(item=SentNewsFactory(network=network), user=member)
    mail_app = Client(enforce_csrf_checks=True)

    response = mail_app.post(
        reverse("news-unsubscribe-one-click", args=[recipient.token]),
        {"List-Unsubscribe": "One-Click"},
    )

    assert response.status_code == 200
    assert NewsOptOut.objects.filter(network=network, user=member).exists()


def test_the_unsubscribe_page_still_needs_its_csrf_token(network, member):
    from django.test import Client

    recipient = NewsRecipientFactory(item=SentNewsFactory(network=network), user=member)

    response = Client(enforce_csrf_checks=True).post(
        reverse("news-unsubscribe", args=[recipient.token])
    )

    assert response.status_code == 403
    assert not NewsOptOut.objects.exists()


def test_a_made_up_unsubscribe_link_is_not_found(client):
    response = client.get(reverse("news-unsubscribe", args=["made-up"]))

    assert response.status_code == 404


def test_a_member_who_unsubscribed_can_get_news_again(client, network, member):
    NewsOptOut.objects.create(network=network, user=member)
    client.force_login(member)
    url = reverse("news-list", args=[network.slug])

    before = client.get(url).content.decode()
    client.post(reverse("news-emails", args=[network.slug]), {"wanted": "yes"})

    assert "You do not get this network's news by email." in before
    assert not NewsOptOut.objects.exists()
    assert "You get London MSK news by email." in client.get(url).content.decode()


def test_the_image_counts_an_open_once(client, network, member):
    recipient = NewsRecipientFactory(item=SentNewsFactory(network=network), user=member)
    url = reverse("news-opened", args=[recipient.token])

    first = client.get(url)
    recipient.refresh_from_db()
    opened = recipient.opened_at
    client.get(url)
    recipient.refresh_from_db()

    assert first["Content-Type"] == "image/gif"
    assert opened is not None
    assert recipient.opened_at == opened


def test_every_audience_kind_is_offered(client, network, lead):
    client.force_login(lead)

    response = client.get(reverse("news-create", args=[network.slug]))

    page = response.content.decode()
    for kind in AudienceKind:
        assert kind.label in page


def test_a_scheduled_item_can_be_cancelled_after_confirming(client, network, lead):
    item = NewsItemFactory(network=network, status=NewsStatus.SCHEDULED,
                           send_at=timezone.now() + timedelta(days=1))
    client.force_login(lead)
    url = reverse("news-cancel", args=[network.slug, item.pk])

    question = client.get(url)
    client.post(url)

    assert "Stop “" in question.content.decode()
    item.refresh_from_db()
    assert item.status == NewsStatus.DRAFT


# Query counts ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["news-list", "news-manage", "news-feed-rss"])
def test_news_lists_cost_the_same_however_much_news_there_is(client, network, lead, name):
    client.force_login(lead)
    url = reverse(name, args=[network.slug])
    SentNewsFactory(network=network, visibility=NewsVisibility.PUBLIC)
    _, few = queries_of(lambda: client.get(url))
    for _ in range(5):
        item = SentNewsFactory(network=network, visibility=NewsVisibility.PUBLIC)
        NewsRecipientFactory(item=item)
        NewsItemFactory(network=network)

    _, many = queries_of(lambda: client.get(url))

    assert len(many) == len(few), many


def test_the_email_choices_page_says_whether_news_comes_by_email(client, network, member):
    NewsOptOut.objects.create(network=network, user=member)
    client.force_login(member)

    response = client.get(reverse("notification-settings"))

    page = response.content.decode()
    assert ("London MSK Health Improvement Network: you do not get its news by email"
            in page)
    assert f'href="/n/{network.slug}/news/#news-emails">Get it again' in page


def test_a_draft_is_changed_and_previewed_again(client, network, lead):
    item = NewsItemFactory(network=network)
    client.force_login(lead)

    response = client.post(reverse("news-edit", args=[network.slug, item.pk]),
                           form_data(title="A better title"))

    assert response["Location"] == reverse("news-preview", args=[network.slug, item.pk])
    item.refresh_from_db()
    assert item.title == "A better title"


def test_a_sent_item_cannot_be_opened_for_changes(client, network, lead):
    item = SentNewsFactory(network=network)
    client.force_login(lead)

    response = client.get(reverse("news-edit", args=[network.slug, item.pk]),
                          follow=True)

    assert "This has been sent, so it can no longer change" in response.content.decode()


def test_a_lead_stops_a_writer_after_confirming(client, network, lead, member):
    writer = NewsWriterFactory(network=network, user=member)
    client.force_login(lead)
    url = reverse("news-writer-remove", args=[network.slug, writer.pk])

    question = client.get(url)
    client.post(url)

    assert "What they wrote stays." in question.content.decode()
    assert not NewsWriter.objects.exists()
