"""Single sign-on with OpenID Connect (docs/decisions/0007-single-sign-on.md).

An NHS organisation's identity provider (Microsoft Entra ID for NHS.net
accounts, NHS Identity, or any OpenID Connect provider) signs people in.
Settings name only the issuer and the site's client id and secret; the
provider's endpoints come from its discovery document, read when first needed
and kept for an hour. mozilla-django-oidc runs the authorisation code flow
(with PKCE); `SSOBackend` checks the tokens and matches the person to an
account by their verified email address (`actions.sso.user_for_claims`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

logger = logging.getLogger(__name__)

#: The backend that signs people in with a password, for `login()` calls that
#: did not authenticate first (Django must be told which of several it was).
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"  # noqa: S105
#: When the person last signed in with single sign-on (seconds since the epoch).
SESSION_SIGNED_IN_AT = "sso_authenticated_at"
#: Why the last single sign-on was refused, shown once on the sign-in page.
SESSION_REFUSAL = "sso_refusal"

DISCOVERY_TTL_SECONDS = 60 * 60
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}
_discovery_lock = threading.Lock()

#: mozilla-django-oidc's endpoint settings, and where discovery gives each.
DISCOVERED_SETTINGS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
REQUIRED_METADATA = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


class ProviderUnavailable(Exception):
    """The identity provider's discovery document could not be read."""


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def password_sign_in() -> bool:
    """Whether people may sign in with a password (always, without SSO)."""
    return bool(settings.PASSWORD_SIGN_IN) or not enabled()


def display_name() -> str:
    return str(settings.OIDC_DISPLAY_NAME)


def failure_message() -> str:
    return f"You could not be signed in with {display_name()}. Try again."


def start_url(next_url: str = "") -> str:
    url = reverse("sso-start")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def recently_signed_in_with_sso(
    request: HttpRequest, max_age_seconds: int = 600
) -> bool:
    """Whether the signed-in person came through single sign-on lately.

    A fresh sign-in at the identity provider vouches for the person as well as
    their password would: use it where password holders retype their password.
    """
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return False
    signed_in_at = request.session.get(SESSION_SIGNED_IN_AT)
    if not isinstance(signed_in_at, int | float):
        return False
    return 0 <= time.time() - signed_in_at <= max_age_seconds


def confirms_with_password(user: Any) -> bool:
    """Whether the person proves it is them with their password, before a
    serious change; otherwise with a fresh single sign-on
    (`recently_signed_in_with_sso`), as people without a password must."""
    if not enabled():
        return True
    return bool(user.has_usable_password()) and password_sign_in()


def provider_configuration() -> dict[str, Any]:
    """The issuer's discovery document, fetched at most once an hour."""
    issuer = settings.OIDC_ISSUER
    now = time.monotonic()
    with _discovery_lock:
        cached = _discovered.get(issuer)
        if cached is not None and now - cached[0] < DISCOVERY_TTL_SECONDS:
            return cached[1]
        url = f"{issuer}/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            metadata = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"Could not read {url}: {exc}") from exc
        if not isinstance(metadata, dict):
            raise ProviderUnavailable(f"{url} is not a discovery document")
        missing = [key for key in REQUIRED_METADATA if not metadata.get(key)]
        if missing:
            raise ProviderUnavailable(f"{url} lacks {', '.join(missing)}")
        _discovered[issuer] = (now, metadata)
        return metadata


def get_setting(attr: str, *default: Any) -> Any:
    """A mozilla-django-oidc setting, with endpoints from discovery."""
    if attr in DISCOVERED_SETTINGS:
        return provider_configuration().get(DISCOVERED_SETTINGS[attr])
    return import_from_settings(attr, *default)


def email_is_verified(claims: Mapping[str, Any]) -> bool:
    """Whether the provider vouches for the email address in `claims`."""
    value = claims.get(settings.OIDC_EMAIL_VERIFIED_CLAIM)
    return value is True or (isinstance(value, str) and value.lower() == "true")


class SSORefused(Exception):
    """Single sign-on failed; the message says why, in words to show the person."""


class SSOBackend(OIDCAuthenticationBackend):
    """Signs people in from the provider's tokens (mozilla-django-oidc).

    Settings are read when a sign-in needs them, not when the backend is made:
    Django makes one on every request to find the signed-in user.
    """

    get_settings = staticmethod(get_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()

    OIDC_OP_TOKEN_ENDPOINT = property(
        lambda self: get_setting("OIDC_OP_TOKEN_ENDPOINT")
    )
    OIDC_OP_USER_ENDPOINT = property(lambda self: get_setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: get_setting("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        # Only the callback view's call, never a password sign-in's.
        if (
            request is None
            or not enabled()
            or set(kwargs) != {"nonce", "code_verifier"}
        ):
            return None
        try:
            return super().authenticate(request, **kwargs)
        except SSORefused as refused:
            request.sso_refused = str(refused)  # type: ignore[attr-defined]
        except SuspiciousOperation as exc:
            logger.warning("Single sign-on refused a token: %s", exc)
            request.sso_refused = failure_message()  # type: ignore[attr-defined]
        except (ProviderUnavailable, requests.RequestException) as exc:
            logger.warning("Single sign-on failed at the provider: %s", exc)
            request.sso_refused = (  # type: ignore[attr-defined]
                f"{display_name()} did not answer. Try again in a few minutes."
            )
        return None

    def verify_token(self, token: str, **kwargs: Any) -> Any:
        """The signed claims, if they were issued by our provider for this site."""
        payload = super().verify_token(token, **kwargs)
        issuer = provider_configuration()["issuer"]
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token's issuer is not the provider.")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued for another client.")
        return payload

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """The ID token's claims, with the userinfo endpoint's where it has one.

        Microsoft Entra ID puts `email` and `xms_edov` only in the ID token;
        other providers (oidc-provider among them) only at userinfo.
        """
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("Userinfo is about someone else.")
        return {**userinfo, **payload}

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> Any:
        from .actions.sso import user_for_claims

        claims = self.get_userinfo(access_token, id_token, payload)
        return user_for_claims(claims=claims)

    def get_user(self, user_id: Any) -> Any:
        # Closed accounts are signed out, as with a password.
        return ModelBackend.get_user(self, user_id)
