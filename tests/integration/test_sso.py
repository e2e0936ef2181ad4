"""Single sign-on through a real OpenID Connect provider (tests/oidc/provider.mjs).

The test client goes to the provider, signs in at its login page as one of
its fixed accounts (ada: verified Ada.Lovelace@NHS.net; ben: unverified;
cara: verified and unknown here; dev: no email), and comes back to the
site's callback, which exchanges the code for tokens with the provider.
"""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from msknet.core.models import AuditEvent
from msknet.members import sso
from msknet.members.models import Membership, User
from tests.factories.memberships import MembershipFactory
from tests.factories.users import PASSWORD
from tests.oidc.server import CALLBACK_PATH, running_provider, sign_in_at_provider

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def oidc_provider():
    with running_provider([f"http://testserver{CALLBACK_PATH}"]) as provider:
        yield provider


@pytest.fixture
def provider(settings, oidc_provider):
    oidc_provider.configure(settings)
    return oidc_provider


def sso_sign_in(client, login, next_url=""):
    """Select "Sign in with ...", sign in at the provider, come back."""
    start = client.get(reverse("sso-start"), {"next": next_url} if next_url else {})
    assert start.status_code == 302
    callback = urlsplit(sign_in_at_provider(start["Location"], login))
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_user(client):
    return client.get(reverse("account")).wsgi_request.user


@pytest.fixture
def ada(network):
    return MembershipFactory(
        network=network,
        user__email="ada.lovelace@nhs.net",
        user__full_name="Ada Lovelace",
    ).user


def test_sign_in_page_offers_single_sign_on(client, provider):
    response = client.get(reverse("sign-in"))

    assert "Sign in with NHS.net (Microsoft Entra ID)" in response.text
    assert 'name="password"' in response.text


def test_sign_in_page_without_single_sign_on_has_no_button(client, db):
    response = client.get(reverse("sign-in"))

    assert reverse("sso-start") not in response.text
    assert 'name="password"' in response.text


def test_single_sign_on_pages_are_missing_when_it_is_off(client, db):
    assert client.get(reverse("sso-start")).status_code == 404
    assert client.get(reverse("sso-callback")).status_code == 404


def test_member_signs_in_by_verified_email_whatever_its_case(client, provider, ada):
    # The provider says Ada.Lovelace@NHS.net; the account has it in lower case.
    response = sso_sign_in(client, "ada")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user(client) == ada
    account = client.get(reverse("account"))
    assert "Ada Lovelace" in account.text
    assert User.objects.filter(email__iexact="ada.lovelace@nhs.net").count() == 1


def test_single_sign_on_is_recorded_in_session_and_audit_trail(client, provider, ada):
    sso_sign_in(client, "ada")

    request = client.get(reverse("account")).wsgi_request
    assert sso.recently_signed_in_with_sso(request)
    event = AuditEvent.objects.get(type=AuditEvent.Type.SIGNED_IN_SSO)
    assert event.by == ada
    assert event.target_id == str(ada.pk)
    assert event.data == {"issuer": provider.issuer}


def test_single_sign_on_returns_to_the_page_asked_for(client, provider, ada):
    response = sso_sign_in(client, "ada", next_url=reverse("account-details"))

    assert response["Location"] == reverse("account-details")


def test_unverified_email_is_refused_with_a_message(client, provider, network):
    ben = MembershipFactory(network=network, user__email="ben.okafor@nhs.net").user

    response = sso_sign_in(client, "ben")

    assert response["Location"] == reverse("sign-in")
    page = client.get(reverse("sign-in"))
    assert "<title>Error: Sign in" in page.text
    assert "has not confirmed that ben.okafor@nhs.net is your email address" in (
        page.text
    )
    assert not page.wsgi_request.user.is_authenticated
    assert not AuditEvent.objects.filter(type=AuditEvent.Type.SIGNED_IN_SSO).exists()
    # The message is shown once.
    assert "has not confirmed" not in client.get(reverse("sign-in")).text
    assert signed_in_user(client) != ben


def test_provider_without_an_email_address_is_refused(client, provider, db):
    sso_sign_in(client, "dev")

    page = client.get(reverse("sign-in"))
    assert "did not share your email address" in page.text
    assert not User.objects.exists()


def test_unknown_verified_email_gets_an_account_with_no_memberships(
    client, provider, db
):
    response = sso_sign_in(client, "cara")

    cara = User.objects.get()
    assert response.status_code == 302
    assert signed_in_user(client) == cara
    assert (cara.email, cara.full_name) == ("cara.singh@nhs.net", "Cara Singh")
    assert not cara.has_usable_password()
    assert not Membership.objects.filter(user=cara).exists()
    created = AuditEvent.objects.get(type=AuditEvent.Type.ACCOUNT_CREATED_SSO)
    assert created.target_id == str(cara.pk)


def test_second_sign_in_uses_the_same_account(client, provider, db):
    sso_sign_in(client, "cara")
    client.post(reverse("sign-out"))

    sso_sign_in(client, "cara")

    assert User.objects.count() == 1
    assert signed_in_user(client) == User.objects.get()


def test_closed_account_is_refused(client, provider, ada):
    ada.is_active = False
    ada.save()

    sso_sign_in(client, "ada")

    page = client.get(reverse("sign-in"))
    assert "the msknet account for Ada.Lovelace@NHS.net is closed" in page.text
    assert not page.wsgi_request.user.is_authenticated


