from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from msknet.core.gate import gate, public
from msknet.members.models import Network
from msknet.members.permissions import Permission

from . import actions, guide
from .forms import ImportForm, IndicatorForm
from .importers.csvfile import count_data_rows
from .importers.local import NEW_INDICATOR_FIELDS
from .models import ImportRun, Indicator

#: Files with fewer data rows than this are imported while the person waits.
INLINE_ROWS = 2000
RECENT_IMPORTS = 10


@gate(Permission.IMPORT_INDICATOR_DATA)
def import_create(request: HttpRequest, network: Network) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        start = (actions.import_file if count_data_rows(content) < INLINE_ROWS
                 else actions.queue_import)
        run = start(content=content, file_name=upload.name, by=request.user,
                    kind=form.cleaned_data["kind"], network=network)
        return redirect("insights-import-status", network_slug=network.slug, pk=run.pk)
    context = {
        "network": network,
        "form": form,
        "recent": ImportRun.objects.filter(network=network)
        .select_related("created_by", "network")[:RECENT_IMPORTS],
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "insights/import_form.html", context)


@gate(Permission.IMPORT_INDICATOR_DATA)
def import_status(request: HttpRequest, network: Network, pk: int) -> HttpResponse:
    # Each network's imports are its own: another network's lead gets a 404.
    run = get_object_or_404(
        ImportRun.objects.select_related("created_by"), pk=pk, network=network
    )
    context = {
        "network": network,
        "run": run,
        "refresh": run.in_progress and not run.stalled,
        "crumbs": [
            (network.short_name, network.get_absolute_url()),
            ("Import indicator data", reverse("insights-import", args=[network.slug])),
        ],
    }
    return TemplateResponse(request, "insights/import_status.html", context)


def load_indicator(*, network: Network, kwargs: dict[str, Any]) -> Indicator:
    """A shared indicator, or this network's own; another network's is not here."""
    return get_object_or_404(
        Indicator.objects.filter(Q(network__isnull=True) | Q(network=network)),
        slug=kwargs.pop("indicator_slug"),
    )


@gate(Permission.EDIT_INDICATOR, load=load_indicator, as_="indicator")
def indicator_edit(request: HttpRequest, network: Network,
                   indicator: Indicator) -> HttpResponse:
    form = IndicatorForm.for_indicator(indicator, request.POST or None)
    if request.method == "POST" and form.is_valid():
        update = actions.update_indicator(indicator=indicator, by=request.user,
                                          **form.cleaned_data)
        messages.success(request, update.summary())
        return redirect("insights-indicator", network_slug=network.slug,
                        indicator_slug=indicator.slug)
    context = {
        "network": network,
        "indicator": indicator,
        "form": form,
        "crumbs": [
            (network.short_name, network.get_absolute_url()),
            ("Population health", reverse("insights", args=[network.slug])),
            (indicator.name, reverse("insights-indicator",
                                     args=[network.slug, indicator.slug])),
        ],
    }
    return TemplateResponse(request, "insights/indicator_edit.html", context)


@public
def local_csv_guide(request: HttpRequest, network: Network) -> HttpResponse:
    context = {
        "network": network,
        "columns": guide.COLUMNS,
        "example": guide.EXAMPLE_CSV,
        "problems": guide.PROBLEMS,
        "new_indicator_fields": NEW_INDICATOR_FIELDS,
        "crumbs": [
            (network.short_name, network.get_absolute_url()),
            ("Population health", reverse("insights", args=[network.slug])),
        ],
    }
    return TemplateResponse(request, "insights/local_csv_guide.html", context)


@public
def local_csv_example(request: HttpRequest, network: Network) -> HttpResponse:
    response = HttpResponse(guide.EXAMPLE_CSV, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{guide.EXAMPLE_FILE_NAME}"')
    return response


urlpatterns = [
    path("n/<slug:network_slug>/insights/import/", import_create, name="insights-import"),
    path(
        "n/<slug:network_slug>/insights/import/<int:pk>/",
        import_status,
        name="insights-import-status",
    ),
    path("n/<slug:network_slug>/insights/import/local-csv-guide/", local_csv_guide,
         name="insights-local-csv-guide"),
    path("n/<slug:network_slug>/insights/import/local-csv-example.csv",
         local_csv_example, name="insights-local-csv-example"),
    path(
        "n/<slug:network_slug>/insights/<slug:indicator_slug>/edit/",
        indicator_edit,
        name="insights-indicator-edit",
    ),
]
