"""Two-factor authentication: setting up an authenticator app, recovery codes,
turning it off, and the code step of signing in.

Between the password and the code, the session holds only who is signing in
and when (`PENDING`), never a login; it lapses after five minutes.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from msknet.core.confirm import confirm
from msknet.core.gate import gate, public

from ..actions import accounts as account_actions
from ..actions import two_factor as actions
from ..forms.two_factor import AppCodeForm, SecurityCodeForm, TurnOffForm
from ..models import User
from ..permissions import Permission, two_factor_required
from .accounts import SIGN_IN_REFUSED, account_crumbs, posted, safe_next

PENDING = "msknet_two_factor_pending"
PENDING_SECONDS = 5 * 60
NEW_CODES = "msknet_two_factor_new_codes"


def with_next(url_name: str, next_url: str | None) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def next_or_home(request: HttpRequest) -> str:
    return safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


# The code step of signing in ------------------------------------------------


def start_pending(
    request: HttpRequest, step: account_actions.SignInStep, next_url: str | None
) -> None:
    """Remember, for five minutes, who gave a password and is asked for a code."""
    request.session[PENDING] = {
        "user": step.user.pk,
        "password_ok": step.password_ok,
        "backend": getattr(step.user, "backend", ""),
        "at": time.time(),
        "next": next_url or "",
    }


def pending_sign_in(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        del request.session[PENDING]
        return None
    return pending


@public
@sensitive_post_parameters("code")
@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code: after the password, or from someone signed in some
    other way (single sign-on, a password reset link) whose session is not
    verified yet."""
    user: Any = request.user
    pending = None
    if user.is_authenticated:
        if user.is_verified():
            return redirect(next_or_home(request))
        if not actions.has_device(user):
            return redirect(with_next("two-factor-set-up", safe_next(request)))
    else:
        pending = pending_sign_in(request)
        if pending is None:
            messages.error(
                request,
                "You took more than 5 minutes to enter the security code. Sign in "
                "again.",
            )
            return redirect(with_next("sign-in", safe_next(request)))
    next_url = (pending or {}).get("next") or safe_next(request)
    form = SecurityCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if pending is not None:
            return finish_pending(request, pending, code)
        try:
            device = account_actions.check_code(request=request, user=user, code=code)
        except account_actions.SignInRefused as refused:
            form.add_error("code", str(refused))
        else:
            otp_login(request, device)
            return signed_in(request, device, next_url)
    context = {"form": form, "next": next_url or "", "signed_in": pending is None}
    return TemplateResponse(request, "members/accounts/two_factor_verify.html", context)


def finish_pending(
    request: HttpRequest, pending: dict[str, Any], code: str
) -> HttpResponse:
    del request.session[PENDING]
    user = User.objects.filter(pk=pending["user"]).first()
    try:
        if user is None:
            raise account_actions.SignInRefused(
                account_actions.WRONG_CREDENTIALS_OR_CODE
            )
        device = account_actions.finish_sign_in(
            request=request,
            user=user,
            password_ok=bool(pending["password_ok"]),
            code=code,
        )
    except account_actions.SignInRefused as refused:
        # Back to the start: the same words whichever of the two was wrong.
        request.session[SIGN_IN_REFUSED] = {
            "email": user.email if user else "",
            "message": str(refused),
        }
        return redirect(with_next("sign-in", pending["next"]))
    login(request, user, backend=pending["backend"] or None)
    otp_login(request, device)
    return signed_in(request, device, pending["next"])


def signed_in(request: HttpRequest, device: Any, next_url: str | None) -> HttpResponse:
    if isinstance(device, StaticDevice):
        left = actions.recovery_codes_left(request.user)
        messages.success(
            request,
            f"You signed in with a recovery code. You have {left} left: make new "
            "ones from your account page if you are running out.",
        )
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


# Setting up, recovery codes, turning off ------------------------------------


