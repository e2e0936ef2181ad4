"""The service directory, a service's page, and keeping services up to date:
their details, activity and waits, and workforce."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse

from msknet.core.charts import Chart, chart_csv_response, chart_json_response
from msknet.core.confirm import confirm
from msknet.core.gate import GATE_ATTRIBUTE, gate
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .. import queries
from .. import service_charts as charts
from ..actions import services as actions
from ..actions.common import Refused
from ..forms import (
    ActivityForm,
    DirectoryForm,
    ServiceForm,
    WithdrawForm,
    WorkforceForm,
)
from ..models import STALE_AFTER_DAYS, Service, ServiceActivity, ServiceWorkforce

PAGE_SIZE = 25


def load_service(*, network: Network, kwargs: dict[str, Any]) -> Service:
    return get_object_or_404(queries.service_page(network, kwargs.pop("service_id")))


def load_new_service(*, network: Network, kwargs: dict[str, Any]) -> Service:
    """An unsaved service for the reader's own organisation, which the
    EDIT_SERVICE rule answers about (leads may add for any)."""
    request_user = kwargs.pop("_user", None)
    membership = None
    if request_user is not None and request_user.is_authenticated:
        membership = network.memberships.active().filter(user=request_user).first()
    return Service(network=network,
                   provider_id=membership.organisation_id if membership else None)


def crumbs(network: Network, service: Service | None = None) -> list[tuple[str, str]]:
    items = [(network.short_name, network.get_absolute_url()),
             ("Services", reverse("service-directory", args=[network.slug]))]
    if service is not None:
        items.append((service.name, service_url(service)))
    return items


def service_url(service: Service) -> str:
    return reverse("service", args=[service.network.slug, service.pk])


def refusal(form: Any, error: Refused, aliases: dict[str, str] | None = None) -> None:
    field = (aliases or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, str(error))


@gate(Permission.VIEW_PUBLIC)
def service_directory(request: HttpRequest, network: Network) -> HttpResponse:
    form = DirectoryForm(request.GET or None, network=network)
    filters = form.filters() if request.GET else queries.Filters()
    paginator = Paginator(queries.directory(network, filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "network": network, "form": form, "page": page, "filters": filters,
        "near": filters.near, "query": query.urlencode(),
        "searched": any(v for k, v in request.GET.items() if k != "page"),
        "can_add": has_permission(request.user, Permission.EDIT_SERVICE, network,
                                  load_new_service(network=network,
                                                   kwargs={"_user": request.user})),
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "landscape/directory.html", context)


def activity_chart(service: Service, rows: list[ServiceActivity]) -> Chart:
    args = [service.network.slug, service.pk]
    return charts.activity_chart(service, rows).with_urls(
        csv_url=reverse("service-activity-csv", args=args),
        json_url=reverse("service-activity-json", args=args))


def workforce_chart(service: Service, rows: list[ServiceWorkforce]) -> Chart:
    args = [service.network.slug, service.pk]
    return charts.workforce_chart(service, rows).with_urls(
        csv_url=reverse("service-workforce-csv", args=args),
        json_url=reverse("service-workforce-json", args=args))


def confirm_url(service: Service) -> str:
    """Where the "confirm these details" button posts, once that page exists."""
    try:
        return reverse("service-confirm", args=[service.network.slug, service.pk])
    except NoReverseMatch:
        return ""


@gate(Permission.VIEW_PUBLIC, load=load_service, as_="service")
def service_detail(request: HttpRequest, network: Network,
                   service: Service) -> HttpResponse:
    user = request.user
    members = has_permission(user, Permission.VIEW_SERVICE_WORKFORCE, network)
    can_edit = has_permission(user, Permission.EDIT_SERVICE, network, service)
    activity = queries.activity_of(service)
    workforce = queries.latest_workforce(queries.workforce_of(service)) if members \
        else []
    context = {
        "network": network, "service": service,
        "stale": service.is_stale(), "stale_days": STALE_AFTER_DAYS,
        "latest": queries.latest_activity(activity),
        "activity": activity if can_edit else [],
        "activity_chart": activity_chart(service, activity) if activity else None,
        "members": members, "workforce": workforce,
        "workforce_chart": workforce_chart(service, workforce) if workforce
        else None,
        "history": queries.history(service) if members else [],
        "can_edit": can_edit,
        "can_manage": has_permission(user, Permission.MANAGE_LANDSCAPE, network),
        "confirm_url": confirm_url(service) if can_edit else "",
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "landscape/service_detail.html", context)


@gate(Permission.VIEW_PUBLIC, load=load_service, as_="service")
def service_activity_data(request: HttpRequest, network: Network, service: Service,
                          fmt: str) -> HttpResponse:
    chart = activity_chart(service, queries.activity_of(service))
    if fmt == "csv":
        return chart_csv_response(
            chart, f"{network.slug}-service-{service.pk}-activity.csv")
    return chart_json_response(chart)


@gate(Permission.VIEW_SERVICE_WORKFORCE, load=load_service, as_="service")
def service_workforce_data(request: HttpRequest, network: Network, service: Service,
                           fmt: str) -> HttpResponse:
    chart = workforce_chart(service,
                            queries.latest_workforce(queries.workforce_of(service)))
    if fmt == "csv":
        return chart_csv_response(
            chart, f"{network.slug}-service-{service.pk}-workforce.csv")
    return chart_json_response(chart)


def service_add(request: HttpRequest, network_slug: str) -> HttpResponse:
    """Members add services for their own organisation; leads for any
    organisation in the network's ICBs. The gate asks the EDIT_SERVICE rule of
    an unsaved service for the reader's organisation, so it needs the reader."""
    return gated_add(request, network_slug=network_slug, _user=request.user)


