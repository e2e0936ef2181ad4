"""Services as CSV: every active service for anyone, and a lead's import."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from msknet.core.forms import NHSForm
from msknet.core.gate import gate, public
from msknet.members.models import Network
from msknet.members.permissions import Permission

from .. import service_csv
from ..actions import imports as actions

MB = service_csv.MAX_BYTES // (1024 * 1024)


class ImportForm(NHSForm):
    file = forms.FileField(
        label="CSV file of services",
        help_text=f"Save it as CSV UTF-8, smaller than {MB} MB, with the columns the "
        "export has. A row with an id, or the same provider and name as a service "
        "already listed, updates it; any other row adds a service.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"empty": "The selected file is empty",
                        "required": "Select a CSV file"},
    )
    dry_run = forms.BooleanField(
        label="Only check the file: write nothing", required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV")
        if upload.size > service_csv.MAX_BYTES:
            raise forms.ValidationError(f"The selected file must be smaller than {MB} MB")
        return upload


@public
def service_export_csv(request: HttpRequest, network: Network) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="services-{network.slug}.csv"'
    service_csv.write(response, service_csv.services_for_export(network))
    return response


@gate(Permission.MANAGE_LANDSCAPE)
def service_import(request: HttpRequest, network: Network) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.import_bytes(
                network=network, data=form.cleaned_data["file"].read(),
                by=request.user, dry_run=form.cleaned_data["dry_run"])
        except actions.ImportRefused as refusal:
            errors = refusal.errors
            form.add_error("file", str(refusal))
        else:
            messages.success(request, f"{result.summary}.")
            if result.dry_run:
                return redirect("service-import", network.slug)
            return redirect("service-stale", network.slug)
    context = {
        "network": network, "form": form, "errors": errors, "multipart": True,
        "columns": service_csv.COLUMNS,
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "landscape/import_form.html", context)
