"""A member sees a notification, opens it, and chooses never to get email about
that kind; the link in an email shows the same choice without signing in. axe
passes on every page visited."""

from django.urls import get_resolver, reverse
from playwright.sync_api import expect

from msknet.communications.models import Kind, Notification, NotificationPreference
from msknet.communications.notify import notify, preference_token
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.users import PASSWORD, UserFactory
from tests.functional.conftest import complete_two_factor


def sign_in(page, user):
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, user)


def test_see_open_and_stop_emails_about_a_kind(page, accessible):
    # Import every page's module before the first page load.
    assert get_resolver().url_patterns
    network = london_network()
    aisha = UserFactory(full_name="Aisha Rahman")
    MembershipFactory(network=network, user=aisha)
    notify(kind=Kind.ACTION_ASSIGNED, recipients=[aisha], network=network,
           key="action:demo:assigned", title="Action for you: audit the knee pathway",
           url=f"/n/{network.slug}/", body="Due on 30 January.")

    # Aisha sees the notification and opens it.
    sign_in(page, aisha)
    page.locator(".nhsuk-header__account").get_by_role("link", name="Notifications").click()
    page.wait_for_url("**/account/notifications/")
    expect(page.locator("main")).to_contain_text("1 unread")
    expect(page.locator(".msknet-notification--unread")).to_contain_text(
        "An action is given to you"
    )
    accessible(page)
    page.get_by_role("link", name="Action for you: audit the knee pathway").click()
    page.wait_for_url(f"**/n/{network.slug}/")
    assert Notification.objects.get().is_read
    page.goto("/account/notifications/")
    expect(page.locator("main")).to_contain_text("Nothing unread")

    # She chooses never to get email about actions given to her.
    page.get_by_role("link", name="Choose how you get email").click()
    expect(page.locator("h1")).to_have_text("How you get email")
    accessible(page)
    page.get_by_label("An action is given to you: Never", exact=True).check()
    page.get_by_role("button", name="Save choices").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Your email choices are saved"
    )
    expect(
        page.get_by_label("An action is given to you: Never", exact=True)
    ).to_be_checked()
    accessible(page)
    preference = NotificationPreference.objects.get(user=aisha)
    assert (preference.kind, preference.delivery) == (Kind.ACTION_ASSIGNED, "never")

    # Signed out, the link in an email shows the choice and changes it.
    page.get_by_role("button", name="Sign out").click()
    page.goto(reverse("notification-email-choice",
                      args=[preference_token(aisha, Kind.ACTION_ASSIGNED)]))
    expect(page.locator("main")).to_contain_text("You get no email about this.")
    accessible(page)
    page.get_by_role("button", name="Weekly digest").click()
    expect(page.locator("main")).to_contain_text(
        "You get email about this in a weekly digest."
    )
    accessible(page)
    preference.refresh_from_db()
    assert preference.delivery == "weekly"
