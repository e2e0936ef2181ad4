from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from msknet.core.confirm import confirm
from msknet.core.gate import gate
from msknet.core.request_limits import explains_too_big, was_too_big

from .. import sso
from ..actions import invitations as actions
from ..actions.memberships import AlreadyMember, find_user
from ..forms.invitations import (
    BulkInvitationForm,
    InvitationForm,
    InvitedMembershipForm,
    NewAccountForm,
)
from ..models import Invitation, Membership, Network
from ..permissions import Permission
from ..sso import PASSWORD_BACKEND

# The list's sections, in the order a lead wants them.
SECTIONS = [
    (Invitation.Status.OPEN, "Open invitations"),
    (Invitation.Status.EXPIRED, "Expired invitations"),
    (Invitation.Status.ACCEPTED, "Accepted invitations"),
    (Invitation.Status.REVOKED, "Withdrawn invitations"),
]


def manage_crumbs(network: Network, *, with_list: bool = True) -> list[tuple[str, str]]:
    crumbs = [(network.short_name, network.get_absolute_url())]
    if with_list:
        crumbs.append(("Invitations", reverse("invitation-list", args=[network.slug])))
    return crumbs


@gate(Permission.MANAGE_INVITATIONS)
def invitation_list(request: HttpRequest, network: Network) -> HttpResponse:
    by_status: dict[str, list[Invitation]] = {status: [] for status, _ in SECTIONS}
    for invitation in network.invitations.select_related(
        "created_by", "accepted_by", "revoked_by"
    ):
        by_status[invitation.status].append(invitation)
    context = {
        "network": network,
        "sections": [
            (status, title, by_status[status]) for status, title in SECTIONS
        ],
        "crumbs": manage_crumbs(network, with_list=False),
    }
    return TemplateResponse(
        request, "members/invitations/invitation_list.html", context
    )


@gate(Permission.MANAGE_INVITATIONS)
def invitation_create(request: HttpRequest, network: Network) -> HttpResponse:
    form = InvitationForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = actions.invite(
                network=network, by=request.user, **form.cleaned_data
            )
        except actions.InvitationRefused as refused:
            form.add_error("email", str(refused))
        else:
            messages.success(
                request, f"We have emailed an invitation to {invitation.email}"
            )
            return redirect("invitation-list", network_slug=network.slug)
    context = {"network": network, "form": form, "crumbs": manage_crumbs(network)}
    return TemplateResponse(
        request, "members/invitations/invitation_form.html", context
    )


@explains_too_big
@gate(Permission.MANAGE_INVITATIONS)
def invitation_bulk(request: HttpRequest, network: Network) -> HttpResponse:
    form = BulkInvitationForm(
        request.POST or None, request.FILES or None, network=network
    )
    if was_too_big(request):
        form.add_too_big_error()
    if request.method == "POST" and form.is_valid():
        try:
            invitations = actions.invite_many(
                network=network, by=request.user, invitees=form.cleaned_data["invitees"]
            )
        except actions.InvitationRefused as refused:
            # Someone else invited one of these people while the lead was
            # uploading; nothing was sent.
            form.add_error(None, f"{refused}. No one was invited.")
        else:
            count = len(invitations)
            people = "invitation" if count == 1 else "invitations"
            messages.success(request, f"We have emailed {count:,} {people}")
            return redirect("invitation-list", network_slug=network.slug)
    context = {"network": network, "form": form, "crumbs": manage_crumbs(network)}
    return TemplateResponse(
        request, "members/invitations/invitation_bulk.html", context
    )


@gate(Permission.MANAGE_INVITATIONS)
@require_POST
def invitation_resend(request: HttpRequest, network: Network, pk: int) -> HttpResponse:
    invitation = get_object_or_404(network.invitations, pk=pk)
    try:
        actions.resend_invitation(invitation=invitation, by=request.user)
    except actions.InvitationClosed as closed:
        messages.error(
            request,
            f"The invitation to {invitation.email} was "
            f"{Invitation.Status(closed.status).label.lower()}, so it cannot be "
            "re-sent",
        )
    except actions.InvitationRefused as refused:
        messages.error(request, f"Not re-sent: {refused}")
    else:
        messages.success(
            request,
            f"We have emailed {invitation.email} a new link. The old link no "
            "longer works.",
        )
    return redirect("invitation-list", network_slug=network.slug)