def qr_code(device: Any) -> str:
    """The set-up address as a QR code: an SVG data URI for an <img>."""
    return segno.make(device.config_url, error="m").svg_data_uri(
        scale=5, dark="#212b32", border=4
    )


@gate(Permission.USE_OWN_ACCOUNT)
@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    context = {
        "has_device": actions.has_device(user),
        "required": two_factor_required(user),
        "codes_left": actions.recovery_codes_left(user),
        "crumbs": account_crumbs(),
    }
    return TemplateResponse(request, "members/accounts/two_factor.html", context)


@gate(Permission.USE_OWN_ACCOUNT)
@sensitive_post_parameters("code")
@never_cache
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if actions.has_device(user):
        messages.success(request, "You already use an authenticator app")
        return redirect("two-factor")
    device = actions.unconfirmed_device(user=user)
    form = AppCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            codes = actions.add_authenticator(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except actions.WrongCode:
            form.add_error(
                "code",
                "The code is not correct. Check the app shows msknet and enter the "
                "code it shows now",
            )
        else:
            device.refresh_from_db()
            otp_login(request, device)
            request.session[NEW_CODES] = codes
            return redirect(with_next("two-factor-recovery-codes", safe_next(request)))
    context = {
        "form": form,
        "qr_code": qr_code(device),
        "secret": actions.grouped_secret(device),
        "required": two_factor_required(user),
        "next": safe_next(request) or "",
        "crumbs": account_crumbs(),
    }
    return TemplateResponse(request, "members/accounts/two_factor_set_up.html", context)


@gate(Permission.USE_OWN_ACCOUNT)
@never_cache
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once."""
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        return redirect("two-factor")
    context = {
        "codes": codes,
        "next": safe_next(request) or "",
        "crumbs": account_crumbs(),
    }
    return TemplateResponse(
        request, "members/accounts/two_factor_recovery_codes.html", context
    )


@gate(Permission.USE_OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def two_factor_new_codes(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not (actions.has_device(user) and user.is_verified()):
        return redirect("two-factor")
    if request.method != "POST":
        return confirm(
            request, question="Make new recovery codes?",
            explanation="Your current recovery codes will stop working at once. "
            "Keep the new ones somewhere safe.",
            button="Make new recovery codes", back_url=reverse("two-factor"),
            crumbs=[*account_crumbs(), ("Two-factor authentication",
                                        reverse("two-factor"))])
    request.session[NEW_CODES] = actions.replace_recovery_codes(user=user, by=user)
    return redirect("two-factor-recovery-codes")


@gate(Permission.USE_OWN_ACCOUNT)
@sensitive_post_parameters("code", "password")
@never_cache
def two_factor_turn_off(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not actions.has_device(user):
        return redirect("two-factor")
    required = two_factor_required(user)
    form = TurnOffForm(posted(request))
    if request.method == "POST" and not required and form.is_valid():
        code, password = form.cleaned_data["code"], form.cleaned_data["password"]
        if code and actions.verify_code(user=user, code=code) is None:
            actions.record_wrong_code(user=user)
            form.add_error("code", "The security code is not correct")
        elif not code and not user.check_password(password):
            form.add_error("password", "The password is not correct")
        else:
            actions.remove_two_factor(user=user, by=user)
            messages.success(request, "Two-factor authentication is off")
            return redirect("account")
    context = {"form": form, "required": required, "crumbs": account_crumbs()}
    return TemplateResponse(request, "members/accounts/two_factor_turn_off.html", context)


urlpatterns = [
    path("account/two-factor/", two_factor, name="two-factor"),
    path("account/two-factor/set-up/", two_factor_set_up, name="two-factor-set-up"),
    path(
        "account/two-factor/recovery-codes/",
        two_factor_recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path(
        "account/two-factor/recovery-codes/new/",
        two_factor_new_codes,
        name="two-factor-new-codes",
    ),
    path(
        "account/two-factor/turn-off/", two_factor_turn_off, name="two-factor-turn-off"
    ),
    path("account/two-factor/verify/", two_factor_verify, name="two-factor-verify"),
]