def add_service_page(request: HttpRequest, network: Network,
                     service: Service) -> HttpResponse:
    choose = has_permission(request.user, Permission.MANAGE_LANDSCAPE, network)
    initial = {"icb": service.provider.icb_id} if service.provider_id else {}
    form = ServiceForm(request.POST or None, network=network, choose_provider=choose,
                       initial=initial)
    if form.is_valid():
        provider = form.cleaned_data["provider"] if choose else service.provider
        try:
            added = actions.add_service(network=network, provider=provider,
                                        by=request.user, **form.details())
        except Refused as error:
            refusal(form, error)
        else:
            messages.success(request, f"Added {added.name}")
            return redirect(service_url(added))
    context = {"network": network, "form": form, "service": None,
               "provider": None if choose else service.provider,
               "crumbs": crumbs(network)}
    return TemplateResponse(request, "landscape/service_form.html", context)


gated_add = gate(Permission.EDIT_SERVICE, load=load_new_service,
                 as_="service")(add_service_page)
setattr(service_add, GATE_ATTRIBUTE, Permission.EDIT_SERVICE)


@gate(Permission.EDIT_SERVICE, load=load_service, as_="service")
def service_edit(request: HttpRequest, network: Network,
                 service: Service) -> HttpResponse:
    choose = has_permission(request.user, Permission.MANAGE_LANDSCAPE, network)
    form = ServiceForm(request.POST or None, network=network, choose_provider=choose,
                       instance=Service.objects.get(pk=service.pk))
    if form.is_valid():
        provider = form.cleaned_data["provider"] if choose else None
        try:
            changed = actions.update_service(service=service, by=request.user,
                                             provider=provider, **form.details())
        except Refused as error:
            refusal(form, error)
        else:
            messages.success(request, "Saved your changes and confirmed the details"
                             if changed else "Confirmed the details are right")
            return redirect(service_url(service))
    context = {"network": network, "form": form, "service": service,
               "provider": None if choose else service.provider,
               "crumbs": crumbs(network, service)}
    return TemplateResponse(request, "landscape/service_form.html", context)


@gate(Permission.MANAGE_LANDSCAPE, load=load_service, as_="service")
def service_withdraw(request: HttpRequest, network: Network,
                     service: Service) -> HttpResponse:
    form = WithdrawForm(request.POST or None)
    if service.withdrawn_at is None and form.is_valid():
        try:
            actions.withdraw_service(service=service, by=request.user,
                                     reason=form.cleaned_data["reason"])
        except Refused as error:
            refusal(form, error)
        else:
            messages.success(request, f"Withdrew {service.name}: it no longer shows "
                             "in the directory")
            return redirect(service_url(service))
    context = {"network": network, "form": form, "service": service,
               "crumbs": crumbs(network, service)}
    return TemplateResponse(request, "landscape/service_withdraw.html", context)


