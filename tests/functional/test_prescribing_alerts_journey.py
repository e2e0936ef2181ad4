"""A visitor, with no account, asks for alerts from a practice's page, confirms
from the emailed link and is told the alerts are on; axe on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from msknet.prescribing.models import AlertSubscription
from tests.factories.networks import london_network
from tests.factories.prescribing_alerts import alert_store

MEASURE = "opioid_ome"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return alert_store(tmp_path_factory.mktemp("alerts"))


@pytest.fixture
def data(built, settings):
    # The live server runs in this process, so it reads the same settings.
    settings.DATA_DIR = built.root
    return built


def test_visitor_subscribes_from_a_practice_page_and_confirms(page, accessible, data):
    network = london_network()

    page.goto(f"/n/{network.slug}/prescribing/{MEASURE}/practice/{data.moved}/")
    expect(page.get_by_role(
        "heading", name="Get an email when this organisation's prescribing changes",
    )).to_be_visible()
    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_role("button", name="Get alerts").click()

    expect(page.get_by_role("heading", name="Check your email", level=1)).to_be_visible()
    accessible(page)
    subscription = AlertSubscription.objects.get()
    assert (subscription.org_code, subscription.confirmed) == (data.moved, False)

    # The emailed link asks before it confirms (a mail scanner's visit does not).
    [message] = mail.outbox
    link = re.search(r"https?://\S+(/n/\S+/prescribing/alerts/confirm/\S+/)",
                     message.body).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", name="Confirm your prescribing alerts")
           ).to_be_visible()
    accessible(page)
    page.get_by_role("button", name="Confirm alerts").click()

    expect(page.get_by_role("heading", name="Your prescribing alerts are confirmed")
           ).to_be_visible()
    accessible(page)
    subscription.refresh_from_db()
    assert subscription.confirmed


def test_visitor_chooses_an_organisation_from_the_overview(page, accessible, data):
    network = london_network()

    page.goto(f"/n/{network.slug}/prescribing/")
    page.get_by_role("link", name="Get prescribing alerts").click()
    expect(page.get_by_role("heading", name="Get prescribing alerts", level=1)
           ).to_be_visible()
    accessible(page)

    # A code the data does not hold is refused, naming the field.
    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_label("GP practice").check()
    page.get_by_label("Organisation code").fill("Z99999")
    page.get_by_role("button", name="Get alerts").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "there is no practice Z99999")
    accessible(page)

    page.get_by_label("Organisation code").fill(data.still)
    page.get_by_role("button", name="Get alerts").click()
    expect(page.get_by_role("heading", name="Check your email", level=1)).to_be_visible()
    assert AlertSubscription.objects.get().org_code == data.still
