"""Forms for adoption and spread: they parse, and the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from msknet.core.forms import NHSForm, SearchableSelect
from msknet.members.models import ICB, Network, Organisation
from msknet.priorities.models import StrategicPriority

from .actions.adoption import SITE_MESSAGE
from .adoption_queries import contact_choices, eligible_sites
from .models import AdoptionStatus, Kind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChangeForm(NHSForm):
    """A site's next status: what, when, and why."""

    status = forms.ChoiceField(
        label="Status", choices=AdoptionStatus.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the site's status"},
    )
    on = forms.DateField(
        label="When it happened", widget=DATE,
        error_messages={"required": "Enter the date the site reached this status",
                        "invalid": "Enter the date as a real date"},
    )
    note = forms.CharField(
        label="Note", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What happened. Needed when a site goes back a step or starts "
        "again after stopping.",
    )
    reason = forms.CharField(
        label="Why the site stopped", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the status is stopped.",
    )
    reason.required_when = "stopped"  # so the label is not marked "(optional)"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class RecordForm(ChangeForm):
    """A site's first record: which site, and who keeps it up to date."""

    site = forms.ModelChoiceField(
        label="Site", queryset=Organisation.objects.none(), widget=SearchableSelect,
        empty_label="Choose a site",
        error_messages={"required": SITE_MESSAGE, "invalid_choice": SITE_MESSAGE},
        help_text="An NHS trust, primary care network, GP practice, community "
        "provider, local authority or ICB in one of the network's ICBs.",
    )
    contacts = forms.ModelMultipleChoiceField(
        label="The site's contacts", required=False, queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Members who keep the site's status up to date. They hear "
        "when the innovation changes.",
    )

    field_order = ["site", "status", "on", "note", "reason", "contacts"]

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site = self.fields["site"]
        site.queryset = eligible_sites(network)
        site.label_from_instance = lambda o: (
            f"{o.name} ({o.icb.short_name})" if o.icb else o.name)
        self.fields["contacts"].queryset = contact_choices(network)
        self.fields["contacts"].label_from_instance = lambda u: u.display_name


class SpreadProjectForm(NHSForm):
    aim = forms.CharField(
        label="Aim", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A starting aim: the team makes it specific, measurable and "
        "time-bound.",
        error_messages={"required": "Enter the project's aim"},
    )


SHOW_CHOICES = [("recommended", "Recommended for spread"),
                ("all", "Every innovation reviewed")]


class SpreadFilterForm(NHSForm):
    """The spread matrix's filters: all optional, bad values ignored."""

    show = forms.ChoiceField(label="Innovations", choices=SHOW_CHOICES,
                             required=False)
    icb = forms.ModelChoiceField(label="ICB", queryset=ICB.objects.none(),
                                 required=False, empty_label="Every ICB")
    kind = forms.ChoiceField(label="Kind", required=False,
                             choices=[("", "Every kind"), *Kind.choices])
    priority = forms.ModelChoiceField(
        label="Strategic priority served", required=False,
        queryset=StrategicPriority.objects.none(), empty_label="Any priority")

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["icb"].queryset = network.icbs.order_by("name")
        self.fields["priority"].queryset = StrategicPriority.objects.filter(
            network=network, retired_at__isnull=True).order_by("source", "title")

    def filters(self) -> dict[str, Any]:
        """What to filter by: the valid choices, the rest left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in ("show", "icb", "kind", "priority")
                if data.get(name) and name not in self.errors}
