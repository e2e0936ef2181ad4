"""Changing one's email address: ask (with the password), then confirm by link."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.debug import sensitive_post_parameters

from msknet.core.gate import gate, public

from .. import ratelimits
from ..actions import email_change as actions
from ..forms.email_change import EmailChangeForm
from ..permissions import Permission
from ..sso import recently_signed_in_with_sso

#: Requests for a confirmation link one account may make in an hour.
REQUESTS_PER_HOUR = 5
TOO_MANY = (
    "You have asked to change your email address too many times. Try again in "
    "an hour"
)


@gate(Permission.USE_OWN_ACCOUNT)
@sensitive_post_parameters("password")
def account_email(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = EmailChangeForm(
        request.POST if request.method == "POST" else None,
        user=user,
        ask_password=not recently_signed_in_with_sso(request),
    )
    if request.method == "POST":
        within_limit = ratelimits.allow(
            "email-change", str(user.pk), limit=REQUESTS_PER_HOUR, window_seconds=3600
        )
        if form.is_valid() and within_limit:
            new_email = form.cleaned_data["email"]
            actions.request_email_change(user=user, by=user, new_email=new_email)
            messages.success(
                request,
                f"We have emailed a link to {new_email}. Follow it within "
                f"{actions.LINK_LIFETIME.days} days to start using that address; "
                f"until then, keep signing in with {user.email}.",
            )
            return redirect("account")
        if not within_limit:
            form.add_error(None, TOO_MANY)
    context = {
        "form": form,
        "crumbs": [("Your account", reverse("account"))],
    }
    return TemplateResponse(request, "members/accounts/email_form.html", context)


@public
def account_email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user, new_email = actions.change_for_token(token)
        if request.method == "POST":
            user = actions.confirm_email_change(token=token)
    except actions.LinkUnusable:
        return TemplateResponse(
            request, "members/accounts/email_confirm_unusable.html"
        )
    if request.method == "POST":
        messages.success(
            request, f"Your email address is now {user.email}. Sign in with it from now on."
        )
        signed_in_as_them = request.user.is_authenticated and request.user.pk == user.pk
        return redirect("account" if signed_in_as_them else "sign-in")
    return TemplateResponse(
        request, "members/accounts/email_confirm.html", {"new_email": new_email}
    )


urlpatterns = [
    path("account/email/", account_email, name="account-email"),
    path(
        "account/email/confirm/<str:token>/",
        account_email_confirm,
        name="account-email-confirm",
    ),
]
