"""The public population-health pages: indicators, areas, trends, inequality, funnels.

Every page is public (anyone may read public data) and sits under a network,
whose integrated care boards it highlights. Each page's charts come from one
function per page, so the page and its CSV/JSON twins always show the same
figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse

from msknet.core.charts import Chart, chart_csv_response, chart_json_response
from msknet.core.gate import public
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from . import charts, figures, queries
from .models import Area, Indicator

#: What the comparison with England means, as every page says it.
COMPARISON_METHOD = (
    "Compared with England using the 95% confidence intervals, as Fingertips does: "
    "a value is significantly higher (or better) than England's when its whole 95% "
    "confidence interval lies above England's value, significantly lower (or worse) "
    "when the interval lies wholly below it, and similar when the interval includes "
    "England's value. Indicators with no judgement are described as higher or lower, "
    "not better or worse."
)


@dataclass
class PageFigures:
    """A page's context and the charts it draws, by chart id."""

    context: dict[str, Any]
    charts: dict[str, Chart] = field(default_factory=dict)


def link_charts(figs: PageFigures, request: HttpRequest, url_name: str,
                **kwargs: Any) -> list[Chart]:
    """The charts with their twins' URLs (keeping the page's query string)."""
    query = request.GET.urlencode()
    linked = []
    for chart in figs.charts.values():
        def url(fmt: str, chart: Chart = chart) -> str:
            address = reverse(url_name, kwargs={**kwargs, "chart_id": chart.id,
                                                "fmt": fmt})
            return f"{address}?{query}" if query else address
        linked.append(chart.with_urls(csv_url=url("csv"), json_url=url("json")))
    return linked


def twin(figs: PageFigures, chart_id: str, fmt: str, filename: str) -> HttpResponse:
    if chart_id not in figs.charts:
        raise Http404("This page has no chart with that name")
    chart = figs.charts[chart_id]
    if fmt == "csv":
        return chart_csv_response(chart, f"{filename}-{chart.id}.csv")
    return chart_json_response(chart)


def crumbs(network: Network, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (network.short_name, network.get_absolute_url()),
        ("Population health", reverse("insights", args=[network.slug])),
        *extra,
    ]


def indicator_crumb(network: Network, indicator: Indicator) -> tuple[str, str]:
    return (indicator.name, reverse("insights-indicator",
                                    args=[network.slug, indicator.slug]))


def area_for(code: str) -> Area:
    return get_object_or_404(Area.objects.select_related("icb", "parent"), code=code)


# 1. The index -------------------------------------------------------------------

@public
def insights_index(request: HttpRequest, network: Network) -> HttpResponse:
    context = {
        "network": network,
        "summaries": queries.indicator_summaries(),
        "network_areas": Area.objects.filter(icb__networks=network).select_related("icb"),
        "method": COMPARISON_METHOD,
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "insights/index.html", context)


# 2. The indicator page ----------------------------------------------------------

def indicator_figures(request: HttpRequest, network: Network,
                      indicator: Indicator) -> PageFigures:
    periods = queries.indicator_periods(indicator)
    period = request.GET.get("period") or (periods[-1] if periods else None)
    if period is not None and period not in periods:
        raise Http404("This indicator has no values for that period")
    context: dict[str, Any] = {"indicator": indicator, "periods": periods,
                               "period": period}
    if period is None:
        return PageFigures(context)
    england, icbs = queries.icb_values(indicator, period,
                                       queries.network_area_codes(network))
    context.update(england=england, icbs=icbs, counts=_outcome_counts(icbs),
                   network_icbs=[a for a in icbs if a.in_network])
    figs = PageFigures(context)
    if icbs:
        figs.charts["icb-values"] = charts.icb_bar_chart(
            indicator, period, england.value if england else None, icbs)
    return figs


