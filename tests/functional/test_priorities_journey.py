"""From an idea to measured improvement: a member nominates in an open round;
two panellists score it, each seeing the other's scores only once they have
scored; the lead sees the ranking and selects it, starts a QI project from
it, adds a measure and uploads its data, and the SPC chart shows the shift
with its icons. axe on every page visited."""

import datetime as dt
import re

from playwright.sync_api import expect

from msknet.improvement.models import QIProject
from msknet.members.models import Role
from msknet.priorities.models import Decision, Nomination
from tests.factories.improvement import SHIFT, monthly
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.priorities import round_with_criteria
from tests.factories.users import PASSWORD
from tests.functional.conftest import complete_two_factor


def sign_in(page, user):
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, user)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def score(page, accessible, criteria, value, comment):
    page.get_by_role("link", name="Score this nomination").click()
    expect(page.locator("main")).to_contain_text(
        "Score each criterion from 1 (does not meet the criterion) to 5")
    accessible(page)
    # Sending nothing lists every missing score in the error summary.
    page.get_by_role("button", name="Save your scores").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        f"Choose a score for '{criteria[0].name}'")
    accessible(page)
    for criterion in criteria:
        group = page.get_by_role("group", name=criterion.name)
        group.get_by_label(re.compile(rf"^{value}( –|$)")).check()
    page.get_by_label(f"Why this score for '{criteria[0].name}'").fill(comment)
    page.get_by_role("button", name="Save your scores").click()
    expect(page.locator("main")).to_contain_text("Panel scores")
    accessible(page)


