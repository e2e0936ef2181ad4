"""A lead signs in for the first time and is sent to set up an authenticator
app: they add it from the key on the page, confirm it with a code and save
their recovery codes. They sign in again with a code from the app, and then
with a recovery code instead. Every page visited passes axe."""

import re

from playwright.sync_api import expect

from msknet.members.models import Role
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.two_factor import app_device, code_for_key, current_code
from tests.factories.users import PASSWORD


def enter_password(page, user, accessible):
    page.goto("/account/sign-in/")
    accessible(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_lead_sets_up_an_app_then_signs_in_with_a_code_and_a_recovery_code(
    page, accessible
):
    network = london_network()
    lead = MembershipFactory(network=network, role=Role.LEAD).user
    members = f"/n/{network.slug}/manage/members/"
    page.set_default_timeout(30_000)  # the first request loads the whole site

    # The lead asks for the members list, signs in and is sent to set up.
    page.goto(members, timeout=120_000)
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    expect(page.get_by_text("You need two-factor authentication to continue")
           ).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    accessible(page)

    # Their phone takes the key typed from the page; a wrong code first.
    key = page.locator("#two-factor-secret").inner_text()
    field = page.get_by_label("Code from your authenticator app")
    field.fill("12345")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter the 6-digit code from your authenticator app")
    accessible(page)
    field.fill(code_for_key(key))
    page.get_by_role("button", name="Continue").click()

    # Ten recovery codes, once; then on to the page they asked for.
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    accessible(page)
    page.get_by_text("I have saved my recovery codes").click()
    expect(page).to_have_url(re.compile(re.escape(members) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Members")
    sign_out(page)

    # Next time: the password, then a code from the app.
    enter_password(page, lead, accessible)
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    accessible(page)
    page.get_by_label("Security code").fill(current_code(app_device(lead)))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(members)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Members")
    sign_out(page)

    # Without the phone: a recovery code, which then says how many are left.
    enter_password(page, lead, accessible)
    page.get_by_text("I do not have my phone").click()
    accessible(page)
    page.get_by_label("Security code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You signed in with a recovery code. You have 9 left")
           ).to_be_visible()
    accessible(page)
    page.goto("/account/two-factor/")
    expect(page.get_by_text("9 of 10")).to_be_visible()
    accessible(page)
