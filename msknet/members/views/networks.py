from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from msknet.core.gate import public
from msknet.governance.queries import timeline
from msknet.insights.queries import headline_indicators
from msknet.members import queries
from msknet.members.models import Network


@public
def home(request: HttpRequest) -> HttpResponse:
    networks = Network.objects.select_related("region").prefetch_related("icbs")
    return TemplateResponse(request, "members/home.html", {"networks": networks})


@public
def network_home(request: HttpRequest, network: Network) -> HttpResponse:
    context = {
        "network": network,
        "member_count": queries.member_count(network),
        "icbs": network.icbs.select_related("region"),
        "topics": network.topics.all(),
        "role": queries.role_label(request.user, network),
        "headlines": headline_indicators(network),
    }
    return TemplateResponse(request, "members/network_home.html", context)


@public
def network_about(request: HttpRequest, network: Network) -> HttpResponse:
    context = {
        "network": network,
        "icbs": network.icbs.select_related("region"),
        "topics": network.topics.all(),
        "leads": queries.leads(network),
        "timeline_phases": timeline(network)["phases"],
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "members/network_about.html", context)


urlpatterns = [
    path("", home, name="home"),
    path("n/<slug:network_slug>/", network_home, name="network-home"),
    path("n/<slug:network_slug>/about/", network_about, name="network-about"),
]
