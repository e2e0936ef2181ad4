"""Prescribing alerts: anyone subscribes to an organisation, confirms from an
emailed link, and is emailed when a new month of data shows one of its
measures moved; never twice for a month, never once unsubscribed."""

import re
import time
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from msknet.analytics.prescribing import alerts
from msknet.prescribing import actions, alerting
from msknet.prescribing.models import AlertSubscription
from tests.factories.prescribing_alerts import (
    LATEST,
    AlertSubscriptionFactory,
    alert_store,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return alert_store(tmp_path_factory.mktemp("alerts"))


@pytest.fixture
def data(built, settings):
    settings.DATA_DIR = built.root
    return built


class Site:
    """A visitor's requests and the site's alert runs, each running what it
    defers to commit (the emails) as it returns, as a real request would."""

    def __init__(self, client, network, on_commit):
        self.client, self.network, self.on_commit = client, network, on_commit

    def subscribe(self, email, code, level="practice"):
        with self.on_commit(execute=True):
            return self.client.post(
                reverse("prescribing-alert-subscribe", args=[self.network.slug]),
                {"email": email, "level": level, "org_code": code})

    def confirmed(self, email, code):
        """A subscription made and confirmed from its link; the outbox emptied."""
        mail.outbox.clear()
        self.subscribe(email, code)
        self.client.post(link_in(mail.outbox[-1], "confirm"))
        mail.outbox.clear()
        return AlertSubscription.objects.get(email=email, org_code=code)

    def send_alerts(self, month=LATEST):
        with self.on_commit(execute=True):
            return alerting.send_alerts(month=month)


@pytest.fixture
def site(client, network, django_capture_on_commit_callbacks):
    return Site(client, network, django_capture_on_commit_callbacks)


def link_in(message, name):
    found = re.search(r"http://\S+" + name + r"/\S+/", message.body)
    assert found, message.body
    return found.group(0).removeprefix("http://testserver")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


# Subscribing and confirming -----------------------------------------------------

def test_subscribing_sends_a_link_to_confirm_and_nothing_else(site, network, data):
    response = site.subscribe("Reader@Example.org", data.moved)

    assert response.status_code == 302
    assert response["Location"] == reverse("prescribing-alert-sent", args=[network.slug])
    subscription = AlertSubscription.objects.get()
    assert subscription.email == "reader@example.org"
    assert not subscription.confirmed
    [message] = mail.outbox
    assert message.to == ["reader@example.org"]
    assert "Confirm your prescribing alerts" in message.subject
    assert "/prescribing/alerts/confirm/" in message.body
    html = message.alternatives[0][0]
    assert "Confirm alerts" in html


def test_following_the_link_and_confirming_starts_the_alerts(site, client, data):
    site.subscribe("reader@example.org", data.moved)
    url = link_in(mail.outbox[0], "confirm")

    page = client.get(url)
    done = client.post(url, follow=True)

    assert page.status_code == 200
    assert "Confirm your prescribing alerts" in page.text
    assert done.status_code == 200
    assert "Your prescribing alerts are confirmed" in done.text
    assert AlertSubscription.objects.get().confirmed


def test_an_altered_confirmation_link_does_not_work(site, client, data):
    site.subscribe("reader@example.org", data.moved)
    url = link_in(mail.outbox[0], "confirm")

    response = client.post(url[:-3] + "xx/")

    assert response.status_code == 404
    assert "This link does not work" in response.text
    assert not AlertSubscription.objects.get().confirmed


def test_an_expired_confirmation_link_does_not_work(client, network, data,
                                                    monkeypatch):
    subscription = AlertSubscriptionFactory(network=network, confirmed_at=None)
    # A link signed eight days ago.
    eight_days_ago = int(time.time()) - 8 * 24 * 60 * 60
    monkeypatch.setattr(signing.TimestampSigner, "timestamp",
                        lambda self: signing.b62_encode(eight_days_ago))
    url = reverse("prescribing-alert-confirm", args=[
        network.slug, actions.confirm_token(subscription)])
    monkeypatch.undo()

    response = client.get(url)

    assert response.status_code == 404


def test_an_unknown_organisation_is_refused_naming_the_field(site, data):
    response = site.subscribe("reader@example.org", "Z99999")

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "there is no practice Z99999" in response.text
    assert 'href="#id_org_code"' in response.text
    assert not AlertSubscription.objects.exists()
    assert mail.outbox == []


def test_too_many_subscriptions_from_one_client_are_refused(site, data):
    for i in range(actions.SUBSCRIPTIONS_PER_CLIENT_PER_HOUR):
        site.subscribe(f"reader{i}@example.org", data.moved)

    response = site.subscribe("one-more@example.org", data.moved)

    assert response.status_code == 429
    assert "too many alerts in the last hour" in response.text
    assert not AlertSubscription.objects.filter(email="one-more@example.org").exists()


def test_subscribing_twice_sends_a_new_link_but_keeps_one_subscription(
        site, data):
    site.subscribe("reader@example.org", data.moved)
    site.subscribe("reader@example.org", data.moved)

    assert AlertSubscription.objects.count() == 1
    assert len(mail.outbox) == 2


def test_unconfirmed_addresses_are_forgotten_after_a_week(network):
    old = AlertSubscriptionFactory(network=network, confirmed_at=None,
                                   created_at=timezone.now() - timedelta(days=8))
    new = AlertSubscriptionFactory(network=network, confirmed_at=None)
    kept = AlertSubscriptionFactory(network=network,
                                    created_at=timezone.now() - timedelta(days=30))

    deleted = actions.forget_stale()

    assert deleted == 1
    assert set(AlertSubscription.objects.values_list("pk", flat=True)) == {
        new.pk, kept.pk}
    assert old.pk not in AlertSubscription.objects.values_list("pk", flat=True)


# Alerts --------------------------------------------------------------------------

@pytest.mark.slow
def test_alert_fires_for_the_practice_that_moved_and_not_the_one_that_did_not(
        site, network, data):
    moved = site.confirmed("moved@example.org", data.moved)
    still = site.confirmed("still@example.org", data.still)

    sent = site.send_alerts()

    assert sent == 1
    [message] = mail.outbox
    assert message.to == ["moved@example.org"]
    assert "April 2025" in message.subject
    measure_url = (f"http://testserver/n/{network.slug}/prescribing/opioid_ome/"
                   f"practice/{data.moved}/")
    assert measure_url in message.body
    assert "rose from the" in message.body
    html = message.alternatives[0][0]
    assert measure_url in html
    assert "<table" in html
    unsubscribe = (f"http://testserver/n/{network.slug}/prescribing/alerts/"
                   f"unsubscribe/{moved.token}/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    moved.refresh_from_db()
    still.refresh_from_db()
    assert moved.last_alerted_month == LATEST
    assert still.last_alerted_month == ""
    assert still.last_checked_month == LATEST


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def inline_images(message):
    """The pictures sent beside the HTML part: content id -> (type, bytes)."""
    parts = message.message().walk()
    return {part["Content-ID"].strip("<>"): (part.get_content_type(),
                                             part.get_payload(decode=True))
            for part in parts if part["Content-ID"]}


@pytest.mark.slow
def test_the_alert_shows_each_changed_measures_chart_with_words_for_it(site, data):
    site.confirmed("moved@example.org", data.moved)

    site.send_alerts()

    [message] = mail.outbox
    assert message.message().get_content_type() == "multipart/related"
    html = message.alternatives[0][0]
    cids = re.findall(r'<img src="cid:([^"]+)" alt="([^"]+)"', html)
    assert cids, html
    images = inline_images(message)
    assert sorted(images) == sorted(cid for cid, _ in cids)
    for cid, alt in cids:
        kind, png = images[cid]
        assert kind == "image/png"
        assert png.startswith(PNG_SIGNATURE)
        assert "against the deciles of every practice in England" in alt
    [(_, opioids)] = [(cid, alt) for cid, alt in cids if cid.startswith("opioid_ome-")]
    assert "January 2024 to April 2025" in opioids
    # The figures stay as a table beside the chart, and as text in the plain part.
    assert "<table" in html
    assert "cid:" not in message.body and "Month      Value" in message.body


@pytest.mark.slow
def test_subscribers_to_one_practice_get_the_same_charts_drawn_once(site, data,
                                                                    monkeypatch):
    drawn = []
    draw = alerting.draw_chart

    def counted(measure, *args):
        drawn.append(measure.id)
        return draw(measure, *args)

    monkeypatch.setattr(alerting, "draw_chart", counted)
    site.confirmed("first@example.org", data.moved)
    site.confirmed("second@example.org", data.moved)

    assert site.send_alerts() == 2

    first, second = mail.outbox
    assert inline_images(first) == inline_images(second) != {}
    assert len(drawn) == len(set(drawn)) == len(inline_images(first))


@pytest.mark.slow
def test_an_alert_whose_chart_cannot_be_drawn_goes_without_it(site, data, monkeypatch,
                                                             caplog):
    def broken(*args, **kwargs):
        raise ValueError("Vega-Lite could not compile the chart")

    monkeypatch.setattr(alerting.vl_convert, "vegalite_to_png", broken)
    site.confirmed("moved@example.org", data.moved)

    sent = site.send_alerts()

    assert sent == 1
    [message] = mail.outbox
    assert "rose from the" in message.body
    html = message.alternatives[0][0]
    assert "cid:" not in html and "<table" in html
    assert inline_images(message) == {}
    assert "Could not draw the opioid_ome chart" in caplog.text


def keys_in(value):
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


@pytest.mark.slow
def test_the_alert_chart_fetches_nothing(data, monkeypatch):
    from msknet.analytics import prescribing as rx

    seen = {}

    def record(spec, **options):
        seen.update(spec=spec, options=options)
        return PNG_SIGNATURE

    monkeypatch.setattr(alerting.vl_convert, "vegalite_to_png", record)

    picture = alerting.draw_chart(rx.load_measure("opioid_ome"), "practice",
                                  data.moved, LATEST)

    assert picture is not None and picture.png == PNG_SIGNATURE
    assert seen["options"]["allowed_base_urls"] == []
    assert seen["spec"]["width"] == alerting.CHART_WIDTH
    assert seen["options"]["scale"] == 1
    assert "url" not in keys_in(seen["spec"])


@pytest.mark.slow
def test_the_method_agrees_that_only_the_moved_practice_changed(data):
    from msknet.analytics.prescribing import Store

    rows = alerts.percentile_rows(Store(data.root / "prescribing"), "opioid_ome",
                                  "practice")

    found = alerts.changes_in_month(rows, LATEST)

    assert data.moved in found
    assert data.still not in found
    assert found[data.moved].signal.direction == "up"


@pytest.mark.slow
def test_running_the_same_month_again_sends_nothing(site, data):
    site.confirmed("moved@example.org", data.moved)
    site.send_alerts()
    mail.outbox.clear()

    sent = site.send_alerts()

    assert sent == 0
    assert mail.outbox == []


@pytest.mark.slow
def test_unsubscribed_and_unconfirmed_get_nothing(site, data):
    gone = site.confirmed("gone@example.org", data.moved)
    site.subscribe("waiting@example.org", data.moved)
    mail.outbox.clear()
    actions.unsubscribe(subscription=gone)

    sent = site.send_alerts()

    assert sent == 0
    assert mail.outbox == []


def test_one_click_unsubscribe_needs_no_csrf_token(network, data):
    from django.test import Client

    subscription = AlertSubscriptionFactory(network=network, org_code=data.moved)
    strict = Client(enforce_csrf_checks=True)
    url = reverse("prescribing-alert-unsubscribe", args=[network.slug,
                                                          subscription.token])

    response = strict.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "You have stopped these alerts" in response.text
    subscription.refresh_from_db()
    assert subscription.unsubscribed


def test_the_unsubscribe_link_asks_first(client, network, data):
    subscription = AlertSubscriptionFactory(network=network, org_code=data.moved)
    url = reverse("prescribing-alert-unsubscribe", args=[network.slug,
                                                          subscription.token])

    response = client.get(url)

    assert response.status_code == 200
    assert "Stop prescribing alerts?" in response.text
    subscription.refresh_from_db()
    assert not subscription.unsubscribed


def test_confirming_needs_the_csrf_token(network, data):
    from django.test import Client

    subscription = AlertSubscriptionFactory(network=network, org_code=data.moved,
                                            confirmed_at=None)
    url = reverse("prescribing-alert-confirm", args=[
        network.slug, actions.confirm_token(subscription)])

    response = Client(enforce_csrf_checks=True).post(url)

    assert response.status_code == 403
    subscription.refresh_from_db()
    assert not subscription.confirmed


@pytest.mark.slow
def test_the_cli_sends_the_alerts_for_a_month(site, data):
    from msknet.cli import cli

    site.confirmed("moved@example.org", data.moved)

    with site.on_commit(execute=True):
        result = CliRunner().invoke(cli, ["prescribing", "alerts", "--month", LATEST])

    assert result.exit_code == 0, result.output
    assert "Sent 1 prescribing alert." in result.output
    assert [m.to for m in mail.outbox] == [["moved@example.org"]]


def test_the_cli_refuses_a_month_not_written_as_a_month():
    from msknet.cli import cli

    result = CliRunner().invoke(cli, ["prescribing", "alerts", "--month", "March"])

    assert result.exit_code == 2
    assert "YYYY-MM" in result.output


# The forms on the pages ---------------------------------------------------------

@pytest.mark.slow
def test_a_practice_page_offers_alerts_for_that_practice(client, network, data):
    response = client.get(reverse("prescribing-measure", args=[
        network.slug, "opioid_ome", "practice", data.moved]))

    assert "Get an email when this organisation" in response.text
    assert f'name="org_code" value="{data.moved}"' in response.text


@pytest.mark.slow
def test_the_overview_links_to_alerts(client, network, data):
    response = client.get(reverse("prescribing-overview", args=[network.slug]))

    assert reverse("prescribing-alert-subscribe", args=[network.slug]) in response.text


# The demo ------------------------------------------------------------------------

@pytest.mark.slow
def test_demo_subscriptions_are_confirmed_and_emailed_nothing_for_the_loaded_month(
        site, network, data):
    from msknet.prescribing.demo import load_demo_alerts

    added = load_demo_alerts()

    demo = AlertSubscription.objects.filter(network=network)
    assert added == demo.count() == 3
    assert {s.level for s in demo} == {"icb", "sub_icb", "practice"}
    assert all(s.confirmed and s.email.endswith("@example.org") for s in demo)
    assert site.send_alerts() == 0
    assert mail.outbox == []


@pytest.mark.slow
def test_importing_through_the_site_queues_the_alerts_for_the_new_month(
        site, data, settings, tmp_path):
    from msknet.cli import cli

    site.confirmed("moved@example.org", data.moved)
    # A fresh store for the site, filled by the command as an operator would.
    settings.DATA_DIR = tmp_path
    files = sorted(str(p) for p in (data.root / "in").glob("EPD_*.csv"))
    sizes = sorted(str(p) for p in (data.root / "in").glob("gp-reg-*.csv"))
    args = ["prescribing", "import", *files, "--store", str(tmp_path / "prescribing")]
    for path in sizes:
        args += ["--list-sizes", path]

    with site.on_commit(execute=True):
        result = CliRunner().invoke(cli, args)

    assert result.exit_code == 0, result.output
    assert "Prescribing alerts for the latest month are queued." in result.output
    [message] = mail.outbox
    assert message.to == ["moved@example.org"] and "April 2025" in message.subject


def test_alerts_for_a_month_without_data_are_refused_and_mark_nothing(site, data):
    from msknet.cli import cli

    subscription = site.confirmed("moved@example.org", data.moved)

    result = CliRunner().invoke(cli, ["prescribing", "alerts", "--month", "2031-01"])

    assert result.exit_code == 1
    assert "There is no prescribing data for 2031-01." in result.output
    subscription.refresh_from_db()
    assert subscription.last_checked_month == ""


# A member's own address ----------------------------------------------------------

def test_a_members_subscriptions_are_in_their_data_and_go_with_their_account(
        network, member):
    from msknet.members.actions.accounts import erase_account
    from msknet.members.queries_accounts import personal_data

    AlertSubscriptionFactory(network=network, email=member.email.upper(),
                             org_code="A81001")
    other = AlertSubscriptionFactory(network=network)

    [held] = personal_data(member)["prescribing_alerts"]
    erase_account(user=member)

    assert held["organisation"] == "practice A81001"
    assert held["network"] == network.name
    assert list(AlertSubscription.objects.all()) == [other]
