from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .permissions import two_factor_rule

#: Pages a signed-in person reaches before their code: signing out, and the
#: pages that ask for a code or set an app up.
OPEN_URL_NAMES = (
    "sign-out",
    "two-factor-set-up",
    "two-factor-recovery-codes",
    "two-factor-verify",
    "healthz",
)


class TwoFactorMiddleware:
    """Ask for the second factor before any page, from whoever needs it.

    A signed-in person whose session has not passed a code is sent to enter
    one if they have an authenticator app, and to set one up if
    `permissions.two_factor_required` says they must. That covers every way
    of signing in (a password, single sign-on, a password reset link). The
    API is left alone: it takes bearer tokens, never the session. Install
    after django_otp's OTPMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.open_paths: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        destination = self.destination(request)
        if destination is not None:
            target = request.get_full_path() if request.method == "GET" else None
            if target:
                destination = f"{destination}?{urlencode({'next': target})}"
            return HttpResponseRedirect(destination)
        return self.get_response(request)

    def is_open(self, path: str) -> bool:
        if self.open_paths is None:
            self.open_paths = frozenset(reverse(name) for name in OPEN_URL_NAMES)
        return path in self.open_paths or path.startswith((settings.STATIC_URL, "/api/"))

    def destination(self, request: HttpRequest) -> str | None:
        """Where the person must go first, or None to carry on."""
        if self.is_open(request.path):
            return None
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        annotations: dict[str, Any] = {
            "has_device": Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            )
        }
        if settings.MSKNET_REQUIRE_2FA:
            annotations["required"] = Exists(
                User.objects.filter(pk=OuterRef("pk")).filter(two_factor_rule())
            )
        state = (
            User.objects.filter(pk=user.pk).annotate(**annotations).values(
                *annotations
            )
        ).first() or {}
        if state.get("has_device"):
            return reverse("two-factor-verify")
        if state.get("required"):
            return reverse("two-factor-set-up")
        return None
