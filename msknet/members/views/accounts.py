"""A person's own account: sign in and out, passwords, details, data, tokens."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from msknet.core.confirm import confirm
from msknet.core.gate import gate, public

from .. import sso
from ..actions import accounts as actions
from ..actions.two_factor import has_device
from ..forms.accounts import (
    AccountDetailsForm,
    DeleteAccountForm,
    MembershipForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SignInForm,
    TokenForm,
)
from ..models import APIToken, Membership, Network, Role, User
from ..permissions import Permission
from ..sso import PASSWORD_BACKEND
from .sso import (
    confirm_identity_context,
    password_sign_in_required,
    with_single_sign_on,
)


def posted(request: HttpRequest) -> Any:
    """The submitted data, so that an empty submission is still validated."""
    return request.POST if request.method == "POST" else None


def account_crumbs() -> list[tuple[str, str]]:
    return [("Your account", reverse("account"))]


# Signing in and out -------------------------------------------------------

#: A sign-in refused at the code step, for the sign-in page to show.
SIGN_IN_REFUSED = "msknet_sign_in_refused"



def safe_next(request: HttpRequest) -> str | None:
    """The "next" URL, only when it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@public
@with_single_sign_on
@sensitive_post_parameters("password")
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(posted(request))
    refused = request.session.pop(SIGN_IN_REFUSED, None)
    if refused and request.method == "GET":
        form = SignInForm.refused(refused["email"], refused["message"])
    if request.method == "POST" and form.is_valid():
        try:
            step = actions.sign_in(request=request, **form.cleaned_data)
        except actions.SignInRefused as refused:
            form.add_error(None, str(refused))
        else:
            if step.needs_code:
                from .two_factor import start_pending

                start_pending(request, step, safe_next(request))
                return redirect("two-factor-verify")
            login(request, step.user)
            return redirect(
                safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)
            )
    context = {"form": form, "next": safe_next(request) or ""}
    return TemplateResponse(request, "members/accounts/sign_in.html", context)


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "You have signed out")
    return redirect(settings.LOGOUT_REDIRECT_URL)


# Passwords ----------------------------------------------------------------


class PasswordReset(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "members/accounts/password_reset_form.html"
    subject_template_name = "members/email/password_reset_subject.txt"
    email_template_name = "members/email/password_reset_body.txt"
    success_url = reverse_lazy("password-reset-sent")

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = {"site_url": settings.SITE_URL}
        if not actions.may_email_password_reset(
            email=form.cleaned_data["email"],
            address=actions.client_address(self.request),
        ):
            # The same answer as ever, but no more mail for now.
            return redirect(self.get_success_url())
        return super().form_valid(form)


class NewPassword(auth_views.PasswordResetConfirmView):
    """Choose a password from an emailed link, then sign in."""

    form_class = NewPasswordForm
    post_reset_login = True
    post_reset_login_backend = PASSWORD_BACKEND
    success_message = ""

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        if user is None or not user.is_active or user.erased_at is not None:
            return None
        return user

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        actions.clear_sign_in_failures(email=form.user.email)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return response


class ResetPassword(NewPassword):
    template_name = "members/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")


class SetPassword(NewPassword):
    """A new member's first password, from the link in their welcome email."""

    template_name = "members/accounts/set_password.html"
    success_url = reverse_lazy("account")
    success_message = "Your password is created and you are signed in"


@public
@password_sign_in_required
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "members/accounts/password_reset_complete.html")


# The account page ---------------------------------------------------------


@gate(Permission.USE_OWN_ACCOUNT)
def account(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("network", "organisation", "icb")
        .order_by("network__name")
    )
    context = {
        "memberships": memberships,
        "token_count": APIToken.objects.filter(user=request.user).count(),
        "two_factor_on": has_device(request.user),
    }
    return TemplateResponse(request, "members/accounts/account.html", context)


