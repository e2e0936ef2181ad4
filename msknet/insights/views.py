from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission

from . import actions
from .forms import ImportForm
from .importers.csvfile import count_data_rows
from .models import ImportRun

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
        "recent": ImportRun.objects.select_related("created_by", "network")[
            :RECENT_IMPORTS
        ],
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "insights/import_form.html", context)


@gate(Permission.IMPORT_INDICATOR_DATA)
def import_status(request: HttpRequest, network: Network, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun.objects.select_related("created_by"), pk=pk)
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


urlpatterns = [
    path("n/<slug:network_slug>/insights/import/", import_create, name="insights-import"),
    path(
        "n/<slug:network_slug>/insights/import/<int:pk>/",
        import_status,
        name="insights-import-status",
    ),
]
