"""Which account a single sign-on reaches, from the provider's claims."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore

from msknet.core.models import AuditEvent
from msknet.members import sso
from msknet.members.actions.sso import signed_in_with_sso, user_for_claims
from msknet.members.models import Membership, User
from tests.factories.users import UserFactory


@pytest.fixture(autouse=True)
def _sso_settings(settings):
    settings.OIDC_ISSUER = "https://login.microsoftonline.com/tenant/v2.0"
    settings.OIDC_RP_CLIENT_ID = "client"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_DISPLAY_NAME = "NHS.net"
    settings.OIDC_EMAIL_VERIFIED_CLAIM = "email_verified"


def test_verified_email_matches_the_account_whatever_its_case(db):
    user = UserFactory(email="grace.hopper@nhs.net")

    found = user_for_claims(
        claims={"email": "Grace.Hopper@NHS.NET", "email_verified": True}
    )

    assert found == user
    assert User.objects.count() == 1


def test_verified_as_the_string_true_counts(db):
    user = UserFactory(email="grace.hopper@nhs.net")

    found = user_for_claims(
        claims={"email": "grace.hopper@nhs.net", "email_verified": "true"}
    )

    assert found == user


@pytest.mark.parametrize("verified", [False, "false", None, 1, "yes"])
def test_unverified_email_is_refused_and_never_matched(db, verified):
    UserFactory(email="grace.hopper@nhs.net")
    claims = {"email": "grace.hopper@nhs.net", "email_verified": verified}

    with pytest.raises(sso.SSORefused, match="NHS.net has not confirmed that"):
        user_for_claims(claims=claims)


def test_missing_verified_claim_is_refused(db):
    with pytest.raises(sso.SSORefused, match="has not confirmed"):
        user_for_claims(claims={"email": "grace.hopper@nhs.net"})

    assert not User.objects.exists()


def test_entra_domain_verification_claim_can_stand_for_email_verified(db, settings):
    # Microsoft Entra ID sends xms_edov (email domain owner verified), not
    # email_verified, when the app registration asks for it.
    settings.OIDC_EMAIL_VERIFIED_CLAIM = "xms_edov"
    user = UserFactory(email="grace.hopper@nhs.net")

    found = user_for_claims(claims={"email": "grace.hopper@nhs.net", "xms_edov": True})

    assert found == user
    with pytest.raises(sso.SSORefused):
        user_for_claims(
            claims={"email": "grace.hopper@nhs.net", "email_verified": True}
        )


def test_no_email_is_refused(db):
    with pytest.raises(sso.SSORefused, match="did not share your email address"):
        user_for_claims(claims={"sub": "abc", "email_verified": True})


def test_unknown_verified_email_gets_a_new_account_named_from_the_claims(db):
    user = user_for_claims(
        claims={
            "email": "Alan.Turing@NHS.net",
            "email_verified": True,
            "given_name": "Alan",
            "family_name": "Turing",
        }
    )

    assert (user.email, user.full_name) == ("alan.turing@nhs.net", "Alan Turing")
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    event = AuditEvent.objects.get()
    assert event.type == AuditEvent.Type.ACCOUNT_CREATED_SSO
    assert event.by == user
    assert event.data == {"issuer": "https://login.microsoftonline.com/tenant/v2.0"}


def test_closed_account_is_refused(db):
    UserFactory(email="grace.hopper@nhs.net", is_active=False)

    with pytest.raises(sso.SSORefused, match="is closed"):
        user_for_claims(
            claims={"email": "grace.hopper@nhs.net", "email_verified": True}
        )

    assert User.objects.count() == 1


# The session's record of the sign-in --------------------------------------


@pytest.fixture
def request_with_session(rf, db):
    request = rf.get("/")
    request.session = SessionStore()
    request.user = UserFactory()
    return request


def test_sign_in_is_fresh_just_after_it(request_with_session):
    signed_in_with_sso(request=request_with_session, user=request_with_session.user)

    assert sso.recently_signed_in_with_sso(request_with_session)
    event = AuditEvent.objects.get()
    assert event.type == AuditEvent.Type.SIGNED_IN_SSO


def test_sign_in_is_stale_after_the_maximum_age(request_with_session):
    request_with_session.session[sso.SESSION_SIGNED_IN_AT] = time.time() - 601

    assert not sso.recently_signed_in_with_sso(request_with_session)
    assert sso.recently_signed_in_with_sso(request_with_session, max_age_seconds=900)


def test_password_sign_in_is_not_a_single_sign_on(request_with_session):
    assert not sso.recently_signed_in_with_sso(request_with_session)


def test_nobody_signed_in_has_no_single_sign_on(request_with_session):
    request_with_session.session[sso.SESSION_SIGNED_IN_AT] = time.time()
    request_with_session.user = AnonymousUser()

    assert not sso.recently_signed_in_with_sso(request_with_session)


# The backend ----------------------------------------------------------------


def test_backend_ignores_password_credentials(rf, db):
    # No provider is running: a password sign-in must never reach for one.
    request = rf.post("/account/sign-in/?code=abc&state=def")

    user = sso.SSOBackend().authenticate(request, email="a@b.c", password="x")

    assert user is None


def test_backend_does_not_restore_a_closed_account(db):
    user = UserFactory(is_active=False)

    assert sso.SSOBackend().get_user(user.pk) is None


# Discovery ------------------------------------------------------------------


@pytest.mark.parametrize("body", ["[]", '{"issuer": "x"}', "not json"])
def test_a_broken_discovery_document_means_the_provider_is_unavailable(
    settings, body
):
    # A tiny server on loopback that answers every request with `body`.
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.OIDC_ISSUER = f"http://127.0.0.1:{server.server_port}"
        with pytest.raises(sso.ProviderUnavailable):
            sso.provider_configuration()
    finally:
        server.shutdown()
        server.server_close()
