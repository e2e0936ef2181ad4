"""A visitor reads the network's prescribing overview, an ICB's measure page and
a practice's; every chart draws and every page passes axe."""

import pytest
from playwright.sync_api import expect

from msknet.analytics import prescribing as rx
from msknet.analytics.prescribing import synth
from msknet.analytics.prescribing.practices import load_practices
from tests.factories.networks import london_network

MEASURE = "opioid_ome"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    files = synth.write_synthetic(root / "in", practices=120, months=14, seed=3,
                                  rows_per_practice=0)
    rx.import_files(rx.Store(root / "prescribing"),
                    [f for f in files if f.name.startswith("EPD")],
                    [f for f in files if not f.name.startswith("EPD")])
    load_practices(rx.Store(root / "prescribing"),
                   synth.write_epraccur(root / "in", practices=120, seed=3))
    return root


@pytest.fixture
def store(data_dir, settings):
    # The live server runs in this process, so it reads the same settings.
    settings.DATA_DIR = data_dir
    return rx.Store(data_dir / "prescribing")


def charts_drawn(page):
    containers = page.locator("[data-msknet-chart]")
    for i in range(containers.count()):
        expect(containers.nth(i).locator("svg")).to_have_count(1)
    return containers.count()


def test_visitor_reads_the_opioid_overview_and_measure_pages(page, accessible, store, follow_nav):
    network = london_network()

    # The network's navigation leads to the prescribing overview.
    page.goto(f"/n/{network.slug}/")
    follow_nav(page, "Prescribing")
    expect(page.get_by_role("heading", name="Prescribing", level=1)).to_be_visible()
    assert charts_drawn(page) == 1
    expect(page.get_by_role("table").first).to_contain_text("London")
    accessible(page)

    # An ICB's measure page: deciles, SPC and funnel charts, all drawn.
    icb_link = page.locator(f"a[href*='/prescribing/{MEASURE}/icb/']").first
    icb_name = icb_link.inner_text()
    icb_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Total opioid prescribing as oral morphine equivalence")
    assert icb_name in page.content()
    assert charts_drawn(page) == 3
    assert "Variation (latest month)" in page.content()
    assert "have not yet been reviewed by a pharmacist" in page.content()
    accessible(page)

    # A practice from the overview's ranking, named as well as coded.
    follow_nav(page, "Prescribing")
    practice_link = page.locator(f"a[href*='/prescribing/{MEASURE}/practice/']").first
    name, code = practice_link.inner_text().removesuffix(")").split(" (")
    practice_link.click()
    expect(page.locator(".nhsuk-caption-l")).to_have_text(f"{name} (practice {code})")
    assert charts_drawn(page) == 3
    expect(page.get_by_text("Part of NHS")).to_be_visible()  # its ICB, linked
    accessible(page)
