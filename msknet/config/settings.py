"""Settings for msknet, read from environment variables.

Every variable is listed in `dotenv-sample`. With none set, msknet runs as an
embedded development site on SQLite under `var/`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent  # the msknet package
PROJECT_DIR = BASE_DIR.parent  # the checkout (node_modules, var/)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The test suite runs with production settings apart from the secret key.
RUNNING_TESTS = "pytest" in sys.modules
VAR_DIR = Path(os.environ.get("MSKNET_VAR_DIR", PROJECT_DIR / "var"))
DATA_DIR = Path(os.environ.get("MSKNET_DATA_DIR", VAR_DIR / "data"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or RUNNING_TESTS:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for a development site."
        )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_q",
    "msknet.core",
    "msknet.members",
    "msknet.insights",
    "msknet.prescribing",
    "msknet.community",
    "msknet.priorities",
    "msknet.improvement",
    "msknet.governance",
    "msknet.discussions",
    "msknet.communications",
    "msknet.innovations",
    "msknet.landscape",
    "msknet.surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "msknet.core.middleware.ContentSecurityPolicyMiddleware",
    "msknet.core.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "msknet.core.middleware.RejectNullCharactersMiddleware",
    # Before the CSRF check, the first to read a POST: see the module.
    "msknet.core.request_limits.RequestTooBigMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "msknet.members.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "msknet.core.middleware.PermissionGateMiddleware",
]

ROOT_URLCONF = "msknet.config.urls"
WSGI_APPLICATION = "msknet.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "msknet.core.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "msknet.core.forms.NHSFormRenderer"

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'msknet.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # One writer at a time: take the write lock when a transaction starts,
    # wait up to 20 s for it, and let readers carry on while someone writes
    # (WAL). Imports hold the lock only while writing (msknet.insights.actions).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # three days for set-password links
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in rate limit: failures allowed per email address, and per client
# address, inside the window, before sign-in is refused for the rest of it.
SIGN_IN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("SIGN_IN_MAX_FAILURES", "5"))
SIGN_IN_MAX_FAILURES_PER_ADDRESS = int(
    os.environ.get("SIGN_IN_MAX_FAILURES_PER_ADDRESS", "20")
)
SIGN_IN_FAILURE_WINDOW_SECONDS = 15 * 60
# Password-reset emails: at most this many an hour to one email address, and
# asked for from one client address; the page answers the same way beyond.
PASSWORD_RESET_MAX_PER_EMAIL = int(os.environ.get("PASSWORD_RESET_MAX_PER_EMAIL", "3"))
PASSWORD_RESET_MAX_PER_CLIENT = int(
    os.environ.get("PASSWORD_RESET_MAX_PER_CLIENT", "10")
)
PASSWORD_RESET_WINDOW_SECONDS = 60 * 60
# How many reverse proxies in front of msknet append to X-Forwarded-For. The
# client address the limits count is the entry that many from the right; with
# 0, the address that connected (REMOTE_ADDR). Set it to exactly the proxies
# you run: one more lets a client choose its own address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Two-factor authentication (django-otp; msknet/members/views/two_factor.py).
# Wrong codes count toward the sign-in rate limit above, so django-otp's own
# per-device back-off is off: it would refuse a right code typed a second
# after a wrong one. MSKNET_REQUIRE_2FA=false lets leads and others whom
# `two_factor_required` names use the site without it (the demo only).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "msknet")
MSKNET_REQUIRE_2FA = env_bool("MSKNET_REQUIRE_2FA", True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
NODE_MODULES = Path(os.environ.get("MSKNET_NODE_MODULES", PROJECT_DIR / "node_modules"))
STATICFILES_DIRS = [
    BASE_DIR / "static",  # msknet/static: the site's own CSS and scripts
    ("nhsuk", NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("vendor/vega", NODE_MODULES / "vega" / "build"),
    ("vendor/vega-lite", NODE_MODULES / "vega-lite" / "build"),
    ("vendor/vega-embed", NODE_MODULES / "vega-embed" / "build"),
    # Vega's expression interpreter (an ES module importing vega-util), so charts
    # need no 'unsafe-eval' in the Content-Security-Policy.
    ("vendor/vega-interpreter", NODE_MODULES / "vega-interpreter" / "build"),
    ("vendor/vega-util", NODE_MODULES / "vega-util" / "build"),
    # Searchable member pickers: enhances a <select>, which works without it.
    ("vendor/accessible-autocomplete", NODE_MODULES / "accessible-autocomplete" / "dist"),
]
# The NHS.UK stylesheet is precompiled to ask for its icons at /assets/images/:
# msknet.core.middleware.StaticFilesMiddleware serves this folder at /assets/.
NHSUK_ASSETS = NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk" / "assets"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("MSKNET_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve straight from the source folders while developing and testing.
WHITENOISE_USE_FINDERS = DEBUG or RUNNING_TESTS
WHITENOISE_AUTOREFRESH = DEBUG or RUNNING_TESTS
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024


def parse_email_url(url: str) -> dict[str, object]:
    """Email settings from EMAIL_URL: console:, smtp://user:pass@host:587?tls=1."""
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if scheme not in backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {scheme!r} is not one of {', '.join(backends)}."
        )
    query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    return {
        "EMAIL_BACKEND": backends[scheme],
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or (465 if scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": query.get("tls", "").lower() in {"1", "true", "yes"},
        "EMAIL_USE_SSL": scheme == "smtps"
        or query.get("ssl", "").lower() in {"1", "true", "yes"},
    }


globals().update(parse_email_url(os.environ.get("EMAIL_URL", "console:")))

# Background tasks and scheduled jobs (django-q2, the database as the queue:
# docs/decisions/0010). `msknet worker` runs them; under pytest they run at
# once in the caller unless queued with sync=False.
TASK_TIMEOUT_SECONDS = int(os.environ.get("TASK_TIMEOUT_SECONDS", str(30 * 60)))
Q_CLUSTER = {
    "name": "msknet",
    "orm": "default",
    "workers": int(os.environ.get("WORKER_PROCESSES", "2")),
    "timeout": TASK_TIMEOUT_SECONDS,
    # A task not finished this long after a worker took it is handed out
    # again (its worker died); longer than the timeout, so never while it runs.
    "retry": TASK_TIMEOUT_SECONDS + 5 * 60,
    "max_attempts": 2,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 500,
    "poll": float(os.environ.get("WORKER_POLL_SECONDS", "1")),
    "sync": RUNNING_TESTS,
    "label": "Background tasks",
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "msknet <noreply@localhost>")

# Security: safe defaults everywhere; HTTPS-only settings when DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# Tests talk plain HTTP to the live server, so HTTPS defaults off under pytest.
_https = env_bool("HTTPS", not DEBUG and not RUNNING_TESTS)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _https)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if _https else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)

