import json
import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from msknet.core.models import AuditEvent
from msknet.members.actions.accounts import create_api_token, erase_account
from msknet.members.models import Role, SignInFailure
from msknet.members.views.two_factor import PENDING
from tests.factories.memberships import MembershipFactory
from tests.factories.two_factor import current_code, enrol

pytestmark = pytest.mark.django_db

WRONG = "The email address, password or security code is not correct"


@pytest.fixture
def limits(settings):
    settings.SIGN_IN_MAX_FAILURES_PER_ACCOUNT = 3
    settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS = 10
    return settings


def sign_in(client, user, password, follow=False, **extra):
    return client.post(
        reverse("sign-in"),
        {"email": user.email, "password": password, **extra},
        REMOTE_ADDR="192.0.2.10",
        follow=follow,
    )


def enter_code(client, code, follow=False, **extra):
    return client.post(
        reverse("two-factor-verify"),
        {"code": code, **extra},
        REMOTE_ADDR="192.0.2.10",
        follow=follow,
    )


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def recovery_codes(user):
    return list(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )


# Signing in with a code


def test_member_without_two_factor_is_signed_in_by_password_alone(
    client, member, password
):
    response = sign_in(client, member, password)

    assert response["Location"] == reverse("home")
    assert signed_in_as(client) == str(member.pk)
    assert client.get(reverse("account")).status_code == 200


def test_password_of_account_with_app_asks_for_code_before_signing_in(
    client, member, password
):
    enrol(member)

    response = sign_in(client, member, password, next="/account/")

    assert response["Location"] == reverse("two-factor-verify")
    assert signed_in_as(client) is None
    page = client.get(reverse("two-factor-verify"))
    assert "Enter your security code" in page.text
    assert 'autocomplete="one-time-code"' in page.text


def test_right_code_signs_in_and_follows_next(client, member, password):
    device = enrol(member)
    sign_in(client, member, password, next="/account/")

    response = enter_code(client, current_code(device))

    assert response["Location"] == "/account/"
    assert signed_in_as(client) == str(member.pk)
    assert PENDING not in client.session
    assert client.get("/account/").status_code == 200


def test_wrong_code_starts_again_counted_and_recorded(client, member, password):
    enrol(member)
    sign_in(client, member, password)

    response = enter_code(client, "000000", follow=True)

    assert signed_in_as(client) is None
    assert response.redirect_chain[0][0] == reverse("sign-in")
    assert WRONG in response.text
    assert f'value="{member.email}"' in response.text
    assert SignInFailure.objects.filter(email=member.email).count() == 1
    assert AuditEvent.objects.filter(
        type=AuditEvent.Type.TWO_FACTOR_CODE_FAILED, target_id=str(member.pk)
    ).exists()


def test_wrong_password_is_only_revealed_as_wrong_after_the_code(client, member):
    # Someone without the code cannot tell from the code step whether they
    # guessed the password: they are asked for a code either way, and the
    # right code does not help them.
    device = enrol(member)
    codes_before = recovery_codes(member)

    response = sign_in(client, member, "not-the-password")

    assert response["Location"] == reverse("two-factor-verify")
    refused = enter_code(client, current_code(device), follow=True)
    assert signed_in_as(client) is None
    assert WRONG in refused.text
    assert recovery_codes(member) == codes_before
    assert SignInFailure.objects.filter(email=member.email).count() == 1


def test_wrong_codes_count_toward_the_sign_in_lockout(client, member, password, limits):
    device = enrol(member)
    for _ in range(3):
        sign_in(client, member, password)
        enter_code(client, "123456" if current_code(device) != "123456" else "654321")

    response = sign_in(client, member, password)

    assert response.status_code == 200
    assert "You have tried to sign in too many times" in response.text


def test_recovery_code_signs_in_once(client, member, password):
    enrol(member)
    code = recovery_codes(member)[0]
    sign_in(client, member, password)

    response = enter_code(client, code.upper()[:4] + " " + code[4:], follow=True)

    assert signed_in_as(client) == str(member.pk)
    assert "You signed in with a recovery code. You have 9 left" in response.text
    assert code not in recovery_codes(member)
    client.post(reverse("sign-out"))
    sign_in(client, member, password)
    enter_code(client, code)
    assert signed_in_as(client) is None


def test_code_step_lapses_after_five_minutes(client, member, password):
    device = enrol(member)
    sign_in(client, member, password)
    session = client.session
    session[PENDING] = {**session[PENDING], "at": time.time() - 301}
    session.save()

    response = enter_code(client, current_code(device), follow=True)

    assert signed_in_as(client) is None
    assert "You took more than 5 minutes" in response.text


def test_code_step_without_a_password_goes_to_sign_in(client):
    response = client.get(reverse("two-factor-verify"))

    assert response["Location"].startswith(reverse("sign-in"))


# Who must use it