@gate(Permission.USE_OWN_ACCOUNT)
def account_details(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    form = AccountDetailsForm(posted(request), instance=User.objects.get(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        actions.update_account(user=user, by=user, **form.cleaned_data)
        messages.success(request, "Your details are saved")
        return redirect("account")
    context = {"form": form, "crumbs": account_crumbs()}
    return TemplateResponse(request, "members/accounts/details_form.html", context)


def own_membership(request: HttpRequest, network: Network) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("network"), user=request.user, network=network
    )


@gate(Permission.USE_OWN_ACCOUNT)
def account_membership(request: HttpRequest, network: Network) -> HttpResponse:
    membership = own_membership(request, network)
    form = MembershipForm(posted(request), instance=membership)
    if request.method == "POST" and form.is_valid():
        actions.update_membership(
            membership=membership, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"Your details in {network.short_name} are saved")
        return redirect("account")
    context = {
        "network": network,
        "membership": membership,
        "form": form,
        "crumbs": account_crumbs(),
    }
    return TemplateResponse(request, "members/accounts/membership_form.html", context)


@gate(Permission.USE_OWN_ACCOUNT)
def account_leave(request: HttpRequest, network: Network) -> HttpResponse:
    membership = own_membership(request, network)
    last_lead = actions.is_last_lead(membership)
    if request.method == "POST":
        try:
            actions.leave_network(membership=membership, by=request.user)
        except actions.LastLead as refused:
            messages.error(request, str(refused))
            return redirect("account-leave", network_slug=network.slug)
        messages.success(request, f"You have left {network.name}")
        return redirect("account")
    context = {
        "network": network,
        "membership": membership,
        "last_lead_message": actions.last_lead_message(network) if last_lead else "",
        "crumbs": account_crumbs(),
    }
    return TemplateResponse(request, "members/accounts/leave_confirm.html", context)


# Personal data ------------------------------------------------------------


@gate(Permission.USE_OWN_ACCOUNT)
def account_data(request: HttpRequest) -> HttpResponse:
    data = actions.export_personal_data(user=request.user)
    filename = f"msknet-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@gate(Permission.USE_OWN_ACCOUNT)
@sensitive_post_parameters("password")
def account_delete(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    form = DeleteAccountForm(
        posted(request), user=user, ask_password=sso.confirms_with_password(user)
    )
    confirm_identity = confirm_identity_context(request, reverse("account-delete"))
    if request.method == "POST" and confirm_identity["sso_confirm"]["needed"]:
        form.add_error(
            None,
            f"Sign in again with {sso.display_name()} to check it is you, then "
            "delete your account",
        )
    elif request.method == "POST" and form.is_valid():
        try:
            actions.erase_account(user=user)
        except actions.LastLead as refused:
            form.add_error(None, str(refused))
        else:
            logout(request)
            messages.success(request, "Your account and your personal data are deleted")
            return redirect("home")
    context = {
        "form": form,
        "lead_of": Membership.objects.filter(user=user, role=Role.LEAD).select_related(
            "network"
        ),
        "crumbs": account_crumbs(),
        **confirm_identity,
    }
    return TemplateResponse(request, "members/accounts/delete_confirm.html", context)


# API tokens ---------------------------------------------------------------


@gate(Permission.USE_OWN_ACCOUNT)
@never_cache
def account_tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(posted(request))
    created: tuple[APIToken, str] | None = None
    if request.method == "POST" and form.is_valid():
        created = actions.create_api_token(user=request.user, **form.cleaned_data)
        form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": APIToken.objects.filter(user=request.user),
        "crumbs": account_crumbs(),
    }
    return TemplateResponse(request, "members/accounts/tokens.html", context)


@gate(Permission.USE_OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def account_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(APIToken, pk=pk, user=request.user)
    if request.method != "POST":
        return confirm(
            request, question=f"Revoke the token '{token.name}'?",
            explanation="Anything using it will no longer reach the API. You "
            "cannot undo this, but you can create a new token.",
            button="Revoke the token", back_url=reverse("account-tokens"),
            crumbs=[*account_crumbs(), ("API tokens", reverse("account-tokens"))])
    actions.revoke_api_token(token=token, by=request.user)
    messages.success(request, f"You revoked the token '{token.name}'")
    return redirect("account-tokens")


urlpatterns = [
    path("account/sign-in/", sign_in, name="sign-in"),
    path("account/sign-out/", sign_out, name="sign-out"),
    path(
        "account/password-reset/",
        public(password_sign_in_required(PasswordReset.as_view())),
        name="password-reset",
    ),
    path(
        "account/password-reset/sent/",
        public(
            password_sign_in_required(
                auth_views.PasswordResetDoneView.as_view(
                    template_name="members/accounts/password_reset_sent.html"
                )
            )
        ),
        name="password-reset-sent",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        public(password_sign_in_required(ResetPassword.as_view())),
        name="password-reset-confirm",
    ),
    path(
        "account/password-reset/done/",
        password_reset_complete,
        name="password-reset-complete",
    ),
    path(
        "account/set-password/<uidb64>/<token>/",
        public(password_sign_in_required(SetPassword.as_view())),
        name="set-password",
    ),
    path("account/", account, name="account"),
    path("account/details/", account_details, name="account-details"),
    path(
        "account/networks/<slug:network_slug>/",
        account_membership,
        name="account-membership",
    ),
    path(
        "account/networks/<slug:network_slug>/leave/",
        account_leave,
        name="account-leave",
    ),
    path("account/data.json", account_data, name="account-data"),
    path("account/delete/", account_delete, name="account-delete"),
    path("account/tokens/", account_tokens, name="account-tokens"),
    path(
        "account/tokens/<int:pk>/revoke/",
        account_token_revoke,
        name="account-token-revoke",
    ),
]