@gate(Permission.MANAGE_INVITATIONS)
@require_http_methods(["GET", "POST"])
def invitation_withdraw(
    request: HttpRequest, network: Network, pk: int
) -> HttpResponse:
    invitation = get_object_or_404(network.invitations, pk=pk)
    if request.method != "POST":
        return confirm(
            request, question=f"Withdraw the invitation to {invitation.email}?",
            explanation="The link in their email will stop working, and you "
            "cannot undo this. You can invite them again with a new link.",
            button="Withdraw the invitation",
            back_url=reverse("invitation-list", args=[network.slug]),
            crumbs=manage_crumbs(network))
    try:
        actions.withdraw_invitation(invitation=invitation, by=request.user)
    except actions.InvitationClosed as closed:
        messages.error(
            request,
            f"The invitation to {invitation.email} was already "
            f"{Invitation.Status(closed.status).label.lower()}",
        )
    else:
        messages.success(
            request,
            f"You withdrew the invitation to {invitation.email}. Its link no "
            "longer works.",
        )
    return redirect("invitation-list", network_slug=network.slug)


def unavailable(
    request: HttpRequest, invitation: Invitation | None, *, reason: str, status: int
) -> HttpResponse:
    context = {
        "invitation": invitation,
        "network": invitation.network if invitation else None,
        "reason": reason,
    }
    return TemplateResponse(
        request,
        "members/invitations/accept_unavailable.html",
        context,
        status=status,
    )


@gate(Permission.VIEW_PUBLIC)
@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = actions.find_invitation(token)
    if invitation is None:
        return unavailable(request, None, reason="unknown", status=404)
    network = invitation.network
    request.network = network  # type: ignore[attr-defined]
    if invitation.status != Invitation.Status.OPEN:
        return unavailable(request, invitation, reason=invitation.status, status=410)
    if request.user.is_authenticated:
        return accept_as_signed_in(request, invitation)
    # Without passwords, a newcomer's account comes from single sign-on too.
    sso_only = not sso.password_sign_in()
    if sso_only or find_user(invitation.email) is not None:
        sign_in = reverse("sign-in") + "?" + urlencode({"next": request.path})
        context = {
            "invitation": invitation,
            "network": network,
            "sign_in": sign_in,
            "sso_only": sso_only,
            "sso_display_name": sso.display_name(),
        }
        return TemplateResponse(
            request, "members/invitations/accept_sign_in.html", context
        )
    form = NewAccountForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            membership = actions.accept_invitation_with_new_account(
                invitation=invitation, **form.account_details()
            )
        except actions.InvitationClosed as closed:
            return unavailable(request, invitation, reason=closed.status, status=410)
        except actions.AccountExists:
            # Created since the page loaded: show the sign-in prompt.
            return redirect(request.path)
        # Several backends sign people in (single sign-on too): name this one.
        login(request, membership.user, backend=PASSWORD_BACKEND)
        return welcome(request, membership)
    context = {"invitation": invitation, "network": network, "form": form}
    return TemplateResponse(
        request, "members/invitations/accept_new_account.html", context
    )


def accept_as_signed_in(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    network = invitation.network
    user = request.user
    if user.email.lower() != invitation.email.lower():
        context = {"invitation": invitation, "network": network}
        return TemplateResponse(
            request,
            "members/invitations/accept_wrong_account.html",
            context,
            status=403,
        )
    if Membership.objects.filter(user=user, network=network).exists():
        return unavailable(request, invitation, reason="member", status=200)
    form = InvitedMembershipForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            membership = actions.accept_invitation(
                invitation=invitation, user=user, **form.membership_details()
            )
        except actions.InvitationClosed as closed:
            return unavailable(request, invitation, reason=closed.status, status=410)
        except AlreadyMember:
            return unavailable(request, invitation, reason="member", status=200)
        return welcome(request, membership)
    context = {"invitation": invitation, "network": network, "form": form}
    return TemplateResponse(
        request, "members/invitations/accept_existing_account.html", context
    )


def welcome(request: HttpRequest, membership: Membership) -> HttpResponse:
    messages.success(
        request,
        f"Welcome to {membership.network.name}. You joined as "
        f"a {membership.get_role_display().lower()}.",
    )
    return redirect(membership.network.get_absolute_url())


urlpatterns = [
    path(
        "n/<slug:network_slug>/manage/invitations/",
        invitation_list,
        name="invitation-list",
    ),
    path(
        "n/<slug:network_slug>/manage/invitations/new/",
        invitation_create,
        name="invitation-create",
    ),
    path(
        "n/<slug:network_slug>/manage/invitations/bulk/",
        invitation_bulk,
        name="invitation-bulk",
    ),
    path(
        "n/<slug:network_slug>/manage/invitations/<int:pk>/resend/",
        invitation_resend,
        name="invitation-resend",
    ),
    path(
        "n/<slug:network_slug>/manage/invitations/<int:pk>/withdraw/",
        invitation_withdraw,
        name="invitation-withdraw",
    ),
    path("invitations/<str:token>/", invitation_accept, name="invitation-accept"),
]