@gate(Permission.MANAGE_LANDSCAPE, load=load_service, as_="service")
def service_restore(request: HttpRequest, network: Network,
                    service: Service) -> HttpResponse:
    if request.method == "POST":
        try:
            actions.restore_service(service=service, by=request.user)
        except Refused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Restored {service.name} to the directory")
        return redirect(service_url(service))
    return confirm(request, question=f"Restore {service.name}?",
                   explanation="It shows in the directory again.",
                   button="Restore the service", back_url=service_url(service),
                   crumbs=crumbs(network, service), warning=False)


@gate(Permission.EDIT_SERVICE, load=load_service, as_="service")
def service_activity_add(request: HttpRequest, network: Network,
                         service: Service) -> HttpResponse:
    form = ActivityForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        start, end = data["period"]
        try:
            activity = actions.record_activity(
                service=service, by=request.user, period_start=start,
                period_end=end, referrals_per_month=data["referrals_per_month"],
                median_wait_weeks=data["median_wait_weeks"],
                p90_wait_weeks=data["p90_wait_weeks"])
        except Refused as error:
            aliases = {} if data.get("period_start") else {"period_start": "month",
                                                           "period_end": "month"}
            refusal(form, error, aliases)
        else:
            name = actions.period_name(activity.period_start, activity.period_end)
            messages.success(request, f"Recorded the waits for {name}")
            return redirect(service_url(service))
    context = {"network": network, "form": form, "service": service,
               "crumbs": crumbs(network, service)}
    return TemplateResponse(request, "landscape/figures_activity.html", context)


@gate(Permission.EDIT_SERVICE, load=load_service, as_="service")
def service_activity_remove(request: HttpRequest, network: Network, service: Service,
                            activity_id: int) -> HttpResponse:
    activity = get_object_or_404(ServiceActivity, service=service, pk=activity_id)
    name = actions.period_name(activity.period_start, activity.period_end)
    if request.method == "POST":
        actions.remove_activity(activity=activity, by=request.user)
        messages.success(request, f"Removed the waits for {name}")
        return redirect(service_url(service))
    return confirm(request, question=f"Remove the waits for {name}?",
                   explanation=f"The referrals and waits recorded for {name} go "
                   "from the service's page and chart.",
                   button="Remove them", back_url=service_url(service),
                   crumbs=crumbs(network, service))


@gate(Permission.EDIT_SERVICE, load=load_service, as_="service")
def service_workforce_add(request: HttpRequest, network: Network,
                          service: Service) -> HttpResponse:
    form = WorkforceForm(request.POST or None)
    if form.is_valid():
        try:
            actions.record_workforce(service=service, by=request.user,
                                     **form.cleaned_data)
        except Refused as error:
            refusal(form, error)
        else:
            messages.success(request, "Recorded the workforce")
            return redirect(service_url(service))
    context = {"network": network, "form": form, "service": service,
               "workforce": queries.workforce_of(service),
               "crumbs": crumbs(network, service)}
    return TemplateResponse(request, "landscape/figures_workforce.html", context)


@gate(Permission.EDIT_SERVICE, load=load_service, as_="service")
def service_workforce_remove(request: HttpRequest, network: Network, service: Service,
                             workforce_id: int) -> HttpResponse:
    staff = get_object_or_404(ServiceWorkforce, service=service, pk=workforce_id)
    what = (f"the {staff.get_profession_display().lower()} workforce on "
            f"{actions.long_date(staff.as_of)}")
    if request.method == "POST":
        actions.remove_workforce(staff=staff, by=request.user)
        messages.success(request, f"Removed {what}")
        return redirect(service_url(service))
    return confirm(request, question=f"Remove {what}?",
                   explanation="These figures go from the service's page and chart.",
                   button="Remove them", back_url=service_url(service),
                   crumbs=crumbs(network, service))