def _outcome_counts(areas: list[queries.AreaValue]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for a in areas:
        counts[a.vs_england] = counts.get(a.vs_england, 0) + 1
    return sorted(counts.items())


@public
def indicator_detail(request: HttpRequest, network: Network,
                     indicator_slug: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, slug=indicator_slug)
    figs = indicator_figures(request, network, indicator)
    context = {
        **figs.context,
        "network": network,
        "can_edit": (indicator.network_id in (None, network.pk) and has_permission(
            request.user, Permission.EDIT_INDICATOR, network, indicator)),
        "method": COMPARISON_METHOD,
        "charts": link_charts(figs, request, "insights-indicator-chart",
                              network_slug=network.slug, indicator_slug=indicator.slug),
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "insights/indicator.html", context)


@public
def indicator_chart(request: HttpRequest, network: Network, indicator_slug: str,
                    chart_id: str, fmt: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, slug=indicator_slug)
    figs = indicator_figures(request, network, indicator)
    return twin(figs, chart_id, fmt, f"{indicator.slug}-{figs.context['period']}")


# 3. The area profile ------------------------------------------------------------

def area_figures(area: Area) -> PageFigures:
    rows = queries.area_profile(area)
    figs = PageFigures({"area": area, "rows": rows})
    if rows:
        figs.charts["spine"] = charts.spine_chart(area.short_name, rows)
    return figs


@public
def area_profile(request: HttpRequest, network: Network, area_code: str) -> HttpResponse:
    area = area_for(area_code)
    figs = area_figures(area)
    context = {
        **figs.context,
        "network": network,
        "method": COMPARISON_METHOD,
        "charts": link_charts(figs, request, "insights-area-chart",
                              network_slug=network.slug, area_code=area.code),
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "insights/area.html", context)


@public
def area_chart(request: HttpRequest, network: Network, area_code: str, chart_id: str,
               fmt: str) -> HttpResponse:
    area = area_for(area_code)
    return twin(area_figures(area), chart_id, fmt, area.code)


# 4. The trend page --------------------------------------------------------------

def trend_figures(indicator: Indicator, area: Area) -> PageFigures:
    series, any_england = queries.area_series(indicator, area)
    xmr = figures.spc_chart(indicator, [a.value for a in series])
    figs = PageFigures({
        "indicator": indicator, "area": area, "series": series,
        "any_england": any_england, "xmr": xmr,
        "spc_types": figures.SPC_PERIOD_TYPES, "spc_min": figures.SPC_MIN_POINTS,
        "spc_variation": _variation_text(xmr),
        "spc_assurance": _assurance_text(xmr),
    })
    if series:
        figs.charts["trend"] = charts.trend_chart(indicator, area.short_name, series)
    if xmr is not None:
        periods = [a.value.period for a in series if a.value.value is not None]
        figs.charts["spc"] = charts.spc_chart(indicator, area.short_name, periods, xmr)
    return figs


VARIATION_TEXT = {
    "common_cause": "Common cause variation: no significant change",
    "improvement_high": "Special cause variation: improvement (higher)",
    "improvement_low": "Special cause variation: improvement (lower)",
    "concern_high": "Special cause variation: concern (higher)",
    "concern_low": "Special cause variation: concern (lower)",
    "neutral_high": "Special cause variation: higher (no judgement)",
    "neutral_low": "Special cause variation: lower (no judgement)",
}
ASSURANCE_TEXT = {
    "consistent_pass": "The target is consistently met",
    "consistent_fail": "The target is consistently not met",
    "inconsistent": "The target is met some of the time (hit and miss)",
}


def _variation_text(xmr: Any) -> str:
    return VARIATION_TEXT[str(xmr.variation)] if xmr is not None else ""


def _assurance_text(xmr: Any) -> str:
    if xmr is None:
        return ""
    if xmr.assurance is None:
        return "No assurance: this indicator has no target"
    return ASSURANCE_TEXT[str(xmr.assurance)]


@public
def area_trend(request: HttpRequest, network: Network, indicator_slug: str,
               area_code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, slug=indicator_slug)
    area = area_for(area_code)
    figs = trend_figures(indicator, area)
    context = {
        **figs.context,
        "network": network,
        "method": COMPARISON_METHOD,
        "charts": link_charts(figs, request, "insights-trend-chart",
                              network_slug=network.slug, indicator_slug=indicator.slug,
                              area_code=area.code),
        "crumbs": crumbs(network, indicator_crumb(network, indicator)),
    }
    return TemplateResponse(request, "insights/trend.html", context)


@public
def trend_chart(request: HttpRequest, network: Network, indicator_slug: str,
                area_code: str, chart_id: str, fmt: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, slug=indicator_slug)
    area = area_for(area_code)
    return twin(trend_figures(indicator, area), chart_id, fmt,
                f"{indicator.slug}-{area.code}")


# 5. The inequality page ---------------------------------------------------------

def inequality_figures(request: HttpRequest, indicator: Indicator, area: Area
                       ) -> PageFigures:
    types, by_period = queries.category_values(
        indicator, area, request.GET.get("breakdown"))
    ranked = {period: figures.ranked(rows) for period, rows in by_period.items()}
    siis = [figures.period_sii(indicator, period, rows)
            if rows is not None else figures.PeriodSII(period, None,
                                                       "the groups cannot be ranked")
            for period, rows in ranked.items()]
    latest_period = next(reversed(by_period), None)
    latest_rows = ranked.get(latest_period) if latest_period else None
    figs = PageFigures({
        "indicator": indicator, "area": area, "types": types,
        "category_type": by_period[latest_period][0].category_type
        if latest_period else None,
        "latest_period": latest_period, "latest_rows": latest_rows,
        "latest_sii": siis[-1] if siis else None, "siis": siis,
        "change": figures.gap_change(siis),
        "repetitions": figures.SII_REPETITIONS, "seed": figures.SII_SEED,
    })
    if latest_period and latest_rows:
        overall = queries.area_series(indicator, area)[0]
        overall_value = next((a.value.value for a in overall
                              if a.value.period == latest_period), None)
        figs.charts["by-deprivation"] = charts.category_chart(
            indicator, area.short_name, latest_period, latest_rows, overall_value)
    if any(s.result is not None for s in siis):
        figs.charts["sii-over-time"] = charts.sii_chart(indicator, area.short_name, siis)
    return figs


@public
def area_inequality(request: HttpRequest, network: Network, indicator_slug: str,
                    area_code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, slug=indicator_slug)
    area = area_for(area_code)
    figs = inequality_figures(request, indicator, area)
    context = {
        **figs.context,
        "network": network,
        "charts": link_charts(figs, request, "insights-inequality-chart",
                              network_slug=network.slug, indicator_slug=indicator.slug,
                              area_code=area.code),
        "crumbs": crumbs(network, indicator_crumb(network, indicator)),
    }
    return TemplateResponse(request, "insights/inequality.html", context)


@public
def inequality_chart(request: HttpRequest, network: Network, indicator_slug: str,
                     area_code: str, chart_id: str, fmt: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, slug=indicator_slug)
    area = area_for(area_code)
    return twin(inequality_figures(request, indicator, area), chart_id, fmt,
                f"{indicator.slug}-{area.code}-inequality")


# 6. The funnel plot -------------------------------------------------------------

def funnel_figures(request: HttpRequest, network: Network, indicator: Indicator
                   ) -> PageFigures:
    periods = queries.indicator_periods(indicator)
    period = request.GET.get("period") or (periods[-1] if periods else None)
    if period is not None and period not in periods:
        raise Http404("This indicator has no values for that period")
    parent = None
    if request.GET.get("parent"):
        parent = get_object_or_404(Area, code=request.GET["parent"])
    scope = (f"areas in {parent.short_name}" if parent
             else "integrated care boards in England")
    context: dict[str, Any] = {
        "indicator": indicator, "periods": periods, "period": period, "parent": parent,
        "scope": scope, "parents": queries.funnel_parents(indicator),
        "supported": indicator.value_type in figures.FUNNEL_STATISTICS,
    }
    figs = PageFigures(context)
    if period is None or not context["supported"]:
        return figs
    england, areas = queries.funnel_values(indicator, period, parent,
                                           queries.network_area_codes(network))
    plotted = [a for a in areas if a.value.value is not None and a.value.count is not None
               and a.value.denominator]
    context["areas"] = plotted
    context["left_out"] = [a for a in areas if a not in plotted]
    funnel = figures.funnel(indicator, england, [a.value for a in plotted])
    context["funnel"] = funnel
    if funnel is not None:
        rows = list(zip(plotted, funnel.labels, strict=True))
        context["outliers"] = [
            (a, figures.FUNNEL_TEXT[label]) for a, label in rows
            if label not in (figures.phe.NOT_SIGNIFICANT,
                             figures.phe.DSR_NOT_APPLICABLE)
        ]
        figs.charts["funnel"] = charts.funnel_chart(indicator, period, scope, plotted,
                                                    funnel)
    return figs


@public
def indicator_funnel(request: HttpRequest, network: Network,
                     indicator_slug: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, slug=indicator_slug)
    figs = funnel_figures(request, network, indicator)
    context = {
        **figs.context,
        "network": network,
        "charts": link_charts(figs, request, "insights-funnel-chart",
                              network_slug=network.slug, indicator_slug=indicator.slug),
        "crumbs": crumbs(network, indicator_crumb(network, indicator)),
    }
    return TemplateResponse(request, "insights/funnel.html", context)


@public
def funnel_chart(request: HttpRequest, network: Network, indicator_slug: str,
                 chart_id: str, fmt: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, slug=indicator_slug)
    return twin(funnel_figures(request, network, indicator), chart_id, fmt,
                f"{indicator.slug}-funnel")


TWIN = r"(?P<chart_id>[-a-z0-9]+)\.(?P<fmt>csv|json)$"
NETWORK = r"^n/(?P<network_slug>[-a-zA-Z0-9_]+)/insights/"
INDICATOR = r"(?P<indicator_slug>[-a-zA-Z0-9_]+)/"
AREA = r"areas/(?P<area_code>[^/]+)/"

urlpatterns = [
    path("n/<slug:network_slug>/insights/", insights_index, name="insights"),
    path("n/<slug:network_slug>/insights/areas/<str:area_code>/", area_profile,
         name="insights-area"),
    re_path(NETWORK + AREA + TWIN, area_chart, name="insights-area-chart"),
    path("n/<slug:network_slug>/insights/<slug:indicator_slug>/", indicator_detail,
         name="insights-indicator"),
    path("n/<slug:network_slug>/insights/<slug:indicator_slug>/funnel/",
         indicator_funnel, name="insights-funnel"),
    path("n/<slug:network_slug>/insights/<slug:indicator_slug>/areas/<str:area_code>/"
         "trend/", area_trend, name="insights-trend"),
    path("n/<slug:network_slug>/insights/<slug:indicator_slug>/areas/<str:area_code>/"
         "inequality/", area_inequality, name="insights-inequality"),
    re_path(NETWORK + INDICATOR + "funnel/" + TWIN, funnel_chart,
            name="insights-funnel-chart"),
    re_path(NETWORK + INDICATOR + AREA + "trend/" + TWIN, trend_chart,
            name="insights-trend-chart"),
    re_path(NETWORK + INDICATOR + AREA + "inequality/" + TWIN, inequality_chart,
            name="insights-inequality-chart"),
    re_path(NETWORK + INDICATOR + TWIN, indicator_chart,
            name="insights-indicator-chart"),
]
