from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse

from msknet.core.charts import (
    MONTH,
    NHS_DARK_BLUE,
    NUMBER,
    Chart,
    Column,
    bar_chart,
    chart_csv_response,
    chart_json_response,
    line_chart,
)
from msknet.core.gate import gate

from .. import queries_dashboard as figures
from ..models import Network
from ..permissions import Permission, has_permission

MEMBERS = Column("members", "Members", NUMBER)


def sector_chart(network: Network) -> Chart:
    return bar_chart(
        id="members-by-sector",
        title="Members by sector",
        description="Bar chart of the number of current members in each sector.",
        columns=(Column("sector", "Sector"), MEMBERS),
        rows=figures.members_by_sector(network),
    )


def icb_chart(network: Network) -> Chart:
    return bar_chart(
        id="members-by-icb",
        title="Members by integrated care board",
        description="Bar chart of the number of current members in each "
        "integrated care board, most first, then members who gave none.",
        columns=(Column("icb", "Integrated care board"), MEMBERS),
        rows=figures.members_by_icb(network),
        color=NHS_DARK_BLUE,
    )


def growth_chart(network: Network) -> Chart:
    growth = figures.growth_by_month(network)
    return line_chart(
        id="membership-growth",
        title="Membership over time",
        description="Line chart of the total number of current members at the "
        "end of each month, by the month they joined.",
        columns=(
            Column("month", "Month", MONTH),
            Column("joined", "Joined that month", NUMBER),
            Column("total", "Total members", NUMBER),
        ),
        rows=[(g.month, g.joined, g.total) for g in growth],
        x="month",
        y="total",
    )


CHARTS: dict[str, Callable[[Network], Chart]] = {
    "members-by-sector": sector_chart,
    "members-by-icb": icb_chart,
    "membership-growth": growth_chart,
}


def linked(chart: Chart, network: Network) -> Chart:
    def url(fmt: str) -> str:
        return reverse(
            "network-dashboard-chart",
            kwargs={"network_slug": network.slug, "chart_id": chart.id, "fmt": fmt},
        )

    return chart.with_urls(csv_url=url("csv"), json_url=url("json"))


@gate(Permission.VIEW_NETWORK_DASHBOARD)
def dashboard(request: HttpRequest, network: Network) -> HttpResponse:
    may_decide = has_permission(request.user, Permission.DECIDE_JOIN_REQUESTS, network)
    may_invite = has_permission(request.user, Permission.MANAGE_INVITATIONS, network)
    context = {
        "network": network,
        "lived_experience": figures.lived_experience_share(network),
        "pending_requests": figures.pending_join_requests(network),
        "open_invitations": figures.open_invitations(network),
        "requests_url": (
            reverse("join-request-list", args=[network.slug]) if may_decide else ""
        ),
        "invitations_url": (
            reverse("invitation-list", args=[network.slug]) if may_invite else ""
        ),
        "failed_tasks_url": (
            reverse("failed-tasks", args=[network.slug])
            if has_permission(request.user, Permission.VIEW_FAILED_TASKS, network)
            else ""
        ),
        "charts": [linked(build(network), network) for build in CHARTS.values()],
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "members/dashboard/dashboard.html", context)


@gate(Permission.VIEW_NETWORK_DASHBOARD)
def dashboard_chart(
    request: HttpRequest, network: Network, chart_id: str, fmt: str
) -> HttpResponse:
    if chart_id not in CHARTS:
        raise Http404("No dashboard chart has that name")
    chart = CHARTS[chart_id](network)
    if fmt == "csv":
        return chart_csv_response(chart, f"{network.slug}-{chart.id}.csv")
    return chart_json_response(chart)


urlpatterns = [
    path("n/<slug:network_slug>/dashboard/", dashboard, name="network-dashboard"),
    re_path(
        r"^n/(?P<network_slug>[-a-zA-Z0-9_]+)/dashboard/"
        r"(?P<chart_id>[-a-z0-9]+)\.(?P<fmt>csv|json)$",
        dashboard_chart,
        name="network-dashboard-chart",
    ),
]
