"""A member starts a discussion mentioning a colleague, who sees the
notification, opens the discussion and replies; a lead hides the reply with
a reason. axe passes on every page visited."""

from django.urls import get_resolver
from playwright.sync_api import expect

from msknet.members.models import Role
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.users import PASSWORD, UserFactory
from tests.functional.conftest import complete_two_factor, follow_nav_link


def sign_in(page, user):
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, user)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def member(network, name, role=Role.MEMBER):
    user = UserFactory(full_name=name)
    MembershipFactory(network=network, user=user, role=role, directory_listed=True)
    return user


def test_mention_reply_and_moderation(page, accessible):
    # Import every page's module (and the API's) before the first page load,
    # which would otherwise spend the browser's timeout doing it.
    assert get_resolver().url_patterns
    network = london_network()
    tom = member(network, "Tom Brennan")
    aisha = member(network, "Aisha Rahman")
    lead = member(network, "Helen Adeyemi", Role.LEAD)

    # Tom starts a discussion, mentioning Aisha with the member picker.
    sign_in(page, tom)
    page.goto(f"/n/{network.slug}/")
    follow_nav_link(page, "Discussions")
    expect(page.locator("h1")).to_have_text("Discussions")
    accessible(page)
    page.get_by_role("button", name="Start a discussion").click()
    accessible(page)
    page.get_by_label("Title").fill("Tapering opioids in primary care")
    page.get_by_label("Message").fill(
        "What has worked for you? <script>x()</script>\n\n"
    )
    page.get_by_label("Mention a member").select_option("Aisha Rahman")
    page.get_by_role("button", name="Add mention").click()
    page.get_by_role("button", name="Start discussion").click()
    expect(page.locator("h1")).to_have_text("Tapering opioids in primary care")
    expect(page.locator("main")).to_contain_text("<script>x()</script>")
    expect(page.locator(".msknet-mention")).to_have_text("@Aisha Rahman")
    accessible(page)
    sign_out(page)

    # Aisha sees the notification, opens the discussion and replies.
    sign_in(page, aisha)
    page.goto("/account/notifications/")
    expect(page.locator("main")).to_contain_text("1 unread")
    accessible(page)
    page.get_by_role(
        "link", name='Tom Brennan mentioned you in "Tapering opioids in primary care"'
    ).click()
    expect(page.locator("h1")).to_have_text("Tapering opioids in primary care")
    accessible(page)
    page.get_by_label("Reply").fill(
        "Slow tapers, agreed with the patient. Patient JS, 4 Elm Road"
    )
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("main")).to_contain_text("Your reply is posted")
    expect(page.locator("main")).to_contain_text("Slow tapers")
    accessible(page)
    page.goto("/account/notifications/")
    expect(page.locator("main")).to_contain_text("Nothing unread")
    sign_out(page)

    # The lead hides Aisha's reply, which could identify a patient.
    sign_in(page, lead)
    page.goto(f"/n/{network.slug}/discussions/")
    page.get_by_role("link", name="Tapering opioids in primary care").click()
    page.get_by_role("link", name="Hide post by Aisha Rahman").click()
    accessible(page)
    page.get_by_role("button", name="Hide post").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a reason")
    accessible(page)
    page.get_by_label("Reason").fill("Could identify a patient")
    page.get_by_role("button", name="Hide post").click()
    expect(page.locator("main")).to_contain_text(
        "Hidden by a moderator: Could identify a patient"
    )
    accessible(page)
    sign_out(page)

    # Tom sees the reason, not the reply.
    sign_in(page, tom)
    page.goto(f"/n/{network.slug}/discussions/")
    page.get_by_role("link", name="Tapering opioids in primary care").click()
    expect(page.locator("main")).to_contain_text(
        "Hidden by a moderator: Could identify a patient"
    )
    expect(page.locator("main")).not_to_contain_text("4 Elm Road")
