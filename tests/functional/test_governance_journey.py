"""A lead records a meeting with attendance, a decision and an action owned by
another member; the member finds it in "My actions" and marks it done; the
decision is in the network's decision log. axe on every page visited."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from msknet.governance.models import Action, ActionStatus
from msknet.members.models import Role
from tests.factories.governance import make_group
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.users import PASSWORD
from tests.functional.conftest import complete_two_factor


def sign_in(page, user):
    page.goto(reverse("sign-in"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, user)


@pytest.fixture
def checked(accessible):
    """axe once the page has loaded and the header has moved the links that do
    not fit into its "More" menu (checked mid-move, they sit unstyled)."""

    def check(page):
        page.wait_for_load_state("load")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                      "requestAnimationFrame(r)))")
        accessible(page)

    return check


def test_lead_records_meeting_and_owner_completes_action(page, checked):
    network = london_network()
    lead = MembershipFactory(network=network, role=Role.LEAD).user
    owner = MembershipFactory(network=network, role=Role.MEMBER).user
    absent = MembershipFactory(network=network, role=Role.MEMBER).user
    group = make_group(network, chair=lead, members=[owner, absent])

    sign_in(page, lead)
    page.goto(reverse("group-list", args=[network.slug]))
    checked(page)
    page.get_by_role("link", name=group.name).click()
    checked(page)
    page.get_by_role("link", name="Arrange a meeting").click()
    checked(page)
    page.get_by_label("Title").fill("Pathway group, March 2025")
    page.get_by_label("Starts").fill("2025-03-12T14:00")
    page.get_by_label("Online meeting link").fill("https://teams.example.nhs.uk/m/1")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.locator("h1")).to_have_text("Pathway group, March 2025")
    expect(page.locator("main")).to_contain_text("Wednesday 12 March 2025, 14:00")
    checked(page)

    page.get_by_role("link", name="Record attendance").click()
    checked(page)
    page.get_by_role("group", name=owner.display_name).get_by_label(
        "Present").check()
    page.get_by_role("group", name=absent.display_name).get_by_label(
        "Apologies").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("main")).to_contain_text("Attendance saved.")

    page.get_by_role("link", name="Record a decision").click()
    checked(page)
    page.get_by_label("Decision", exact=True).fill(
        "Adopt the low back pain pathway across the network.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("main")).to_contain_text("Decision D-2025-001 recorded.")

    page.get_by_role("link", name="Record an action").click()
    checked(page)
    page.get_by_label("Action", exact=True).fill("Circulate the pathway to ICB leads")
    # The owner picker is searchable: type part of the name and pick it.
    page.get_by_role("combobox", name="Owner").fill(owner.display_name[:5])
    page.get_by_role("option", name=owner.display_name).click()
    page.get_by_label("Due date").fill("2025-04-30")
    page.get_by_role("button", name="Record action").click()
    expect(page.locator("main")).to_contain_text(f"Action for {owner.display_name}")
    expect(page.locator("main")).to_contain_text("Overdue")
    checked(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, owner)
    page.goto(reverse("my-actions", args=[network.slug]))
    expect(page.locator("main")).to_contain_text("Circulate the pathway to ICB leads")
    expect(page.locator("main")).to_contain_text("1 open action is overdue")
    checked(page)
    page.get_by_role("link", name="Update action").click()
    checked(page)
    page.get_by_label("Done").check()
    page.get_by_role("button", name="Save status").click()
    expect(page.locator("main")).to_contain_text("Action marked done.")
    expect(page.locator("main")).to_contain_text("You have no open actions.")
    checked(page)
    assert Action.objects.get().status == ActionStatus.DONE

    page.goto(reverse("decision-list", args=[network.slug]))
    checked(page)
    page.get_by_label("Words or reference").fill("pathway")
    page.get_by_role("button", name="Search decisions").click()
    expect(page.locator("main")).to_contain_text("D-2025-001")
    expect(page.locator("main")).to_contain_text("1 decision")
    checked(page)
