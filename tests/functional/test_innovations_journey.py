"""From a member's proposal to spread across the network: a member proposes an
innovation serving a strategic priority, with a measure; the lead moves it into
screening and names a panel of two; each panellist sees the other's scores only
once they have scored; the lead records "recommended for spread" against a
steering group meeting; a trust's contact records it piloting, then adopted
(and cannot go back without a note); the spread matrix, adoption curve and map
show it; a visitor finds it in the public catalogue. axe on every page visited."""

import datetime as dt
import re
from datetime import datetime, time

from django.utils import timezone
from playwright.sync_api import expect

from msknet.governance.models import GroupKind
from msknet.innovations.models import Criterion
from msknet.members.models import Role
from msknet.priorities.models import Source
from msknet.priorities.strategic_actions import add_priority
from tests.factories.governance import LONDON_TZ, make_group, make_meeting
from tests.factories.innovations import site
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.users import PASSWORD
from tests.functional.conftest import complete_two_factor

NAME = "Back pain first-contact physiotherapy"


def sign_in(page, user):
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, user)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def score(page, accessible, criteria, value, comment):
    """Score every criterion `value` from the innovation's page, first sending
    the scorecard empty to see each missing score named."""
    page.get_by_role("link", name="Score this innovation").click()
    expect(page.locator("h1")).to_have_text("Score this innovation")
    expect(page.locator(".nhsuk-caption-l")).to_have_text(NAME)
    accessible(page)
    page.get_by_role("button", name="Save your scores").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        f"Choose a score for '{criteria[0].name}'")
    accessible(page)
    for criterion in criteria:
        group = page.get_by_role("group", name=criterion.name, exact=True)
        group.get_by_label(re.compile(rf"^{value}( –|$)")).check()
    page.get_by_label(f"Why this score for '{criteria[0].name}'").fill(comment)
    page.get_by_role("button", name="Save your scores").click()
    expect(page.locator("h1")).to_have_text("The panel's scores")
    expect(page.locator("main")).to_contain_text(
        f"Your scores for '{NAME}' are saved.")
    accessible(page)


def row_cells(table, heading):
    """The texts of the table row whose first cell is `heading`."""
    row = table.locator("tr").filter(
        has=table.page.locator("th", has_text=re.compile(rf"^{re.escape(heading)}$")))
    expect(row).to_have_count(1)
    return [text.strip() for text in row.locator("th, td").all_inner_texts()]


