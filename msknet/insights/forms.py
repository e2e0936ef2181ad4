from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

from msknet.core.forms import NHSForm

from . import actions
from .models import PeriodType, Polarity, SourceKind, ValueType

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


VALUE_TYPE_CHOICES = [
    (ValueType.PROPORTION,
     "Proportion: a count out of a denominator, such as a percentage"),
    (ValueType.RATE, "Rate: events per population, such as per 100,000"),
    (ValueType.RATIO, "Ratio: such as a standardised ratio"),
    (ValueType.MEAN, "Mean: an average of individual values"),
]
POLARITY_CHOICES = [
    (Polarity.HIGHER_IS_BETTER, "Higher is better"),
    (Polarity.LOWER_IS_BETTER, "Lower is better"),
    (Polarity.NO_JUDGEMENT, "Neither: higher or lower is not better or worse"),
]


class IndicatorForm(NHSForm):
    """An indicator's details, as a network lead reads them from its metadata."""

    name = forms.CharField(
        label="Name", max_length=300,
        error_messages={"required": "Enter the indicator's name",
                        "max_length": "The name must be 300 characters or fewer"},
    )
    definition = forms.CharField(label="Definition", required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    unit = forms.CharField(
        label="Unit", required=False, max_length=40,
        help_text='What the values are in, such as "%" or "per 100,000"',
        error_messages={"max_length": "The unit must be 40 characters or fewer"},
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )
    value_type = forms.ChoiceField(
        label="What kind of measure is it?",
        help_text="Fingertips calls this the value type. msknet computes confidence "
        "limits and draws funnel plots for proportions and rates.",
        choices=VALUE_TYPE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of measure it is",
                        "invalid_choice": actions.UNKNOWN_CHOSEN},
    )
    multiplier = forms.FloatField(
        label="Multiplier",
        help_text="100 for a percentage, 100000 for a rate per 100,000, 1 otherwise",
        error_messages={"required": "Enter the multiplier",
                        "invalid": "The multiplier must be a number, such as 100"},
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10",
                                      "inputmode": "decimal"}),
    )
    polarity = forms.ChoiceField(
        label="Is a higher value better or worse?",
        help_text="Fingertips calls this the polarity. Pages say better or worse "
        "only when it is known; otherwise they say higher or lower.",
        choices=POLARITY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether a higher value is better or worse"},
    )
    source = forms.CharField(
        label="Source", required=False, max_length=300,
        help_text="Who publishes the data, such as GP Patient Survey (NHS England)",
        error_messages={"max_length": "The source must be 300 characters or fewer"},
    )
    method = forms.CharField(
        label="Confidence limits method", required=False, max_length=300,
        help_text="Such as Wilson score limits. For a directly standardised rate, "
        "say so: msknet then keeps the limits as published and never computes them.",
        error_messages={"max_length": "The method must be 300 characters or fewer"},
    )
    period_type = forms.ChoiceField(
        label="Period type",
        choices=PeriodType.choices,
        error_messages={"required": "Select the period type"},
    )

    @classmethod
    def for_indicator(cls, indicator: object, data: object = None) -> IndicatorForm:
        initial = {name: getattr(indicator, name) for name in actions.EDITABLE}
        if initial["value_type"] == ValueType.UNKNOWN:
            initial["value_type"] = None  # a person must choose
        return cls(data, initial=initial)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        value_type = cleaned.get("value_type")
        multiplier = cleaned.get("multiplier")
        if value_type is not None and multiplier is not None:
            for name, message in actions.indicator_problems(
                value_type=value_type, multiplier=multiplier  # type: ignore[arg-type]
            ).items():
                self.add_error(name, message)
        return cleaned
