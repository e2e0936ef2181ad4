"""People sign in with their organisation's account at a real OpenID Connect
provider (tests/oidc/provider.mjs, run with Node), and come back signed in,
or told why not; every page of the site visited passes axe (the provider's
own development login page is not the site's)."""

import pytest
from playwright.sync_api import expect

from msknet.members.models import Role
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.oidc.server import CALLBACK_PATH, running_provider

ENTRA = "NHS.net (Microsoft Entra ID)"


@pytest.fixture(scope="module")
def oidc_provider(live_server):
    with running_provider([f"{live_server.url}{CALLBACK_PATH}"]) as provider:
        yield provider


@pytest.fixture
def provider(settings, oidc_provider):
    oidc_provider.configure(settings, display_name=ENTRA)
    return oidc_provider


def sign_in_at_provider(page, login):
    """The provider's development login page accepts any password."""
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()


def test_member_signs_in_with_their_nhs_net_account(page, accessible, provider):
    network = london_network()
    MembershipFactory(
        network=network,
        role=Role.MEMBER,
        user__email="ada.lovelace@nhs.net",
        user__full_name="Ada Lovelace",
    )

    page.goto(f"/n/{network.slug}/")
    page.get_by_role("link", name="Sign in", exact=True).click()
    accessible(page)
    page.get_by_role("button", name=f"Sign in with {ENTRA}").click()
    sign_in_at_provider(page, "ada")

    # Back on the site, signed in as themselves, with their memberships.
    account = page.locator(".nhsuk-header__account")
    expect(account.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    accessible(page)
    account.get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(network.name)
    accessible(page)


def test_unverified_email_is_refused_with_a_clear_message(page, accessible, provider):
    MembershipFactory(network=london_network(), user__email="ben.okafor@nhs.net")

    page.goto("/account/sign-in/")
    page.get_by_role("button", name=f"Sign in with {ENTRA}").click()
    sign_in_at_provider(page, "ben")

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text(
        f"{ENTRA} has not confirmed that ben.okafor@nhs.net is your email address"
    )
    assert page.title().startswith("Error: Sign in")
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    expect(page.locator(".nhsuk-header__account")).to_contain_text("Sign in")
    accessible(page)


def test_without_passwords_only_single_sign_on_is_offered(
    page, accessible, provider, settings
):
    settings.PASSWORD_SIGN_IN = False
    MembershipFactory(
        network=london_network(),
        user__email="ada.lovelace@nhs.net",
        user__full_name="Ada Lovelace",
    )

    page.goto("/account/sign-in/")
    expect(page.get_by_text("does not use passwords of its own")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_count(0)
    expect(page.get_by_role("link", name="I have forgotten my password")).to_have_count(
        0
    )
    accessible(page)
    page.get_by_role("button", name=f"Sign in with {ENTRA}").click()
    sign_in_at_provider(page, "ada")

    account = page.locator(".nhsuk-header__account")
    expect(account.get_by_role("link", name="Ada Lovelace")).to_be_visible()
