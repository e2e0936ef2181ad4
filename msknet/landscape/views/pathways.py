"""The network's landscape: its ICBs' coverage of the pathway and the map, each
ICB's pathway step by step with its gaps by place, and the variation across
ICBs (or places). All public; workforce figures only for members."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from msknet.core.charts import Chart, chart_csv_response, chart_json_response
from msknet.core.gate import gate
from msknet.members.models import ICB, Network
from msknet.members.permissions import Permission, has_permission

from .. import pathway_charts as charts
from .. import pathway_queries as queries
from ..models import PATHWAY, Step


def crumbs(network: Network, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return [(network.short_name, network.get_absolute_url()),
            ("Landscape", reverse("landscape", args=[network.slug])), *more]


def sees_workforce(request: HttpRequest, network: Network) -> bool:
    return has_permission(request.user, Permission.VIEW_SERVICE_WORKFORCE, network)


def map_chart(network: Network, coverage: list[queries.IcbCoverage]) -> Chart:
    return charts.map_chart(coverage).with_urls(
        csv_url=reverse("landscape-map-csv", args=[network.slug]),
        json_url=reverse("landscape-map-json", args=[network.slug]))


@gate(Permission.VIEW_PUBLIC)
def landscape(request: HttpRequest, network: Network) -> HttpResponse:
    coverage = queries.coverage(network)
    context = {
        "network": network, "coverage": coverage, "steps": len(PATHWAY),
        "chart": map_chart(network, coverage),
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "landscape/landscape.html", context)


@gate(Permission.VIEW_PUBLIC)
def map_data(request: HttpRequest, network: Network, fmt: str) -> HttpResponse:
    chart = map_chart(network, queries.coverage(network))
    if fmt == "csv":
        return chart_csv_response(chart, f"{network.slug}-landscape-map.csv")
    return chart_json_response(chart)


def network_icb(network: Network, icb_code: str) -> ICB:
    return get_object_or_404(network.icbs, ods_code=icb_code.upper())


def chosen_place(request: HttpRequest, places: list[str]) -> tuple[str, str]:
    """The place asked for, and an error when it is not one of the ICB's."""
    place = request.GET.get("place", "").strip()
    if place and place not in places:
        return "", (f"No service in this ICB records the place “{place}”: "
                    f"choose one from the list")
    return place, ""


@gate(Permission.VIEW_PUBLIC)
def pathway(request: HttpRequest, network: Network, icb_code: str) -> HttpResponse:
    icb = network_icb(network, icb_code)
    found = queries.pathway(network, icb)
    place, error = chosen_place(request, found.places)
    if place:
        found = queries.pathway(network, icb, place=place)
    context = {
        "network": network, "icb": icb, "pathway": found, "place": place,
        "error": error, "pathway_steps": PATHWAY,
        "csv_url": reverse("landscape-pathway-csv", args=[network.slug, icb.ods_code]),
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "landscape/pathway.html", context)


@gate(Permission.VIEW_PUBLIC)
def pathway_csv(request: HttpRequest, network: Network, icb_code: str) -> HttpResponse:
    icb = network_icb(network, icb_code)
    response = HttpResponse(charts.pathway_csv(queries.pathway(network, icb)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{network.slug}-{icb.ods_code.lower()}-pathway.csv"')
    return response


def chosen_step(request: HttpRequest) -> tuple[str, str]:
    step = request.GET.get("step", "")
    if step and step not in Step.values:
        return "", "Choose a pathway step from the list, or every step"
    return step, ""


def variation_charts(request: HttpRequest, network: Network
                     ) -> tuple[queries.Variation, Chart, Chart, str]:
    step, error = chosen_step(request)
    found = queries.variation(network, step=step)
    query = f"?step={step}" if step else ""
    args = [network.slug]
    dots = charts.variation_chart(found, workforce=sees_workforce(request, network))
    waits = charts.waits_chart(found)
    return found, dots.with_urls(
        csv_url=reverse("landscape-variation-csv", args=args) + query,
        json_url=reverse("landscape-variation-json", args=args) + query,
    ), waits.with_urls(
        csv_url=reverse("landscape-waits-csv", args=args) + query,
        json_url=reverse("landscape-waits-json", args=args) + query,
    ), error


@gate(Permission.VIEW_PUBLIC)
def variation(request: HttpRequest, network: Network) -> HttpResponse:
    found, dots, waits, error = variation_charts(request, network)
    context = {
        "network": network, "variation": found, "chart": dots, "waits_chart": waits,
        "error": error, "steps": PATHWAY,
        "step_label": Step(found.step).label if found.step else "",
        "workforce": sees_workforce(request, network),
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "landscape/variation.html", context)


@gate(Permission.VIEW_PUBLIC)
def variation_data(request: HttpRequest, network: Network, chart_id: str,
                   fmt: str) -> HttpResponse:
    found, dots, waits, _ = variation_charts(request, network)
    chart = dots if chart_id == "variation" else waits
    if fmt == "csv":
        suffix = f"-{found.step}" if found.step else ""
        return chart_csv_response(
            chart, f"{network.slug}-landscape-{chart_id}{suffix}.csv")
    return chart_json_response(chart)
