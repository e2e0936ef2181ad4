"""A person's notifications, their email choices, and one-click changes from email.

/account/notifications/ lists what each person has been told, across their
networks; /account/notifications/email/ is the table of email choices per
kind. /notifications/email/<token>/ is the link in every notification email:
it needs no sign-in (the signed token names the person and the kind) and
takes RFC 8058 one-click unsubscribes from mail programs.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from msknet.core.gate import gate
from msknet.members.models import User
from msknet.members.permissions import Permission

from .. import actions, queries
from ..forms import DeliveryForm, NotificationPreferencesForm
from ..models import Delivery, Kind
from ..news_queries import news_email_choices
from ..notify import delivery_for, read_preference_token

PAGE_SIZE = 30
#: The body a mail program posts for a one-click unsubscribe (RFC 8058).
ONE_CLICK = ("List-Unsubscribe", "One-Click")
BAD_LINK = "This notification's link does not work"
#: What the one-click page says of each choice.
CURRENTLY = {
    Delivery.IMMEDIATELY: "You get an email about this straight away, each time.",
    Delivery.DAILY: "You get email about this in a daily digest.",
    Delivery.WEEKLY: "You get email about this in a weekly digest.",
    Delivery.NEVER: "You get no email about this.",
}


def crumbs() -> list[tuple[str, str]]:
    return [("Your account", reverse("account"))]


def is_site_path(url: str) -> bool:
    """Whether `url` is a path on this site (never another site, or a scheme)."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


@gate(Permission.USE_OWN_ACCOUNT)
def notification_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    networks = list(queries.networks_for(user))
    network = next((n for n in networks if n.slug == request.GET.get("network")), None)
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else None
    notifications = queries.notifications_for(user, network=network, kind=kind)
    paginator = Paginator(notifications, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    filtered = network is not None or kind is not None
    context = {
        "page": page,
        "notifications": page.object_list,
        "unread": queries.unread_count(user),
        "networks": networks,
        "network": network,
        "kinds": [(k.value, k.label) for _, kinds in queries.kind_groups() for k in kinds],
        "kind": kind,
        "filtered": filtered,
        "page_range": (
            paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            if paginator.num_pages > 1
            else []
        ),
        "crumbs": crumbs(),
    }
    return TemplateResponse(request, "communications/notification_list.html", context)


@gate(Permission.USE_OWN_ACCOUNT)
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to what it is about, on this site."""
    notification = get_object_or_404(queries.notifications_for(request.user), pk=pk)
    actions.mark_read(notification=notification, by=request.user)
    if not is_site_path(notification.url):
        messages.error(request, BAD_LINK)
        return redirect("notification-list")
    return redirect(notification.url)


@gate(Permission.USE_OWN_ACCOUNT)
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = actions.mark_all_read(user=request.user, by=request.user)
    if count:
        messages.success(request, "All your notifications are marked as read")
    return redirect("notification-list")


@gate(Permission.USE_OWN_ACCOUNT)
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None,
        current=queries.deliveries(user),
    )
    if request.method == "POST" and form.is_valid():
        actions.choose_deliveries(user=user, choices=form.chosen(), by=user)
        messages.success(request, "Your email choices are saved")
        return redirect("notification-settings")
    chosen = form.data if form.is_bound else queries.deliveries(user)
    groups = [
        (
            name,
            [
                (row, chosen.get(row.kind.value, row.delivery), form[row.kind.value])
                for row in rows
            ],
        )
        for name, rows in queries.preference_groups(user)
    ]
    context = {
        "form": form,
        "groups": groups,
        "deliveries": Delivery.choices,
        "news": news_email_choices(user),
        "crumbs": [*crumbs(), ("Notifications", reverse("notification-list"))],
    }
    return TemplateResponse(
        request, "communications/notification_settings.html", context
    )


# One-click changes from an email ---------------------------------------------


def token_holder(token: str) -> tuple[Any, Kind]:
    """The person and kind a token names; Http404 if forged or the person is gone."""
    try:
        user_pk, kind = read_preference_token(token)
    except (signing.BadSignature, ValueError, KeyError, TypeError) as error:
        raise Http404("This link is not valid.") from error
    user = User.objects.filter(pk=user_pk, is_active=True, erased_at__isnull=True).first()
    if user is None:
        raise Http404("This link is not valid.")
    return user, Kind(kind)


def csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    """The CSRF check this view opts out of for one-click posts, for the rest."""
    check = CsrfViewMiddleware(lambda request: HttpResponse())
    return check.process_view(request, None, (), {})  # type: ignore[arg-type]


def is_one_click(request: HttpRequest) -> bool:
    return (
        request.method == "POST"
        and request.GET.get("never") == "1"
        and request.POST.get(ONE_CLICK[0]) == ONE_CLICK[1]
    )


@csrf_exempt
@gate(Permission.VIEW_PUBLIC)
def notification_email_choice(request: HttpRequest, token: str) -> HttpResponse:
    """Change, from a link in an email, how one kind of notification is emailed.

    GET shows the choice (and changes nothing: mail scanners follow links).
    A mail program's one-click unsubscribe (RFC 8058: a POST of
    `List-Unsubscribe=One-Click` to the `?never=1` address) sets Never at
    once; the token in the address is its authority, so it needs no CSRF
    token. Every other POST is the page's own form, CSRF-checked as usual.
    """
    user, kind = token_holder(token)
    if is_one_click(request):
        actions.choose_delivery(
            user=user, kind=kind, delivery=Delivery.NEVER, by=user, via="one-click"
        )
        return TemplateResponse(
            request,
            "communications/notification_email_choice.html",
            {"kind": kind, "current": Delivery.NEVER, "saved": True, "form": None},
        )
    form = DeliveryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        refused = csrf_refusal(request)
        if refused is not None:
            return refused
        if form.is_valid():
            actions.choose_delivery(
                user=user,
                kind=kind,
                delivery=form.cleaned_data["delivery"],
                by=user,
                via="email",
            )
            messages.success(request, "Your email choice is saved")
            return redirect(request.path)
    current = delivery_for(user, kind)
    context = {
        "kind": kind,
        "current": current,
        "current_text": CURRENTLY[Delivery(current)],
        "deliveries": Delivery.choices,
        "form": form,
        "saved": False,
        "never_asked": request.GET.get("never") == "1",
    }
    return TemplateResponse(
        request, "communications/notification_email_choice.html", context
    )


notification_urlpatterns = [
    path("account/notifications/", notification_list, name="notification-list"),
    path(
        "account/notifications/read/",
        notification_read_all,
        name="notification-read-all",
    ),
    path(
        "account/notifications/email/",
        notification_settings,
        name="notification-settings",
    ),
    path(
        "account/notifications/<int:pk>/",
        notification_open,
        name="notification-open",
    ),
    path(
        "notifications/email/<str:token>/",
        notification_email_choice,
        name="notification-email-choice",
    ),
]
