"""A lead imports a Fingertips file, then anyone reads the population-health
pages built from it; every chart draws and every page passes axe."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from playwright.sync_api import expect

from msknet.members.models import Role
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.users import PASSWORD
from tests.functional.conftest import complete_two_factor

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "fingertips" / "msk_icbs.csv"
MSK = "percentage-reporting-a-long-term-musculoskeletal-msk-problem"
HIP = "hip-fractures-in-people-aged-65-and-over"
ENGLAND, NCL, NENC = "E92000001", "E54000028", "E54000050"


@pytest.fixture
def areas():
    # The browser tests flush the database after each test, taking the areas
    # the insights migration seeds with it: seed them again the same way.
    importlib.import_module("msknet.insights.migrations.0002_seed_areas").seed(apps, None)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def charts_drawn(page):
    """Every chart on the page drew (vega-embed put an SVG in each container)."""
    containers = page.locator("[data-msknet-chart]")
    for i in range(containers.count()):
        expect(containers.nth(i).locator("svg")).to_have_count(1)
    return containers.count()


def open_page(page, accessible, url, *texts):
    page.goto(url)
    for text in texts:
        assert text in page.content(), f"{text!r} is not on {url}"
    drawn = charts_drawn(page)
    accessible(page)
    return drawn


def test_lead_imports_fingertips_data_and_reads_the_pages(page, accessible, areas, media, follow_nav):
    network = london_network()
    lead = MembershipFactory(network=network, role=Role.LEAD).user
    base = f"/n/{network.slug}/insights"

    # The lead signs in and imports the Fingertips file.
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, lead)
    page.goto(f"{base}/import/")
    accessible(page)
    page.get_by_label("Fingertips indicator data").check()
    page.get_by_label("Upload a file").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Imported")
    accessible(page)

    # The network's navigation leads to the indicators.
    follow_nav(page, "Population health")
    expect(page.get_by_role("heading", name="Population health", level=1)).to_be_visible()
    accessible(page)
    page.get_by_role(
        "link", name="Percentage reporting a long-term Musculoskeletal (MSK) problem",
        exact=True).click()
    expect(page).to_have_url(re.compile(f"{MSK}/$"))

    # The indicator page: North East and North Cumbria's 22.5% in 2023.
    assert open_page(page, accessible, f"{base}/{MSK}/",
                     "22.5", "Compared with England using the 95% confidence") == 1
    page.get_by_label("Period").select_option("2022")
    page.get_by_role("button", name="Show this period").click()
    expect(page.locator("h2").first).to_have_text("2022")
    assert "22.2" in page.content()

    # The area profile, the trend, the inequality page and the funnel.
    assert open_page(page, accessible, f"{base}/areas/{NCL}/", "15.3", "17.0") == 1
    assert open_page(page, accessible, f"{base}/{MSK}/areas/{NENC}/trend/",
                     "22.2", "22.5") == 1
    assert open_page(page, accessible, f"{base}/{MSK}/areas/{ENGLAND}/inequality/",
                     "20.5", "12.9", "slope index of inequality (SII) is") == 2
    assert "It is too early to say" in page.content()
    assert open_page(page, accessible, f"{base}/{MSK}/funnel/", "22.5",
                     "Above the 99.8% limit") == 1
    # Hip fractures: a directly standardised rate, from the shipped metadata.
    assert open_page(page, accessible, f"{base}/{HIP}/", "590.0") == 1
    assert open_page(page, accessible, f"{base}/{HIP}/funnel/",
                     "Limits are exact Poisson limits") == 1

    # Signed out, anyone can read them and the network home's headline.
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"/n/{network.slug}/")
    expect(page.get_by_role("table").first).to_contain_text("North Central London")
    assert "15.3" in page.content()
    accessible(page)
