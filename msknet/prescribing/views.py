"""The public prescribing pages: the network's opioid overview and measure pages.

Public (anyone may read published prescribing data), under a network whose
integrated care boards they start from. Each page's charts come from one
function, so the page and its CSV/JSON twins always show the same figures.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse

from msknet.analytics import prescribing as rx
from msknet.core.gate import public
from msknet.insights.figures import FUNNEL_TEXT
from msknet.insights.views_pages import (
    ASSURANCE_TEXT,
    VARIATION_TEXT,
    PageFigures,
    link_charts,
    twin,
)
from msknet.members.models import Network

from . import charts, queries

EMPTY_TEMPLATE = "prescribing/empty.html"


def crumbs(network: Network, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (network.short_name, network.get_absolute_url()),
        ("Prescribing", reverse("prescribing-overview", args=[network.slug])),
        *extra,
    ]


def measure_for(measure_id: str) -> rx.Measure:
    if measure_id not in rx.measure_ids():
        raise Http404("There is no prescribing measure with that name")
    return rx.load_measure(measure_id)


def empty(request: HttpRequest, network: Network, **context: Any) -> HttpResponse:
    return TemplateResponse(request, EMPTY_TEMPLATE, {
        "network": network, "crumbs": crumbs(network), **context,
    })


# 1. The overview ----------------------------------------------------------------

def overview_figures(network: Network) -> PageFigures | None:
    store = queries.store()
    if not queries.has_data(store):
        return None
    view = queries.overview(store, network)
    figs = PageFigures({"overview": view, "measures": rx.all_measures(),
                        "target_percentile": queries.TARGET_PERCENTILE})
    if any(i.value is not None for i in view.icbs):
        figs.charts["icbs"] = charts.icb_chart(view.measure, view.month, view.england,
                                               view.icbs)
    return figs


@public
def overview(request: HttpRequest, network: Network) -> HttpResponse:
    figs = overview_figures(network)
    if figs is None:
        return empty(request, network, title="Prescribing",
                     measures=rx.all_measures())
    context = {
        **figs.context,
        "network": network,
        "charts": link_charts(figs, request, "prescribing-overview-chart",
                              network_slug=network.slug),
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "prescribing/overview.html", context)


@public
def overview_chart(request: HttpRequest, network: Network, chart_id: str, fmt: str
                   ) -> HttpResponse:
    figs = overview_figures(network)
    if figs is None:
        raise Http404("There is no prescribing data yet")
    return twin(figs, chart_id, fmt, f"prescribing-{network.slug}")


# 2. The measure page ------------------------------------------------------------

def measure_figures(measure_id: str, level: str, org_code: str) -> PageFigures | None:
    """The page's figures; None for an empty store; 404 for unknown names."""
    measure = measure_for(measure_id)
    if level not in queries.LEVELS:
        raise Http404("Measure pages are for ICBs, sub-ICB locations and practices")
    store = queries.store()
    if not queries.has_data(store):
        return None
    page = queries.measure_page(store, measure, level, org_code)
    if page is None:
        raise Http404("There are no prescribing figures for that organisation")
    level_name = queries.LEVELS[level]
    names = {}
    if level == "icb":
        names = queries.icb_names({p.org_code for p in page.funnel})
    elif level == "practice":
        names = queries.practice_names(store)
    outliers = [p for p in page.funnel if p.outside_95]
    figs = PageFigures({
        "measure": measure, "level": level, "level_name": level_name, "page": page,
        "names": names,
        "outliers": [(p, queries.practice_label(p.org_code, names)
                      if level == "practice" else names.get(p.org_code, p.org_code),
                      FUNNEL_TEXT[p.label]) for p in outliers],
        "this_outlier": next((FUNNEL_TEXT[p.label] for p in page.funnel
                              if p.org_code == org_code), None),
        "spc_variation": VARIATION_TEXT[str(page.xmr.variation)] if page.xmr else "",
        "spc_assurance": (ASSURANCE_TEXT[str(page.xmr.assurance)]
                          if page.xmr and page.xmr.assurance is not None
                          else "No assurance: this measure has no target"),
        "spc_min": queries.SPC_MIN_POINTS,
        "parent_name": (queries.icb_names([page.parent_icb]).get(page.parent_icb)
                        if page.parent_icb else None),
    })
    figs.charts["deciles"] = charts.decile_chart(page, level_name)
    if page.xmr is not None:
        figs.charts["spc"] = charts.spc_chart(page)
    if page.funnel:
        figs.charts["funnel"] = charts.funnel_chart(page, level_name, names)
    return figs


@public
def measure_detail(request: HttpRequest, network: Network, measure_id: str, level: str,
                   org_code: str) -> HttpResponse:
    figs = measure_figures(measure_id, level, org_code)
    if figs is None:
        measure = rx.load_measure(measure_id)
        return empty(request, network, title=measure.title, measure=measure)
    context = {
        **figs.context,
        "network": network,
        "charts": {c.id: c for c in link_charts(
            figs, request, "prescribing-measure-chart", network_slug=network.slug,
            measure_id=measure_id, level=level, org_code=org_code)},
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "prescribing/measure.html", context)


@public
def measure_chart(request: HttpRequest, network: Network, measure_id: str, level: str,
                  org_code: str, chart_id: str, fmt: str) -> HttpResponse:
    figs = measure_figures(measure_id, level, org_code)
    if figs is None:
        raise Http404("There is no prescribing data yet")
    return twin(figs, chart_id, fmt, f"{measure_id}-{level}-{org_code}")


NETWORK = r"^n/(?P<network_slug>[-a-zA-Z0-9_]+)/prescribing/"
MEASURE = r"(?P<measure_id>[a-z0-9_]+)/(?P<level>[a-z_]+)/(?P<org_code>[A-Za-z0-9]+)/"
TWIN = r"(?P<chart_id>[-a-z0-9]+)\.(?P<fmt>csv|json)$"

urlpatterns = [
    path("n/<slug:network_slug>/prescribing/", overview, name="prescribing-overview"),
    re_path(NETWORK + TWIN, overview_chart, name="prescribing-overview-chart"),
    path("n/<slug:network_slug>/prescribing/<str:measure_id>/<str:level>/"
         "<str:org_code>/", measure_detail, name="prescribing-measure"),
    re_path(NETWORK + MEASURE + TWIN, measure_chart, name="prescribing-measure-chart"),
]
