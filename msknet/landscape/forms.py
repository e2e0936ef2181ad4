"""Forms for the service directory and keeping services up to date: they
parse, and the actions decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from msknet.core.forms import NHSForm, NHSModelForm, SearchableSelect
from msknet.members.models import Network, Profession

from .actions.services import DETAIL_FIELDS, eligible_providers
from .models import Service, Step
from .queries import METHODS, NEAR_MESSAGE, Filters, parse_near

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTHS = [(str(n), dt.date(2000, n, 1).strftime("%B")) for n in range(1, 13)]


class DirectoryForm(NHSForm):
    """The directory's search and filters (a GET form)."""

    q = forms.CharField(label="Search", required=False, max_length=200,
                        help_text="A service, condition or provider, for example "
                        "'physiotherapy' or 'back pain'")
    near = forms.CharField(
        label="Near a postcode", required=False, max_length=10,
        help_text="A postcode or its first half, like NE1 4LP or NE1",
    )
    icb = forms.ModelChoiceField(label="ICB", required=False, queryset=None,
                                 empty_label="Any ICB")
    step = forms.ChoiceField(label="Pathway step", required=False,
                             choices=[("", "Any step"), *Step.choices])
    method = forms.ChoiceField(
        label="How to refer", required=False,
        choices=[("", "Any way"), *((k, v[1]) for k, v in METHODS.items())])
    language = forms.CharField(label="Language offered", required=False,
                               max_length=60, help_text="For example 'Urdu'")
    self_referral = forms.BooleanField(label="Accepts self-referral", required=False)

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        icb = self.fields["icb"]
        icb.queryset = network.icbs.order_by("name")
        icb.label_from_instance = lambda i: i.short_name or i.name

    def clean_near(self) -> str:
        near = self.cleaned_data["near"].strip()
        if near and parse_near(near) is None:
            raise forms.ValidationError(NEAR_MESSAGE)
        return near

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            q=data.get("q", ""), icb=data.get("icb"), step=data.get("step", ""),
            self_referral=data.get("self_referral", False),
            method=data.get("method", ""), language=data.get("language", "").strip(),
            near=parse_near(data["near"]) if data.get("near") else None,
        )


class ServiceForm(NHSModelForm):
    """A service's details. Leads choose its provider; members add services
    for their own organisation."""

    provider = forms.ModelChoiceField(
        label="Provider organisation", queryset=None, widget=SearchableSelect,
        empty_label="Choose an organisation",
        help_text="The organisation that runs it: its members keep it up to date",
        error_messages={"required": "Choose the organisation that runs the service",
                        "invalid_choice": "Choose an organisation in one of the "
                        "network's ICBs"},
    )

    website = forms.URLField(label="Website", required=False, max_length=500,
                             assume_scheme="https")

    class Meta:
        model = Service
        fields = ["provider", *DETAIL_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "digital_offer": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, network: Network, choose_provider: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_provider:
            self.fields["provider"].queryset = eligible_providers(network)
        else:
            del self.fields["provider"]
        self.fields["icb"].queryset = network.icbs.order_by("name")
        self.fields["icb"].empty_label = "Choose an ICB"
        self.fields["postcode"].max_length = 10
        self.fields["postcode"].widget.attrs["maxlength"] = 10

    def validate_unique(self) -> None:
        """The action checks a provider's names, naming the field."""

    def _post_clean(self) -> None:
        # Parse only: the action checks the details and saves them.
        pass

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in DETAIL_FIELDS}


class WithdrawForm(NHSForm):
    reason = forms.CharField(
        label="Why is the service withdrawn?", max_length=300,
        help_text="For example 'Closed in March 2026; patients go to the Central "
        "MSK hub'", error_messages={"required": "Say why the service is withdrawn"})


def month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(
        days=1)


class ActivityForm(NHSForm):
    """A period's referrals and waits: a month, or dates for another period."""

    month = forms.TypedChoiceField(
        label="Month", choices=[("", "Choose a month"), *MONTHS], coerce=int,
        required=False)
    year = forms.IntegerField(label="Year", required=False, min_value=2000,
                              max_value=2100)
    period_start = forms.DateField(
        label="Or: the period starts", required=False, widget=DATE,
        help_text="For a period that is not a calendar month")
    period_end = forms.DateField(label="The period ends", required=False, widget=DATE)
    referrals_per_month = forms.DecimalField(
        label="Referrals a month", required=False, max_digits=8, decimal_places=1)
    median_wait_weeks = forms.DecimalField(
        label="Median wait (weeks)", required=False, max_digits=5, decimal_places=1,
        help_text="Half of those seen waited less than this, from referral to "
        "first appointment")
    p90_wait_weeks = forms.DecimalField(
        label="90th-percentile wait (weeks)", required=False, max_digits=5,
        decimal_places=1, help_text="Nine in ten waited less than this")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
        kwargs.setdefault("initial", {}).update(
            {"month": str(last.month), "year": last.year})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        month, year = data.get("month"), data.get("year")
        start, end = data.get("period_start"), data.get("period_end")
        if start is not None:
            if end is None:
                self.add_error("period_end", "Enter the date the period ends")
            data["period"] = (start, end)
        elif month and year:
            first = dt.date(year, month, 1)
            data["period"] = (first, month_end(first))
        elif "month" not in self.errors and "year" not in self.errors:
            field = "year" if month else "month"
            self.add_error(field, "Choose the month and year, or enter the dates "
                           "of the period")
        return data


class WorkforceForm(NHSForm):
    as_of = forms.DateField(label="As of", widget=DATE,
                            error_messages={"required": "Enter the date these "
                                            "figures are for"})
    profession = forms.ChoiceField(
        label="Profession", choices=[("", "Choose a profession"), *Profession.choices],
        error_messages={"required": "Choose a profession"})
    wte = forms.DecimalField(label="Whole-time equivalents in post", max_digits=7,
                             decimal_places=2,
                             error_messages={"required": "Enter the whole-time "
                                             "equivalents in post, or 0"})
    vacancies_wte = forms.DecimalField(label="Vacant whole-time equivalents",
                                       required=False, max_digits=7, decimal_places=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("as_of", timezone.localdate())
        super().__init__(*args, **kwargs)