def test_cancelled_sign_in_at_the_provider_says_so(client, provider, db):
    client.get(reverse("sso-start"))

    response = client.get(
        reverse("sso-callback"), {"error": "access_denied", "state": "x"}
    )

    assert response["Location"] == reverse("sign-in")
    page = client.get(reverse("sign-in"))
    assert "You could not be signed in with NHS.net (Microsoft Entra ID)" in page.text


def test_unreachable_provider_is_explained(client, settings, db):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens on discard
    settings.OIDC_DISPLAY_NAME = "NHS.net (Microsoft Entra ID)"

    response = client.get(reverse("sso-start"))

    assert response["Location"] == reverse("sign-in")
    page = client.get(reverse("sign-in"))
    assert "NHS.net (Microsoft Entra ID) did not answer" in page.text


def test_password_sign_in_with_oidc_parameters_stays_a_password_sign_in(
    client, provider, ada
):
    # Query parameters that look like a provider's reply never reach the
    # provider from the password form.
    response = client.post(
        reverse("sign-in") + "?code=abc&state=def",
        {"email": ada.email, "password": "not-the-password"},
    )

    assert response.status_code == 200
    assert "The email address or password is not correct" in response.text


# Password sign-in turned off ------------------------------------------------


@pytest.fixture
def passwords_off(settings, provider):
    settings.PASSWORD_SIGN_IN = False
    return provider


def test_without_passwords_sign_in_page_offers_only_single_sign_on(
    client, passwords_off
):
    response = client.get(reverse("sign-in"))

    assert response.status_code == 200
    assert "Sign in with NHS.net (Microsoft Entra ID)" in response.text
    assert "does not use passwords of its own" in response.text
    assert 'name="password"' not in response.text
    assert reverse("password-reset") not in response.text


def test_without_passwords_a_password_is_refused(client, passwords_off, ada):
    ada.set_password(PASSWORD)
    ada.save()

    response = client.post(
        reverse("sign-in"), {"email": ada.email, "password": PASSWORD}
    )

    assert response.status_code == 405
    assert not response.wsgi_request.user.is_authenticated
    assert not signed_in_user(client).is_authenticated


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("password-reset", {}),
        ("password-reset-sent", {}),
        ("password-reset-complete", {}),
        ("password-reset-confirm", {"uidb64": "MQ", "token": "bad-token"}),
        ("set-password", {"uidb64": "MQ", "token": "bad-token"}),
    ],
)
def test_without_passwords_password_pages_go_to_sign_in(
    client, passwords_off, name, kwargs
):
    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 302
    assert response["Location"] == reverse("sign-in")


def test_without_passwords_single_sign_on_still_signs_in(client, passwords_off, ada):
    sso_sign_in(client, "ada")

    assert signed_in_user(client) == ada


def test_settings_refuse_passwords_off_without_single_sign_on():
    from tests.integration.test_settings import run_manage

    result = run_manage("check", DEBUG="true", PASSWORD_SIGN_IN="false", OIDC_ISSUER="")

    assert result.returncode != 0
    assert "PASSWORD_SIGN_IN is false but OIDC_ISSUER is not set" in result.stderr


# Confirming who it is without a password ------------------------------------


def test_person_without_a_password_deletes_their_account_after_signing_on(
    client, provider, db
):
    sso_sign_in(client, "cara")
    page = client.get(reverse("account-delete"))
    assert 'name="password"' not in page.text

    response = client.post(reverse("account-delete"))

    assert response["Location"] == reverse("home")
    assert User.objects.get().erased_at is not None


def test_stale_single_sign_on_must_be_repeated_to_delete_an_account(
    client, provider, db
):
    sso_sign_in(client, "cara")
    session = client.session
    session[sso.SESSION_SIGNED_IN_AT] -= 3600
    session.save()

    page = client.get(reverse("account-delete"))
    response = client.post(reverse("account-delete"))

    assert "Sign in again with NHS.net (Microsoft Entra ID)" in page.text
    assert f"{reverse('sso-start')}?next=%2Faccount%2Fdelete%2F" in page.text
    assert response.status_code == 200
    assert "Sign in again with NHS.net (Microsoft Entra ID) to check it is you" in (
        response.text
    )
    assert User.objects.get().erased_at is None


def test_signing_on_again_makes_the_provider_ask_afresh(client, provider, ada):
    client.force_login(ada)

    response = client.get(reverse("sso-start"))

    assert "prompt=login" in response["Location"]
    assert "prompt=login" not in Client().get(reverse("sso-start"))["Location"]


def test_without_passwords_an_invited_newcomer_signs_in_to_accept(
    client, passwords_off, network
):
    from msknet.members.actions.invitations import hash_token
    from tests.factories.joining import InvitationFactory

    InvitationFactory(
        network=network, email="cara.singh@nhs.net", token_hash=hash_token("t" * 43)
    )
    url = reverse("invitation-accept", args=["t" * 43])

    page = client.get(url)

    assert "Sign in with NHS.net (Microsoft Entra ID), as cara.singh@nhs.net" in (
        page.text
    )
    assert 'name="password' not in page.text
    # Signing on makes the account, and brings them back to accept.
    start = client.get(reverse("sso-start"), {"next": url})
    callback = urlsplit(sign_in_at_provider(start["Location"], "cara"))
    assert client.get(f"{callback.path}?{callback.query}")["Location"] == url
    assert "Accept invitation</button>" in client.get(url).text