def test_nominate_score_select_and_measure_the_project(page, accessible, tmp_path):
    network = london_network()
    lead = MembershipFactory(network=network, role=Role.LEAD).user
    first = MembershipFactory(network=network, role=Role.STEERING).user
    second = MembershipFactory(network=network, role=Role.STEERING).user
    member = MembershipFactory(network=network, role=Role.MEMBER).user
    round = round_with_criteria(network, by=lead, title="Priorities 2026/27")
    criteria = list(round.criteria.all())

    # The live server's first page loads templates and code: on a busy
    # machine that alone can outlast the default timeout.
    page.goto("/account/sign-in/", timeout=120_000)

    # The member nominates while the round is open.
    sign_in(page, member)
    page.goto(f"/n/{network.slug}/priorities/")
    accessible(page)
    page.get_by_role("link", name="Priorities 2026/27").click()
    accessible(page)
    page.get_by_role("link", name="Nominate a project").click()
    accessible(page)
    page.get_by_role("button", name="Send your nomination").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a title")
    accessible(page)
    page.get_by_label("Title", exact=True).fill("Faster first-contact physiotherapy")
    page.get_by_label("What is the problem?").fill("Long waits for assessment.")
    page.get_by_label("Who does it affect?").fill("Adults with back pain.")
    page.get_by_label(network.icbs.first().short_name).check()
    page.get_by_label("What variation in care").fill("Waits vary fivefold.")
    page.get_by_label("Expected benefit for access").fill("Same-week assessment.")
    page.get_by_label("Expected benefit for outcomes").fill("Less chronic pain.")
    page.get_by_label("Expected benefit for experience").fill("Right person first.")
    page.get_by_label("Which health inequality").fill("Deprived areas wait longest.")
    page.get_by_label("Short term (under 1 year)").check()
    page.get_by_label("What resources would it need?").fill("Two practitioners.")
    page.get_by_role("button", name="Send your nomination").click()
    expect(page.locator("h1")).to_have_text("Faster first-contact physiotherapy")
    accessible(page)
    nomination = Nomination.objects.get()
    sign_out(page)

    # The lead closes nominations, so screening starts.
    sign_in(page, lead)
    page.goto(round.get_absolute_url())
    page.get_by_role("button", name="Close nominations now").click()
    # Closing cannot be undone, so the lead is asked first.
    expect(page.locator("h1")).to_contain_text("to nominations now?")
    accessible(page)
    page.get_by_role("button", name="Close nominations", exact=True).click()
    expect(page.locator("main")).to_contain_text("Screening")
    accessible(page)
    sign_out(page)

    # The first panellist scores; nobody else has yet.
    sign_in(page, first)
    page.goto(nomination.get_absolute_url())
    expect(page.locator("main")).to_contain_text(
        "once you have scored this nomination yourself")
    accessible(page)
    score(page, accessible, criteria, 5, "Clear gap in access")
    sign_out(page)

    # The second sees nothing of the first's scores until scoring too.
    sign_in(page, second)
    page.goto(round.get_absolute_url())
    page.get_by_role("link", name="Score the nominations").click()
    accessible(page)
    page.get_by_role("link", name="Faster first-contact physiotherapy",
                     exact=True).click()
    expect(page.locator("main")).not_to_contain_text("Clear gap in access")
    score(page, accessible, criteria, 3, "Depends on recruitment")
    expect(page.locator("main")).to_contain_text("Clear gap in access")
    sign_out(page)

    # The lead closes screening, sees the ranking and selects the nomination.
    sign_in(page, lead)
    page.goto(round.get_absolute_url())
    page.get_by_role("button", name="Close screening").click()
    page.get_by_role("button", name="Close screening").click()  # confirm
    page.get_by_role("link", name="Ranking").click()
    ranking = page.locator("#ranking")
    expect(ranking).to_contain_text("4.00")
    expect(ranking).to_contain_text("3.00 to 5.00")
    accessible(page)
    page.get_by_role("link", name="Record the decision on Faster").click()
    accessible(page)
    page.get_by_label("Selected").check()
    page.get_by_label("Minute reference").fill("SG 2026-05 item 3")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#ranking")).to_contain_text("Selected")
    accessible(page)
    page.get_by_role("link", name="See the proposed portfolio").click()
    expect(page.locator("main")).to_contain_text("Faster first-contact physiotherapy")
    accessible(page)

    nomination.refresh_from_db()
    assert nomination.decision == Decision.SELECTED

    # The selected nomination becomes a QI project.
    page.goto(f"/n/{network.slug}/projects/new/")
    accessible(page)
    page.get_by_role("link", name="Faster first-contact physiotherapy").click()
    expect(page.locator("main")).to_contain_text("Long waits for assessment.")
    accessible(page)
    page.get_by_role("button", name="Start the project").click()
    # Next, the project's details, to write its SMART aim.
    expect(page.locator("h1")).to_have_text("Edit the project's details")
    accessible(page)
    page.get_by_label("SMART aim").fill(
        "80% of referrals assessed within 2 weeks in both ICBs by March 2027")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator("h1")).to_have_text("Faster first-contact physiotherapy")
    accessible(page)
    project = QIProject.objects.get()
    assert project.nomination == nomination

    # A measure, and two years of its data with a shift after the change.
    page.get_by_role("link", name="Add a measure").click()
    page.get_by_label("Outcome measure").check()
    page.get_by_label("Name").fill("Seen within 2 weeks")
    page.get_by_label("Definition").fill("Referrals assessed within 14 days.")
    page.get_by_label("Unit").fill("%")
    page.get_by_label("Higher is better").check()
    page.get_by_label("Target").fill("80")
    page.get_by_role("button", name="Add measure").click()
    expect(page.get_by_text("An SPC chart needs at least 12")).to_be_visible()
    accessible(page)
    rows = [f"{p:%Y-%m},{v}" for p, v in
            zip(monthly(dt.date(2024, 1, 1), 24), SHIFT, strict=True)]
    data = tmp_path / "seen.csv"
    data.write_text("period,value\n" + "\n".join(rows) + "\n")
    page.get_by_role("link", name="Upload data from a CSV file").click()
    page.get_by_label("Upload a CSV file").set_input_files(str(data))
    page.get_by_role("button", name="Check and upload").click()
    expect(page.get_by_text("24 data points added and 0 updated.")).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        "Special cause variation: improvement (higher)")
    expect(page.get_by_role("img", name="Variation: Special cause variation: "
                            "improvement (higher)").first).to_be_visible()
    expect(page.locator("[data-msknet-chart] svg")).to_have_count(1)
    accessible(page)

    # The project's timeline starts from the nomination.
    page.goto(f"/n/{network.slug}/projects/{project.pk}/timeline/")
    expect(page.locator(".qi-timeline")).to_contain_text(
        "Seen within 2 weeks: special cause: improvement")
    accessible(page)
