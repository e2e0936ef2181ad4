"""Single sign-on pages: off to the identity provider and back again.

mozilla-django-oidc's views run the flow; these subclasses read the
provider's endpoints from discovery, note the sign-in, and bring refusals
back to the sign-in page in words the person can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from msknet.core.gate import public

from .. import sso
from ..actions import sso as actions


def refuse(request: HttpRequest, message: str) -> HttpResponse:
    request.session[sso.SESSION_REFUSAL] = message
    return redirect("sign-in")


class SSOStart(OIDCAuthenticationRequestView):
    """Send the person to the identity provider to sign in."""

    get_settings = staticmethod(sso.get_setting)

    def __init__(self, **kwargs: Any) -> None:
        # The library reads the endpoint here; discovery waits for a request.
        View.__init__(self, **kwargs)

    OIDC_OP_AUTH_ENDPOINT = property(
        lambda self: sso.get_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
    )
    OIDC_RP_CLIENT_ID = property(lambda self: sso.get_setting("OIDC_RP_CLIENT_ID"))

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        params = dict(super().get_extra_params(request))
        if request.user.is_authenticated:
            # Signing in again to confirm a change: the provider must ask,
            # not wave the person through on its own session.
            params["prompt"] = "login"
        return params

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.enabled():
            raise Http404("Single sign-on is not set up on this site.")
        try:
            sso.provider_configuration()
        except sso.ProviderUnavailable:
            return refuse(
                request,
                f"{sso.display_name()} did not answer. Try again in a few minutes.",
            )
        return super().get(request)


class SSOCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the person back, signed in or not."""

    get_settings = staticmethod(sso.get_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.enabled():
            raise Http404("Single sign-on is not set up on this site.")
        return super().get(request)

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        actions.signed_in_with_sso(request=self.request, user=self.user)
        return response

    def login_failure(self) -> HttpResponse:
        message = getattr(self.request, "sso_refused", None) or sso.failure_message()
        return refuse(self.request, message)


# The sign-in page and the password pages -----------------------------------


def next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def sign_in_context(request: HttpRequest, refusal: str | None) -> dict[str, Any]:
    return {
        "sso": {
            "enabled": sso.enabled(),
            "display_name": sso.display_name(),
            "start_url": sso.start_url(next_url(request)) if sso.enabled() else "",
            "password_off": not sso.password_sign_in(),
            "refusal": refusal or "",
        }
    }


def with_single_sign_on(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """The sign-in page, with the single sign-on button and its refusals.

    When password sign-in is off, the password form is neither shown nor
    accepted: the page offers single sign-on alone.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = request.session.pop(sso.SESSION_REFUSAL, None)
        if not sso.password_sign_in():
            context = {"form": None, "next": next_url(request)}
            context.update(sign_in_context(request, refusal))
            status = 405 if request.method == "POST" else 200
            response: HttpResponse = TemplateResponse(
                request, "members/accounts/sign_in.html", context, status=status
            )
            add_never_cache_headers(response)
            return response
        response = view(request, *args, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            response.context_data.update(sign_in_context(request, refusal))
        return response

    return wrapped


def confirm_identity_context(request: HttpRequest, return_to: str) -> dict[str, Any]:
    """For a page that asks who it is before a serious change: whether the
    person must first sign in again with single sign-on, and where."""
    needed = not sso.confirms_with_password(
        request.user
    ) and not sso.recently_signed_in_with_sso(request)
    return {
        "sso_confirm": {
            "needed": needed,
            "display_name": sso.display_name(),
            "start_url": sso.start_url(return_to) if sso.enabled() else "",
        }
    }


def password_sign_in_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Password pages (reset, set password) go to sign-in when passwords are off."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sso.password_sign_in():
            return redirect("sign-in")
        return view(request, *args, **kwargs)

    return wrapped


urlpatterns = [
    path("account/sso/start/", public(SSOStart.as_view()), name="sso-start"),
    path("account/sso/callback/", public(SSOCallback.as_view()), name="sso-callback"),
]
