"""Prescribing alert pages: subscribe, check your email, confirm, unsubscribe.

Public: anyone may subscribe an email address, with no account. The
confirmation link is signed and expires; the unsubscribe address takes a
one-click POST from a mail client (RFC 8058), so that view alone is exempt
from the CSRF check (its token is the proof).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt

from msknet.core.confirm import confirm
from msknet.core.gate import public
from msknet.members import ratelimits
from msknet.members.models import Network

from . import actions, queries
from .forms import AlertSubscriptionForm
from .models import AlertSubscription


def crumbs(network: Network) -> list[tuple[str, str]]:
    return [
        (network.short_name, network.get_absolute_url()),
        ("Prescribing", reverse("prescribing-overview", args=[network.slug])),
    ]


def organisation(subscription: AlertSubscription) -> dict[str, str]:
    return {"org_name": actions.organisation_name(subscription.level,
                                                  subscription.org_code),
            "level_name": queries.LEVELS[subscription.level]}


@public
def alert_subscribe(request: HttpRequest, network: Network) -> HttpResponse:
    initial = {k: request.GET[k] for k in ("level", "org_code") if k in request.GET}
    form = AlertSubscriptionForm(request.POST or None, initial=initial)
    status = 200
    if form.is_valid():
        try:
            actions.subscribe(network=network, **form.cleaned_data,
                              client=ratelimits.client_address(request))
        except actions.TooManySubscriptions:
            form.add_error(None, "You have asked for too many alerts in the last hour. "
                                 "Try again in an hour.")
            status = 429
        else:
            return redirect("prescribing-alert-sent", network_slug=network.slug)
    return TemplateResponse(request, "prescribing/alert_subscribe.html", {
        "network": network, "form": form, "crumbs": crumbs(network),
    }, status=status)


@public
def alert_sent(request: HttpRequest, network: Network) -> HttpResponse:
    return TemplateResponse(request, "prescribing/alert_sent.html", {
        "network": network, "crumbs": crumbs(network),
        "days": actions.CONFIRM_WITHIN.days,
    })


def invalid_link(request: HttpRequest, network: Network) -> HttpResponse:
    return TemplateResponse(request, "prescribing/alert_link_invalid.html", {
        "network": network, "crumbs": crumbs(network),
        "days": actions.CONFIRM_WITHIN.days,
    }, status=404)


@public
def alert_confirm(request: HttpRequest, network: Network, token: str) -> HttpResponse:
    subscription = actions.subscription_for_confirm_token(token)
    if subscription is None:
        return invalid_link(request, network)
    if subscription.network_id != network.pk:
        raise Http404("There is no such subscription")
    if request.method == "POST":
        actions.confirm(subscription=subscription)
        return redirect(request.path)
    if subscription.confirmed or subscription.unsubscribed:
        return TemplateResponse(request, "prescribing/alert_confirmed.html", {
            "network": network, "crumbs": crumbs(network), "subscription": subscription,
            **organisation(subscription),
        })
    names = organisation(subscription)
    return confirm(
        request,
        question="Confirm your prescribing alerts",
        explanation=[
            (f"Get an email at {subscription.email} when prescribing at "
             f"{names['org_name']} ({names['level_name']} {subscription.org_code}) "
             "changes significantly, checked each month when new data is published."),
            "Every alert has a link to stop them.",
        ],
        button="Confirm alerts",
        back_url=reverse("prescribing-overview", args=[network.slug]),
        back_text="Do not subscribe",
        crumbs=crumbs(network),
        warning=False,
    )


@csrf_exempt
@public
def alert_unsubscribe(request: HttpRequest, network: Network, token: str) -> HttpResponse:
    subscription = AlertSubscription.objects.filter(token=token, network=network).first()
    if subscription is None:
        return invalid_link(request, network)
    if request.method == "POST":
        actions.unsubscribe(subscription=subscription)
    if request.method == "POST" or subscription.unsubscribed:
        return TemplateResponse(request, "prescribing/alert_unsubscribed.html", {
            "network": network, "crumbs": crumbs(network), "subscription": subscription,
            **organisation(subscription),
        })
    names = organisation(subscription)
    return confirm(
        request,
        question="Stop prescribing alerts?",
        explanation=(f"{subscription.email} will no longer get alerts about "
                     f"{names['org_name']} ({names['level_name']} "
                     f"{subscription.org_code})."),
        button="Stop alerts",
        back_url=reverse("prescribing-overview", args=[network.slug]),
        back_text="Keep getting alerts",
        crumbs=crumbs(network),
    )


ALERTS = "n/<slug:network_slug>/prescribing/alerts/"

urlpatterns = [
    path(ALERTS, alert_subscribe, name="prescribing-alert-subscribe"),
    path(ALERTS + "check-your-email/", alert_sent, name="prescribing-alert-sent"),
    path(ALERTS + "confirm/<str:token>/", alert_confirm, name="prescribing-alert-confirm"),
    path(ALERTS + "unsubscribe/<str:token>/", alert_unsubscribe,
         name="prescribing-alert-unsubscribe"),
]
