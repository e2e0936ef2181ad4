"""A lead opens an improvement project, uploads a measure's data with a clear
shift, and the SPC chart shows the signal and its icons; every page passes axe."""

import datetime as dt

from playwright.sync_api import expect

from msknet.members.models import Role
from tests.factories.improvement import (
    SHIFT,
    MeasureFactory,
    QIProjectFactory,
    TeamMemberFactory,
    change_idea,
    monthly,
)
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.users import PASSWORD
from tests.functional.conftest import complete_two_factor


def charts_drawn(page):
    """Every chart on the page drew (vega-embed put an SVG in each container)."""
    containers = page.locator("[data-msknet-chart]")
    for i in range(containers.count()):
        expect(containers.nth(i).locator("svg")).to_have_count(1)
    return containers.count()


def test_lead_uploads_a_shift_and_the_chart_shows_it(page, accessible, tmp_path):
    network = london_network()
    lead = MembershipFactory(network=network, role=Role.LEAD).user
    partner = MembershipFactory(network=network, role=Role.MEMBER).user
    project = QIProjectFactory(network=network, title="First contact physio access")
    TeamMemberFactory(project=project, user=partner, role="Partner",
                      lived_experience=True)
    change_idea(project, "Same-day triage list")
    MeasureFactory(project=project, name="Seen within 2 weeks", target=80)
    rows = [f"{p:%Y-%m},{v}" for p, v in
            zip(monthly(dt.date(2024, 1, 1), 24), SHIFT, strict=True)]
    rows[12] += ",,Same-day triage list"
    data = tmp_path / "seen.csv"
    data.write_text("period,value,quintile,annotation\n" + "\n".join(rows) + "\n")

    # The first request loads the whole site; allow for a busy machine.
    page.set_default_timeout(30_000)
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, lead)

    # The network's navigation links to the board (perhaps under "More" on a
    # narrow screen).
    board = f"/n/{network.slug}/projects/"
    page.goto(f"/n/{network.slug}/")
    expect(page.locator(f'.nhsuk-header__navigation-link[href="{board}"]')
           ).to_have_text("Projects")
    page.goto(board)
    expect(page.get_by_role("heading", name="Improvement projects", level=1)
           ).to_be_visible()
    accessible(page)

    # The project, with its team's lived-experience partner and the diagram.
    page.get_by_role("link", name="First contact physio access").click()
    expect(page.get_by_text("Lived-experience partner").first).to_be_visible()
    expect(page.locator(".qi-tree")).to_contain_text("Same-day triage list")
    accessible(page)
    page.get_by_role("link", name="Change the driver diagram").click()
    expect(page.get_by_role("heading", name="Driver diagram", level=1)).to_be_visible()
    accessible(page)
    page.go_back()

    # The measure has no data yet: upload the CSV.
    page.get_by_role("link", name="Seen within 2 weeks").click()
    expect(page.get_by_text("An SPC chart needs at least 12")).to_be_visible()
    accessible(page)
    page.get_by_role("link", name="Upload data from a CSV file").click()
    accessible(page)
    page.get_by_label("Upload a CSV file").set_input_files(str(data))
    page.get_by_role("button", name="Check and upload").click()

    # The chart shows the shift, its icons and the annotation.
    expect(page.get_by_text("24 data points added and 0 updated.")).to_be_visible()
    summary = page.locator(".nhsuk-summary-list").nth(1)
    expect(summary).to_contain_text("Special cause variation: improvement (higher)")
    expect(summary).to_contain_text("The target is consistently not met")
    expect(summary).to_contain_text("a shift: a run of 7 or more above the mean")
    expect(page.get_by_role("img", name="Variation: Special cause variation: "
                            "improvement (higher)").first).to_be_visible()
    assert charts_drawn(page) == 1
    page.get_by_text("Show the data as a table").click()
    expect(page.locator("table").first).to_contain_text("Same-day triage list")
    accessible(page)

    # Its timeline has the signal.
    page.goto(f"/n/{network.slug}/projects/{project.pk}/timeline/")
    expect(page.locator(".qi-timeline")).to_contain_text(
        "Seen within 2 weeks: special cause: improvement")
    accessible(page)