def test_propose_screen_decide_and_spread_an_innovation(page, accessible, follow_nav):
    network = london_network()
    today = timezone.localdate()
    lead = MembershipFactory(network=network, role=Role.LEAD,
                             user__full_name="Lena Lead").user
    first = MembershipFactory(network=network, role=Role.STEERING,
                              user__full_name="Fatima Khan").user
    second = MembershipFactory(network=network, role=Role.STEERING,
                               user__full_name="Sam Okoro").user
    member = MembershipFactory(network=network, role=Role.MEMBER,
                               user__full_name="Mo Member").user
    # The site contact works for an NHS trust in one of London's ICBs: the
    # adoption form offers their own organisation, and the rule lets them
    # record its status.
    icb = network.icbs.order_by("name").first()
    trust = site(network, name="Riverside MSK NHS Trust", icb=icb)
    contact = MembershipFactory(network=network, role=Role.MEMBER,
                                organisation=trust,
                                user__full_name="Cara Contact").user
    priority = add_priority(network=network, by=lead, source=Source.NETWORK,
                            title="Faster access to MSK assessment")
    steering = make_group(network, chair=lead, name="Steering group",
                          kind=GroupKind.STEERING)
    meeting_day = today - dt.timedelta(days=3)
    make_meeting(
        steering, title="Innovations review",
        starts_at=datetime.combine(meeting_day, time(14), tzinfo=LONDON_TZ))

    # The live server's first page loads templates and code: on a busy
    # machine that alone can outlast the default timeout.
    page.goto("/account/sign-in/", timeout=120_000)

    # 1. The member proposes it, serving one of the network's priorities.
    sign_in(page, member)
    page.goto(f"/n/{network.slug}/")
    follow_nav(page, "Innovations")
    expect(page.locator("h1")).to_have_text("Innovations")
    accessible(page)
    page.get_by_role("link", name="Propose an innovation").click()
    expect(page.locator("h1")).to_have_text("Propose an innovation")
    accessible(page)
    page.get_by_role("button", name="Propose the innovation").click()
    summary = page.locator(".nhsuk-error-summary")
    for message in ["Enter the innovation's name",
                    "Choose what kind of innovation it is",
                    "Summarise the innovation in one sentence",
                    "Say what problem it solves", "Say who it is for"]:
        expect(summary).to_contain_text(message)
    accessible(page)
    page.get_by_label("Name", exact=True).fill(NAME)
    page.get_by_label("Pathway or model of care").check()
    page.get_by_label("Summary", exact=True).fill(
        "Adults with back pain see a physiotherapist first, without a GP visit.")
    page.get_by_label("What problem does it solve?").fill(
        "People wait weeks for a GP appointment before reaching physiotherapy.")
    page.get_by_label("Who is it for?").fill(
        "Adults with low back pain in primary care.")
    page.get_by_label(priority.title).check()
    page.get_by_label("Emerging").check()
    page.get_by_role("button", name="Propose the innovation").click()
    expect(page.locator("h1")).to_have_text(NAME)
    main = page.locator("main")
    expect(main).to_contain_text(f"{NAME} is proposed.")
    expect(main).to_contain_text("Proposed by Mo Member")
    expect(main).to_contain_text(priority.title)
    accessible(page)

    # ... and the measure every spread project will start with.
    page.get_by_role("link", name="Add a measure").click()
    expect(page.locator("h1")).to_have_text("Add a measure")
    accessible(page)
    page.get_by_label("Outcome measure").check()
    page.get_by_label("Name", exact=True).fill("Seen within 2 weeks")
    page.get_by_label("Definition").fill(
        "Back pain referrals assessed within 14 days / all back pain referrals.")
    page.get_by_label("Unit").fill("%")
    page.get_by_label("Higher is better").check()
    page.get_by_role("button", name="Save the measure").click()
    expect(main).to_contain_text("The measure is saved.")
    expect(page.locator("#measures + table")).to_contain_text("Seen within 2 weeks (%)")
    accessible(page)
    innovation_url = page.url.split("#")[0]
    sign_out(page)

    # 2. The lead moves it into screening and names a panel of two.
    sign_in(page, lead)
    page.goto(innovation_url)
    page.get_by_role("link", name="Move it through triage").click()
    expect(page.locator("h1")).to_have_text("Move it through triage")
    accessible(page)
    page.get_by_label("Screening", exact=True).check()
    page.get_by_role("button", name="Move it").click()
    expect(main).to_contain_text(f"{NAME} is now screening.")
    expect(page.locator(".nhsuk-tag").first).to_have_text("Screening")
    accessible(page)

    page.goto(f"/n/{network.slug}/innovations/screening/")
    expect(page.locator("h1")).to_have_text("Innovation screening")
    accessible(page)
    page.get_by_role("link", name="Change who is on the panel").click()
    expect(page.locator("h1")).to_have_text("Screening panel")
    accessible(page)
    picker = page.get_by_role("combobox", name="Add a panellist")
    for panellist in (first, second):
        picker.fill(panellist.full_name.split()[0])
        page.get_by_role("option", name=panellist.full_name).click()
        page.get_by_role("button", name="Save the panel").click()
        expect(main).to_contain_text(f"{panellist.full_name} is on the panel.")
        expect(page.get_by_role("checkbox", name=panellist.full_name)).to_be_checked()
    accessible(page)
    sign_out(page)
    criteria = list(Criterion.objects.filter(network=network).order_by("position"))

    # 3. The first panellist scores; nobody else has yet.
    sign_in(page, first)
    page.goto(innovation_url)
    expect(main).to_contain_text("0 of 2 panellists; you have not scored it yet")
    expect(page.get_by_role("link", name="See the panel's scores")).to_have_count(0)
    accessible(page)
    score(page, accessible, criteria, 5, "Strong trial evidence")
    scores_url = page.url
    expect(main).to_contain_text("Fatima Khan: 5.00")
    expect(main).to_contain_text("Strong trial evidence")
    expect(main).not_to_contain_text("Sam Okoro")
    page.goto(innovation_url)
    expect(main).to_contain_text("1 of 2 panellists; you have scored it")
    page.get_by_role("link", name="See the panel's scores").click()
    expect(page.locator("h2", has_text=": ")).to_have_text(["Fatima Khan: 5.00"])
    accessible(page)
    sign_out(page)

    # The second sees nothing of the first's scores until scoring too.
    sign_in(page, second)
    page.goto(innovation_url)
    expect(main).to_contain_text("1 of 2 panellists; you have not scored it yet")
    expect(page.get_by_role("link", name="See the panel's scores")).to_have_count(0)
    expect(main).not_to_contain_text("Strong trial evidence")
    accessible(page)
    response = page.goto(scores_url)
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("You cannot see this page")
    expect(main).not_to_contain_text("Fatima Khan")
    accessible(page)
    page.goto(innovation_url)
    score(page, accessible, criteria, 3, "Depends on recruiting physios")
    expect(page.locator("h2", has_text=": ")).to_have_text(
        ["Fatima Khan: 5.00", "Sam Okoro: 3.00"])
    expect(main).to_contain_text("Strong trial evidence")
    expect(main).to_contain_text("Depends on recruiting physios")
    # Having scored, the steering member sees it ranked with the panel's spread.
    page.goto(f"/n/{network.slug}/innovations/screening/")
    ranking = page.locator("#ranking")
    expect(ranking.locator("tbody tr").first).to_contain_text(NAME)
    ranked = ranking.locator("tbody tr").first.locator("td").all_inner_texts()
    assert [cell.strip() for cell in ranked] == [
        "1", NAME, "4.00", "3.00 to 5.00", "1.41", "2"]
    accessible(page)
    sign_out(page)

    # 4. The lead finds it on the ranking page, and records the steering
    #    group's decision to recommend it for spread.
    sign_in(page, lead)
    page.goto(f"/n/{network.slug}/innovations/screening/")
    expect(page.locator("#to-score tbody tr").first).to_contain_text(f"{NAME} 2 of 2")
    ranking = page.locator("#ranking")
    expect(ranking.locator("tbody tr")).to_have_count(1)
    accessible(page)
    ranking.get_by_role("link", name=NAME).click()
    page.get_by_role("link", name="Record the decision").click()
    expect(page.locator("h1")).to_have_text("Record the decision")
    # The lead has not scored it, so its scores stay hidden until the decision.
    expect(main).to_contain_text("2 panellists scored it. You see their scores "
                                 "once the decision is recorded.")
    expect(page.get_by_role("link", name="See the scores")).to_have_count(0)
    accessible(page)
    meeting_label = f"Steering group: Innovations review, {meeting_day:%-d %B %Y}"
    page.get_by_label("Recommended for spread").check()
    page.get_by_label("Meeting that decided").select_option(label=meeting_label)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("h1")).to_have_text(NAME)
    expect(main).to_contain_text(f"The decision on '{NAME}' is recorded")
    decision = page.locator("#screening + dl")
    expect(decision).to_contain_text(f"Recommended for spread, {today:%-d %B %Y}")
    expect(decision).to_contain_text(meeting_label)
    accessible(page)
    # Decided, its scores are open to the lead; screening has nothing left.
    page.get_by_role("link", name="See the panel's scores").click()
    expect(page.locator("h2", has_text=": ")).to_have_text(
        ["Fatima Khan: 5.00", "Sam Okoro: 3.00"])
    accessible(page)
    page.goto(f"/n/{network.slug}/innovations/screening/")
    expect(page.locator("#ranking")).to_contain_text("No innovations are in screening.")
    sign_out(page)

    # 5. The trust's contact records it piloting there, then adopted.
    piloting_on = today - dt.timedelta(days=62)
    adopted_on = today - dt.timedelta(days=5)
    sign_in(page, contact)
    page.goto(innovation_url)
    page.get_by_role("link", name="Record a site's status").click()
    expect(page.locator("h1")).to_have_text("Record a site's status")
    # Their own trust is chosen for them.
    expect(page.get_by_role("combobox", name="Site")).to_have_value(
        f"Riverside MSK NHS Trust ({icb.short_name})")
    accessible(page)
    page.get_by_label("Piloting").check()
    page.get_by_label("When it happened").fill(piloting_on.isoformat())
    page.get_by_role("button", name="Record the status").click()
    expect(page.locator("h1")).to_have_text("Riverside MSK NHS Trust")
    expect(main).to_contain_text("Recorded: Riverside MSK NHS Trust is piloting")
    accessible(page)
    page.get_by_label("Adopted").check()
    page.get_by_label("When it happened").fill(adopted_on.isoformat())
    page.get_by_role("button", name="Record the change").click()
    expect(main).to_contain_text("Recorded: Riverside MSK NHS Trust is adopted")
    history = page.locator("table").first
    expect(history.locator("tbody tr")).to_have_count(2)
    accessible(page)

    # Going back a step needs a note saying why: refused, nothing saved.
    page.get_by_label("Piloting").check()
    page.get_by_label("When it happened").fill(today.isoformat())
    page.get_by_role("button", name="Record the change").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Add a note saying why the site went from adopted to piloting")
    expect(page.locator(".nhsuk-error-message")).to_contain_text(
        "Add a note saying why")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(main).to_contain_text(f"Adopted since {adopted_on:%-d %B %Y}")
    accessible(page)
    page.reload()
    expect(page.locator("table").first.locator("tbody tr")).to_have_count(2)

    # 6. The spread matrix, the adoption curve and the map show it in use.
    page.goto(innovation_url)
    expect(page.locator("#adoption ~ ul").first).to_contain_text("Adopted: 1 site")
    page.get_by_role("link", name="Compare every innovation's spread by site").click()
    expect(page.locator("h1")).to_have_text("Spread of innovations by site")
    matrix = page.locator(".spread-matrix table")
    expect(matrix.locator("thead")).to_contain_text(NAME)
    cells = row_cells(matrix, "Riverside MSK NHS Trust")
    assert cells[0] == "Riverside MSK NHS Trust"
    assert cells[1].startswith("Adopted"), cells
    accessible(page)

    page.goto(innovation_url)
    page.get_by_role("link", name="Every site and its history").click()
    expect(page.locator("h1")).to_have_text("Where it is in use")
    expect(page.locator("[data-msknet-chart] svg")).to_have_count(1)
    page.get_by_text("Show the data as a table").click()
    curve = page.locator(".msknet-chart-section table")
    expect(curve.locator("caption")).to_have_text(f"Adoption of {NAME} over time")
    #                         not started, aware, exploring, piloting, adopted,
    #                         sustained, stopped, sites with a record
    assert row_cells(curve, f"{piloting_on:%B %Y}")[1:] == [
        "0", "0", "0", "1", "0", "0", "0", "1"]
    assert row_cells(curve, f"{today:%B %Y}")[1:] == [
        "0", "0", "0", "0", "1", "0", "0", "1"]
    accessible(page)

    page.get_by_role("link", name="See it on the map of ICBs").click()
    expect(page.locator("h1")).to_have_text("Map of spread by ICB")
    expect(page.locator(".nhsuk-caption-l")).to_have_text(NAME)
    page.get_by_text("Show the data as a table").click()
    tiles = page.locator(".msknet-chart-section table")
    #                          aware, exploring, piloting, adopted, sustained,
    #                          stopped, in use
    assert row_cells(tiles, icb.short_name)[1:] == ["0", "0", "0", "1", "0", "0", "1"]
    accessible(page)
    sign_out(page)

    # 7. A visitor finds it in the public catalogue by name and kind.
    page.goto(f"/n/{network.slug}/innovations/")
    expect(page.locator("h1")).to_have_text("Innovations")
    accessible(page)
    page.get_by_label("Search", exact=True).fill("first-contact")
    page.get_by_label("Kind", exact=True).select_option(label="Pathway or model of care")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-count")).to_have_text("1 innovation found")
    expect(main).to_contain_text("In use at 1 site.")
    accessible(page)
    page.get_by_role("link", name=NAME).click()
    expect(page.locator("h1")).to_have_text(NAME)
    expect(main).to_contain_text("Recommended for spread")
    expect(main).to_contain_text("Adopted: 1 site")
    accessible(page)
