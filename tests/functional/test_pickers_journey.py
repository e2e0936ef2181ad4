"""A lead finds a panellist by typing part of their name, not by scrolling a
list of every member; the picker is a plain select underneath. axe on the way."""

from django.urls import reverse
from playwright.sync_api import expect

from msknet.members.models import Role
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.priorities import round_with_criteria
from tests.factories.users import PASSWORD
from tests.functional.conftest import complete_two_factor


def sign_in(page, user):
    page.goto(reverse("sign-in"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, user)


def test_lead_types_part_of_a_name_to_add_a_panellist(page, accessible):
    network = london_network()
    lead = MembershipFactory(network=network, role=Role.LEAD).user
    for name in ["Priya Patel", "Peter Parker", "Olu Adeyemi", "Grace Hopper"]:
        MembershipFactory(network=network, user__full_name=name)
    round = round_with_criteria(network, by=lead)

    sign_in(page, lead)
    page.goto(reverse("priorities-panel", args=[network.slug, round.pk]))
    picker = page.get_by_role("combobox", name="Add a panellist")
    expect(picker).to_be_visible()
    expect(page.locator("select#id_add-select")).to_be_hidden()
    accessible(page)

    picker.fill("adey")
    options = page.get_by_role("option")
    expect(options).to_have_count(1)
    accessible(page)
    options.first.click()
    expect(picker).to_have_value("Olu Adeyemi")
    # The hidden select, which the form sends, follows the box.
    olu = round.network.memberships.get(user__full_name="Olu Adeyemi").user
    expect(page.locator("select#id_add-select")).to_have_value(str(olu.pk))
    page.get_by_role("button", name="Save the panel").click()

    expect(page.locator("main")).to_contain_text("Olu Adeyemi is on the panel.")
    expect(page.get_by_role("checkbox", name="Olu Adeyemi")).to_be_checked()
    accessible(page)
    assert [u.full_name for u in round.panel.all()] == ["Olu Adeyemi"]
