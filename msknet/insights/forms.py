from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

from msknet.core.forms import NHSForm

from .models import SourceKind

MAX_UPLOAD_BYTES = 25 * 1024 * 1024


class ImportForm(NHSForm):
    kind = forms.ChoiceField(
        label="What kind of file is it?",
        choices=SourceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of file it is"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV file (.csv), up to 25 MB. Fingertips files exactly as "
        "downloaded; local files as the local CSV guide describes.",
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
        },
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV (.csv)")
        if upload.size and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 25 MB")
        return upload
