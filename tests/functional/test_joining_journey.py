"""A visitor asks to join, the lead approves, the new member signs in and
finds a colleague in the directory; every page visited passes axe."""

import re

from django.core import mail
from playwright.sync_api import expect

from msknet.members.models import Role
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.users import PASSWORD
from tests.functional.conftest import complete_two_factor


def sign_in(page, email, password, accessible):
    page.goto("/account/sign-in/")
    accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, email)


def test_visitor_joins_is_approved_and_finds_a_colleague(page, accessible, follow_nav):
    network = london_network()
    lead = MembershipFactory(network=network, role=Role.LEAD).user
    MembershipFactory(
        network=network,
        user__full_name="Grace Adeyemi",
        sector="secondary_care",
        profession="rheumatologist",
        share_email=True,
    )

    # A visitor finds the network and asks to join.
    page.goto(f"/n/{network.slug}/")
    accessible(page)
    page.get_by_role("link", name="Ask to join this network").click()
    accessible(page)
    page.get_by_role("button", name="Send request").click()  # empty: errors
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter your full name")
    accessible(page)
    page.get_by_label("Full name").fill("Tom Reilly")
    page.get_by_label("Email address").fill("tom.reilly@example.org")
    page.get_by_label("Community services").check()
    page.get_by_label("Profession").select_option(label="Physiotherapist")
    page.get_by_label("Spinal services").check()
    page.get_by_label("I would like to develop as a leader").check()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    accessible(page)

    # The lead approves it.
    sign_in(page, lead.email, PASSWORD, accessible)
    page.goto(f"/n/{network.slug}/")
    follow_nav(page, "Join requests")
    accessible(page)
    page.get_by_role("link", name="Tom Reilly").click()
    accessible(page)
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Tom Reilly is now a member"
    )
    page.get_by_role("button", name="Sign out").click()

    # The new member follows the emailed link and creates a password.
    welcome = next(m for m in mail.outbox if m.to == ["tom.reilly@example.org"]
                   and "Welcome" in m.subject)
    link = re.search(r"https?://\S+(/account/set-password/\S+)", welcome.body).group(1)
    page.goto(link)
    accessible(page)
    page.get_by_label("New password", exact=True).fill("spinal-pathway-2026")
    page.get_by_label("Confirm new password").fill("spinal-pathway-2026")
    page.get_by_role("button", name="Create password").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    accessible(page)

    # Signed in, they find a colleague in the directory.
    page.goto(f"/n/{network.slug}/directory/")
    accessible(page)
    page.get_by_label("Name").fill("Grace")
    page.get_by_role("button", name="Search").click()
    result = page.locator("main")
    expect(result).to_contain_text("Grace Adeyemi")
    expect(result).to_contain_text("Rheumatologist")
    accessible(page)