# --- Content-Security-Policy (django-csp; docs/decisions/0008) ---------------
# Scripts, styles, images, fonts and fetches come from this site only: no
# inline scripts, style attributes or <style> blocks, no eval. A page that
# cannot avoid an inline script gives it `nonce="{{ request.csp_nonce }}"`; the
# nonce is in the header only on responses that used it. Forms may post only
# here, and to the single sign-on identity provider when OIDC_ISSUER is set
# (msknet.core.middleware.ContentSecurityPolicyMiddleware adds its origin).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        # The NHS.UK stylesheet loads the Frutiger typeface from the NHS's own
        # font host; browsers fall back to Arial when it cannot be reached.
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# --- end of Content-Security-Policy ------------------------------------------

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"level": "ERROR"},
    },
}

# --- Single sign-on (OpenID Connect; docs/decisions/0007) ---------------------
# Off unless OIDC_ISSUER is set. The provider's endpoints come from
# <issuer>/.well-known/openid-configuration when first needed
# (msknet/members/sso.py). The site's callback URL, to register at the
# provider, is SITE_URL + /account/sso/callback/.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
# The button reads "Sign in with <OIDC_DISPLAY_NAME>".
OIDC_DISPLAY_NAME = os.environ.get(
    "OIDC_DISPLAY_NAME", "your organisation's account"
)
# The claim that says the provider checked the email address: email_verified
# (the standard), or xms_edov for Microsoft Entra ID (added as an optional claim).
OIDC_EMAIL_VERIFIED_CLAIM = os.environ.get(
    "OIDC_EMAIL_VERIFIED_CLAIM", "email_verified"
)
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
LOGIN_REDIRECT_URL_FAILURE = "sign-in"
# false: people sign in only with single sign-on; the password form, password
# reset and set-password pages are gone.
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", True)
if not PASSWORD_SIGN_IN and not OIDC_ISSUER:
    raise ImproperlyConfigured(
        "PASSWORD_SIGN_IN is false but OIDC_ISSUER is not set, so nobody could "
        "sign in. Set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET."
    )
if OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too, from "
        "the site's registration at the identity provider."
    )
AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "msknet.members.sso.SSOBackend"]
# --- end of single sign-on ----------------------------------------------------