def test_lead_without_app_is_sent_to_set_up_after_password(client, lead, password):
    response = sign_in(client, lead, password, next="/account/", follow=True)

    assert response.redirect_chain[-1][0] == (
        reverse("two-factor-set-up") + "?next=%2Faccount%2F"
    )
    assert "You need two-factor authentication to continue" in response.text


def test_unverified_lead_is_sent_to_set_up_from_every_page(
    unverified_client, lead, network
):
    unverified_client.force_login(lead)

    response = unverified_client.get(reverse("member-list", args=[network.slug]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-set-up") + "?next=")


def test_unverified_person_with_app_is_asked_for_code_on_every_page(
    unverified_client, member
):
    # As after single sign-on or a password reset link: signed in, no code yet.
    device = enrol(member)
    unverified_client.force_login(member)

    response = unverified_client.get("/account/")
    assert response["Location"] == reverse("two-factor-verify") + "?next=%2Faccount%2F"
    page = unverified_client.get(response["Location"])
    assert "Your account uses two-factor authentication" in page.text
    done = unverified_client.post(
        response["Location"], {"code": current_code(device), "next": "/account/"}
    )
    assert done["Location"] == "/account/"
    assert unverified_client.get("/account/").status_code == 200


def test_unverified_wrong_code_is_refused_and_counted(unverified_client, member):
    enrol(member)
    unverified_client.force_login(member)

    response = unverified_client.post(reverse("two-factor-verify"), {"code": "12"})

    assert response.status_code == 200
    assert "The security code is not correct" in response.text
    assert SignInFailure.objects.filter(email=member.email).count() == 1


def test_unverified_member_without_app_is_not_asked(unverified_client, member):
    unverified_client.force_login(member)

    assert unverified_client.get("/account/").status_code == 200


def test_unverified_lead_may_sign_out(unverified_client, lead):
    unverified_client.force_login(lead)

    response = unverified_client.post(reverse("sign-out"))

    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in unverified_client.session


def test_api_tokens_of_a_lead_without_app_still_work(client, lead, network):
    _, raw = create_api_token(user=lead, name="Reports")

    response = client.get(
        "/api/networks", headers={"Authorization": f"Bearer {raw}"}
    )

    assert response.status_code == 200


def test_demo_setting_lets_leads_in_without_app(unverified_client, lead, settings):
    settings.MSKNET_REQUIRE_2FA = False
    unverified_client.force_login(lead)

    assert unverified_client.get("/account/").status_code == 200


# Setting up


def test_set_up_shows_qr_code_and_key(unverified_client, lead):
    unverified_client.force_login(lead)

    response = unverified_client.get(reverse("two-factor-set-up"))

    assert '<img src="data:image/svg+xml;charset=utf-8,%3Csvg' in response.text
    device = TOTPDevice.objects.get(user=lead, confirmed=False)
    page_key = response.text.split('id="two-factor-secret">')[1].split("<")[0]
    assert len(page_key.split(" ")) == 8
    assert unverified_client.get(reverse("two-factor-set-up")).text.count(page_key) == 1
    assert TOTPDevice.objects.get(user=lead).pk == device.pk


def test_set_up_refuses_wrong_code(unverified_client, lead):
    unverified_client.force_login(lead)
    unverified_client.get(reverse("two-factor-set-up"))

    response = unverified_client.post(reverse("two-factor-set-up"), {"code": "1234"})
    assert "Error: Set up an authenticator app" in response.text
    assert "Enter the 6-digit code from your authenticator app" in response.text
    device = TOTPDevice.objects.get(user=lead)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    response = unverified_client.post(reverse("two-factor-set-up"), {"code": wrong})
    assert "The code is not correct" in response.text
    assert not TOTPDevice.objects.filter(user=lead, confirmed=True).exists()


def test_set_up_with_right_code_shows_recovery_codes_once(
    unverified_client, lead, network
):
    unverified_client.force_login(lead)
    unverified_client.get(reverse("two-factor-set-up"))
    device = TOTPDevice.objects.get(user=lead)

    response = unverified_client.post(
        reverse("two-factor-set-up") + "?next=/account/",
        {"code": current_code(device), "next": "/account/"},
        follow=True,
    )

    codes = recovery_codes(lead)
    assert len(codes) == 10
    assert all(code in response.text for code in codes)
    assert 'href="/account/"' in response.text
    again = unverified_client.get(reverse("two-factor-recovery-codes"))
    assert again["Location"] == reverse("two-factor")
    assert codes[0] not in unverified_client.get(reverse("two-factor")).text
    # The session passed the code: lead pages open.
    page = unverified_client.get(reverse("member-list", args=[network.slug]))
    assert page.status_code == 200
    assert AuditEvent.objects.filter(
        type=AuditEvent.Type.TWO_FACTOR_ADDED, target_id=str(lead.pk)
    ).exists()


def test_set_up_again_is_refused_while_an_app_is_on(client, member):
    enrol(member)
    client.force_login(member)

    response = client.get(reverse("two-factor-set-up"))

    assert response["Location"] == reverse("two-factor")


def test_account_page_links_to_set_up(client, member):
    client.force_login(member)

    response = client.get(reverse("account"))

    assert "Off: you sign in with your password alone" in response.text
    assert reverse("two-factor") in response.text


# Recovery codes and turning off


def test_new_recovery_codes_replace_the_old(client, member, password):
    enrol(member)
    old = recovery_codes(member)
    client.force_login(member)

    response = client.post(reverse("two-factor-new-codes"), follow=True)

    new = recovery_codes(member)
    assert len(new) == 10 and not set(new) & set(old)
    assert all(code in response.text for code in new)
    assert AuditEvent.objects.filter(type=AuditEvent.Type.RECOVERY_CODES_REPLACED).exists()
    client.post(reverse("sign-out"))
    sign_in(client, member, password)
    enter_code(client, old[0])
    assert signed_in_as(client) is None


def test_new_recovery_codes_are_asked_for_first(client, member):
    enrol(member)
    old = recovery_codes(member)
    client.force_login(member)

    response = client.get(reverse("two-factor-new-codes"))

    assert response.status_code == 200
    assert "Make new recovery codes?" in response.text
    assert "will stop working at once" in response.text
    assert recovery_codes(member) == old


def test_member_turns_off_two_factor_with_password(client, member, password):
    enrol(member)
    client.force_login(member)

    response = client.post(reverse("two-factor-turn-off"), {"password": password})

    assert response["Location"] == reverse("account")
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not recovery_codes(member)
    assert AuditEvent.objects.filter(type=AuditEvent.Type.TWO_FACTOR_REMOVED).exists()


def test_turning_off_needs_right_code_or_password(client, member):
    enrol(member)
    client.force_login(member)

    empty = client.post(reverse("two-factor-turn-off"), {})
    wrong = client.post(reverse("two-factor-turn-off"), {"password": "guess-again"})
    wrong_code = client.post(reverse("two-factor-turn-off"), {"code": "000000x"})

    assert "Enter a security code or your password" in empty.text
    assert "The password is not correct" in wrong.text
    assert "The security code is not correct" in wrong_code.text
    assert TOTPDevice.objects.filter(user=member).exists()


def test_lead_cannot_turn_off_two_factor(client, lead, password):
    client.force_login(lead)

    page = client.get(reverse("two-factor-turn-off"))
    client.post(reverse("two-factor-turn-off"), {"password": password})

    assert "You cannot turn off two-factor authentication" in page.text
    assert TOTPDevice.objects.filter(user=lead, confirmed=True).exists()
    assert reverse("two-factor-turn-off") not in client.get(reverse("two-factor")).text


# Personal data


def test_data_download_says_two_factor_is_on_without_secrets(client, member):
    device = enrol(member)
    client.force_login(member)

    response = client.get(reverse("account-data"))

    data = json.loads(response.content)
    assert data["two_factor_authentication"]["authenticator_app"] is True
    assert data["two_factor_authentication"]["recovery_codes_left"] == 10
    assert device.key not in response.text
    assert recovery_codes(member)[0] not in response.text


def test_erasure_deletes_app_and_recovery_codes(member):
    enrol(member)

    erase_account(user=member)

    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not recovery_codes(member)


# Single sign-on goes through the same enforcement


@pytest.fixture(scope="module")
def oidc_provider():
    from tests.oidc.server import CALLBACK_PATH, running_provider

    with running_provider([f"http://testserver{CALLBACK_PATH}"]) as provider:
        yield provider


def sso_sign_in(client, settings, provider, login):
    from urllib.parse import urlsplit

    from tests.oidc.server import sign_in_at_provider

    provider.configure(settings)
    start = client.get(reverse("sso-start"), {"next": "/account/"})
    callback = urlsplit(sign_in_at_provider(start["Location"], login))
    return client.get(f"{callback.path}?{callback.query}", follow=True)


@pytest.mark.slow
def test_lead_signing_in_by_single_sign_on_is_sent_to_set_up(
    client, settings, oidc_provider, network
):
    MembershipFactory(network=network, role=Role.LEAD,
                      user__email="ada.lovelace@nhs.net")

    response = sso_sign_in(client, settings, oidc_provider, "ada")

    assert response.redirect_chain[-1][0].startswith(reverse("two-factor-set-up"))
    assert "You need two-factor authentication to continue" in response.text


@pytest.mark.slow
def test_single_sign_on_asks_for_the_code_of_someone_with_an_app(
    client, settings, oidc_provider, network
):
    ada = MembershipFactory(network=network, user__email="ada.lovelace@nhs.net").user
    device = enrol(ada)

    response = sso_sign_in(client, settings, oidc_provider, "ada")

    assert response.redirect_chain[-1][0] == (
        reverse("two-factor-verify") + "?next=%2Faccount%2F"
    )
    done = client.post(response.redirect_chain[-1][0],
                       {"code": current_code(device), "next": "/account/"})
    assert done["Location"] == "/account/"
    assert client.get("/account/").status_code == 200
