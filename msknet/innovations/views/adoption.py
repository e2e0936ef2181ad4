"""Adoption by site and spread: each site's status and history, the adoption
curve, the spread matrix and map, and spread projects."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from msknet.core.charts import Chart, chart_csv_response, chart_json_response
from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission, permissions_for

from .. import adoption_charts as charts
from .. import adoption_queries as queries
from ..actions import adoption as actions
from ..actions.common import Refused
from ..adoption_forms import ChangeForm, RecordForm, SpreadFilterForm, SpreadProjectForm
from ..models import Adoption, Innovation
from .common import crumbs, load_adoption, load_innovation

ORDERS = {"icb": "ICB", "status": "Status", "date": "Latest change"}


def load_adoption_of_innovation(*, network: Network, kwargs: dict[str, Any]
                                ) -> Innovation:
    """The adoption (passed to the view as `adoption`); the gate asks about
    its innovation."""
    adoption = load_adoption(network=network, kwargs=kwargs)
    kwargs["adoption"] = adoption
    return adoption.innovation


def may_record(request: HttpRequest, network: Network) -> bool:
    """Whether the reader's role records sites' statuses at all; which sites
    is the RECORD_ADOPTION rule, asked of each adoption."""
    return Permission.RECORD_ADOPTION in permissions_for(request.user, network)


def may_see_names(request: HttpRequest, network: Network) -> bool:
    """Members see who recorded each change; visitors see what and when."""
    return has_permission(request.user, Permission.VIEW_INNOVATIONS, network)


def refusal(form: Any, error: Refused) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


def adoptions_url(innovation: Innovation) -> str:
    return reverse("innovation-adoptions",
                   args=[innovation.network.slug, innovation.pk])


def curve_chart(innovation: Innovation) -> Chart:
    chart = charts.curve_chart(
        innovation, queries.curve(innovation, until=timezone.localdate()))
    args = [innovation.network.slug, innovation.pk]
    return chart.with_urls(
        csv_url=reverse("innovation-adoption-curve-csv", args=args),
        json_url=reverse("innovation-adoption-curve-json", args=args))


@gate(Permission.VIEW_INNOVATION, load=load_innovation, as_="innovation")
def adoption_list(request: HttpRequest, network: Network,
                  innovation: Innovation) -> HttpResponse:
    order = request.GET.get("order", "icb")
    if order not in ORDERS:
        order = "icb"
    context = {
        "network": network, "innovation": innovation,
        "adoptions": queries.adoptions_of(innovation, order=order),
        "counts": queries.status_counts(innovation),
        "order": order, "orders": ORDERS,
        "chart": curve_chart(innovation),
        "can_record": may_record(request, network),
        "members": may_see_names(request, network),
        "crumbs": crumbs(network, innovation),
    }
    return TemplateResponse(request, "innovations/adoption_list.html", context)


@gate(Permission.VIEW_INNOVATION, load=load_innovation, as_="innovation")
def adoption_curve_data(request: HttpRequest, network: Network,
                        innovation: Innovation, fmt: str) -> HttpResponse:
    chart = curve_chart(innovation)
    if fmt == "csv":
        return chart_csv_response(
            chart, f"{network.slug}-innovation-{innovation.pk}-adoption-curve.csv")
    return chart_json_response(chart)


@gate(Permission.VIEW_INNOVATION, load=load_innovation, as_="innovation")
def adoption_record(request: HttpRequest, network: Network,
                    innovation: Innovation) -> HttpResponse:
    """Record a site's status. The gate lets in whoever may see the innovation;
    recording needs a role that records, and the rule on the site chosen."""
    if not may_record(request, network):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(Permission.RECORD_ADOPTION)
    own = queries.site_of(request.user, network)
    form = RecordForm(request.POST or None, network=network,
                      initial={"site": own.pk if own else None,
                               "contacts": [request.user.pk]})
    if form.is_valid():
        data = form.cleaned_data
        try:
            change = actions.record_adoption(
                innovation=innovation, site=data["site"], by=request.user,
                status=data["status"], on=data["on"], note=data["note"],
                reason=data["reason"], contacts=data["contacts"])
        except Refused as error:
            refusal(form, error)
        except PermissionDenied:
            form.add_error("site", "You can record the status of your own "
                           "organisation, or of a site you are a contact for")
        else:
            messages.success(request, f"Recorded: {change.adoption.site.name} is "
                             f"{change.get_status_to_display().lower()}")
            return redirect(actions.adoption_url(change.adoption))
    context = {"network": network, "innovation": innovation, "form": form,
               "crumbs": crumbs(network, innovation)
               + [("Adoption", adoptions_url(innovation))]}
    return TemplateResponse(request, "innovations/adoption_record.html", context)


@gate(Permission.VIEW_INNOVATION, load=load_adoption_of_innovation, as_="innovation")
def adoption_detail(request: HttpRequest, network: Network, innovation: Innovation,
                    adoption: Adoption) -> HttpResponse:
    can_change = has_permission(request.user, Permission.RECORD_ADOPTION, network,
                                adoption)
    if request.method == "POST" and not can_change:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(Permission.RECORD_ADOPTION)
    form = ChangeForm(request.POST or None) if can_change else None
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            change = actions.change_adoption(
                adoption=adoption, by=request.user, status=data["status"],
                on=data["on"], note=data["note"], reason=data["reason"])
        except Refused as error:
            refusal(form, error)
        else:
            messages.success(request, f"Recorded: {adoption.site.name} is "
                             f"{change.get_status_to_display().lower()}")
            return redirect(actions.adoption_url(adoption))
    context = {
        "network": network, "innovation": innovation, "adoption": adoption,
        "history": queries.history(adoption),
        "contacts": adoption.contacts.order_by("full_name"),
        "form": form, "members": may_see_names(request, network),
        "can_start_project": (adoption.project_id is None and has_permission(
            request.user, Permission.START_QI_PROJECT, network)),
        "crumbs": crumbs(network, innovation)
        + [("Adoption", adoptions_url(innovation))],
    }
    return TemplateResponse(request, "innovations/adoption_detail.html", context)


@gate(Permission.START_QI_PROJECT, load=load_adoption, as_="adoption")
def spread_project(request: HttpRequest, network: Network,
                   adoption: Adoption) -> HttpResponse:
    innovation = adoption.innovation
    if adoption.project_id is not None:
        form = None
    else:
        form = SpreadProjectForm(request.POST or None,
                                 initial={"aim": actions.spread_aim(adoption)})
    if form is not None and form.is_valid():
        try:
            project = actions.start_spread_project(adoption=adoption, by=request.user,
                                                   aim=form.cleaned_data["aim"])
        except Refused as error:
            refusal(form, error)
        else:
            messages.success(request, f"Started the project “{project.title}”")
            return redirect("project-detail", network.slug, project.pk)
    context = {
        "network": network, "innovation": innovation, "adoption": adoption,
        "form": form, "title": actions.spread_title(adoption),
        "team": actions.spread_team(adoption),
        "measures": innovation.measures.all(),
        "serves": innovation.serves.filter(retired_at__isnull=True),
        "crumbs": crumbs(network, innovation)
        + [("Adoption", adoptions_url(innovation)),
           (adoption.site.name, actions.adoption_url(adoption))],
    }
    return TemplateResponse(request, "innovations/spread_project.html", context)


# The network's spread: matrix and map.


def spread_crumbs(network: Network) -> list[tuple[str, str]]:
    return crumbs(network)


def matrix_for(request: HttpRequest, network: Network
               ) -> tuple[SpreadFilterForm, queries.Matrix]:
    form = SpreadFilterForm(request.GET or None, network=network)
    return form, queries.matrix(network, **form.filters())


@gate(Permission.VIEW_INNOVATIONS)
def spread(request: HttpRequest, network: Network) -> HttpResponse:
    form, matrix = matrix_for(request, network)
    query = request.GET.urlencode()
    context = {
        "network": network, "form": form, "matrix": matrix,
        "csv_url": reverse("innovation-spread-csv", args=[network.slug])
        + (f"?{query}" if query else ""),
        "crumbs": spread_crumbs(network),
    }
    return TemplateResponse(request, "innovations/spread_matrix.html", context)


@gate(Permission.VIEW_INNOVATIONS)
def spread_csv(request: HttpRequest, network: Network) -> HttpResponse:
    _, matrix = matrix_for(request, network)
    response = HttpResponse(charts.matrix_csv(matrix),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{network.slug}-innovation-spread.csv"')
    return response


def chosen_innovation(request: HttpRequest, network: Network) -> Innovation | None:
    """The innovation named by ?innovation=, if the reader may see it."""
    value = request.GET.get("innovation", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404("No such innovation")
    innovation = (Innovation.objects.for_network(network).reviewed()
                  .filter(pk=int(value)).first())
    if innovation is None:
        raise Http404("No such innovation")
    return innovation


def map_chart(request: HttpRequest, network: Network
              ) -> tuple[Innovation | None, Chart]:
    innovation = chosen_innovation(request, network)
    chart = charts.map_chart(queries.map_counts(network, innovation), innovation)
    query = f"?innovation={innovation.pk}" if innovation else ""
    return innovation, chart.with_urls(
        csv_url=reverse("innovation-spread-map-csv", args=[network.slug]) + query,
        json_url=reverse("innovation-spread-map-json", args=[network.slug]) + query)


@gate(Permission.VIEW_INNOVATIONS)
def spread_map(request: HttpRequest, network: Network) -> HttpResponse:
    innovation, chart = map_chart(request, network)
    context = {
        "network": network, "innovation": innovation, "chart": chart,
        "innovations": queries.matrix_innovations(network, show="all"),
        "crumbs": spread_crumbs(network)
        + [("Spread", reverse("innovation-spread", args=[network.slug]))],
    }
    return TemplateResponse(request, "innovations/spread_map.html", context)


@gate(Permission.VIEW_INNOVATIONS)
def spread_map_data(request: HttpRequest, network: Network, fmt: str) -> HttpResponse:
    innovation, chart = map_chart(request, network)
    if fmt == "csv":
        suffix = f"-{innovation.pk}" if innovation else ""
        return chart_csv_response(
            chart, f"{network.slug}-innovation-spread-map{suffix}.csv")
    return chart_json_response(chart)
