"""Adding, changing, withdrawing and restoring services, and recording their
dated figures: activity and waits, and workforce.

Every write leaves a ServiceChange saying what changed, so a service's page
shows its history. Saving a service's details by someone allowed to confirms
them: its last-confirmed date becomes today.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from msknet.members.models import Network, Organisation, Profession

from ..models import Service, ServiceActivity, ServiceChange, ServiceWorkforce
from .common import Refused

#: The fields of a service one may set from its form or the API, in form order.
DETAIL_FIELDS = (
    "name", "description", "icb", "place", "step", "conditions",
    "self_referral", "gp_referral", "fcp_referral", "other_referrers",
    "via_ers", "via_email", "via_form", "referral_contact", "eligibility",
    "address", "postcode", "opening", "accessibility", "languages",
    "digital_offer", "website", "phone",
)

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
POSTCODE_MESSAGE = "Enter a real UK postcode, like NE1 4LP, or leave it blank"


def tidy_postcode(postcode: str) -> str:
    """The postcode upper-cased with one space before its last three
    characters; Refused (naming `postcode`) when it is not a UK postcode's shape."""
    compact = "".join(postcode.upper().split())
    if not compact:
        return ""
    match = POSTCODE.match(compact)
    if match is None:
        raise Refused(POSTCODE_MESSAGE, field="postcode")
    return f"{match.group(1)} {match.group(2)}"


def eligible_providers(network: Network):
    """Organisations in one of the network's ICBs, which leads add services for."""
    return Organisation.objects.filter(icb__in=network.icbs.all()).order_by("name")


def label(name: str) -> str:
    return str(Service._meta.get_field(name).verbose_name)


def check_details(network: Network, provider: Organisation | None,
                  details: dict[str, Any], *, service: Service | None = None,
                  owner: Organisation | None = None) -> None:
    """Refused, naming the field, for details the network cannot hold.

    `provider` is checked when it is being chosen; `owner` (the provider the
    service will have) for a name it already uses."""
    owner = owner or provider
    if "name" in details and not str(details["name"]).strip():
        raise Refused("Enter the service's name", field="name")
    icb = details.get("icb")
    if icb is not None and not network.icbs.filter(pk=icb.pk).exists():
        raise Refused(f"Choose one of {network.short_name}'s ICBs", field="icb")
    if provider is not None and not eligible_providers(network).filter(
            pk=provider.pk).exists():
        raise Refused(f"Choose an organisation in one of {network.short_name}'s "
                      "ICBs", field="provider")
    if "postcode" in details:
        details["postcode"] = tidy_postcode(details["postcode"] or "")
    name = details.get("name", service.name if service else "")
    clash = Service.objects.filter(network=network, provider=owner, name=name)
    if service is not None and service.pk:
        clash = clash.exclude(pk=service.pk)
    if owner is not None and clash.exists():
        raise Refused(f"{owner.name} already has a service called {name}",
                      field="name")


def note(service: Service, by: Any, summary: str) -> ServiceChange:
    who = by if getattr(by, "is_authenticated", False) else None
    if len(summary) > 300:
        summary = summary[:299] + "…"
    return ServiceChange.objects.create(service=service, by=who, summary=summary)


@transaction.atomic
def add_service(*, network: Network, provider: Organisation, by: Any,
                **details: Any) -> Service:
    """A new service for `provider`, its details confirmed today by `by`."""
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown service fields: {sorted(unknown)}")
    if details.get("icb") is None:
        raise Refused("Choose the ICB the service is in", field="icb")
    if not details.get("step"):
        raise Refused("Choose the step of the pathway the service sits at",
                      field="step")
    check_details(network, provider, details)
    today = timezone.localdate()
    service = Service.objects.create(
        network=network, provider=provider, created_by=by, updated_by=by,
        last_confirmed_on=today, last_confirmed_by=by, **details)
    note(service, by, "Added the service")
    return service


@transaction.atomic
def update_service(*, service: Service, by: Any, provider: Organisation | None = None,
                   **details: Any) -> list[str]:
    """Change `service`'s details and confirm them today; returns the labels of
    the fields that changed (none when the details were only confirmed)."""
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown service fields: {sorted(unknown)}")
    current = Service.objects.select_for_update().get(pk=service.pk)
    check_details(current.network, provider, details, service=current,
                  owner=provider or current.provider)
    changed = []
    if provider is not None and provider.pk != current.provider_id:
        current.provider = provider
        changed.append("provider")
    for name, value in details.items():
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed.append(label(name))
    today = timezone.localdate()
    current.last_confirmed_on = today
    current.last_confirmed_by = by if getattr(by, "is_authenticated", False) else None
    current.updated_at = timezone.now()
    current.updated_by = current.last_confirmed_by
    current.save()
    if changed:
        note(current, by, "Changed " + ", ".join(c.lower() if c != "ICB" else c
                                                 for c in changed)
             + "; confirmed the details")
    else:
        note(current, by, "Confirmed the details without changes")
    service.__dict__.update(current.__dict__)
    return changed


@transaction.atomic
def withdraw_service(*, service: Service, by: Any, reason: str) -> Service:
    reason = reason.strip()
    if not reason:
        raise Refused("Say why the service is withdrawn", field="reason")
    if service.withdrawn_at is not None:
        raise Refused("The service is already withdrawn", field="reason")
    service.withdrawn_at = timezone.now()
    service.withdrawn_reason = reason[:300]
    service.updated_at = service.withdrawn_at
    service.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated_at",
                                "postcode", "outward_code"])
    note(service, by, f"Withdrew the service: {reason}")
    return service


@transaction.atomic
def restore_service(*, service: Service, by: Any) -> Service:
    if service.withdrawn_at is None:
        raise Refused("The service is not withdrawn")
    service.withdrawn_at = None
    service.withdrawn_reason = ""
    service.updated_at = timezone.now()
    service.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated_at",
                                "postcode", "outward_code"])
    note(service, by, "Restored the service")
    return service


def month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(
        days=1)


def period_name(start: dt.date, end: dt.date) -> str:
    if start.day == 1 and end == month_end(start):
        return f"{start:%B %Y}"
    return f"{long_date(start)} to {long_date(end)}"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def not_negative(value: Decimal | None, field: str, what: str) -> None:
    if value is not None and value < 0:
        raise Refused(f"{what} cannot be negative", field=field)


@transaction.atomic
def record_activity(*, service: Service, by: Any, period_start: dt.date,
                    period_end: dt.date | None = None,
                    referrals_per_month: Decimal | None = None,
                    median_wait_weeks: Decimal | None = None,
                    p90_wait_weeks: Decimal | None = None) -> ServiceActivity:
    """A period's referrals and waits (a month when `period_end` is left out).
    A period already recorded (same start) is replaced."""
    period_end = period_end or month_end(period_start)
    if period_start > timezone.localdate():
        raise Refused("The period cannot start in the future", field="period_start")
    if period_end < period_start:
        raise Refused("The period must end on or after its start",
                      field="period_end")
    not_negative(referrals_per_month, "referrals_per_month", "Referrals a month")
    not_negative(median_wait_weeks, "median_wait_weeks", "The median wait")
    not_negative(p90_wait_weeks, "p90_wait_weeks", "The 90th-percentile wait")
    if (median_wait_weeks is not None and p90_wait_weeks is not None
            and p90_wait_weeks < median_wait_weeks):
        raise Refused("The 90th-percentile wait cannot be shorter than the median "
                      "wait", field="p90_wait_weeks")
    if referrals_per_month is None and median_wait_weeks is None and (
            p90_wait_weeks is None):
        raise Refused("Enter the referrals a month or the waits",
                      field="referrals_per_month")
    who = by if getattr(by, "is_authenticated", False) else None
    existing = ServiceActivity.objects.filter(service=service,
                                              period_start=period_start).first()
    if existing is not None:
        existing.delete()
    activity = ServiceActivity.objects.create(
        service=service, period_start=period_start, period_end=period_end,
        referrals_per_month=referrals_per_month, median_wait_weeks=median_wait_weeks,
        p90_wait_weeks=p90_wait_weeks, recorded_by=who)
    verb = "Replaced" if existing is not None else "Recorded"
    note(service, by, f"{verb} the waits for {period_name(period_start, period_end)}")
    return activity


@transaction.atomic
def remove_activity(*, activity: ServiceActivity, by: Any) -> None:
    service = activity.service
    name = period_name(activity.period_start, activity.period_end)
    activity.delete()
    note(service, by, f"Removed the waits for {name}")


@transaction.atomic
def record_workforce(*, service: Service, by: Any, as_of: dt.date, profession: str,
                     wte: Decimal, vacancies_wte: Decimal | None = None
                     ) -> ServiceWorkforce:
    """A profession's whole-time equivalents in post and vacant on a date; the
    same profession on the same date is replaced."""
    vacancies_wte = vacancies_wte if vacancies_wte is not None else Decimal(0)
    if as_of > timezone.localdate():
        raise Refused("The date cannot be in the future", field="as_of")
    if profession not in Profession.values:
        raise Refused("Choose a profession from the list", field="profession")
    not_negative(wte, "wte", "Whole-time equivalents in post")
    not_negative(vacancies_wte, "vacancies_wte", "Vacant whole-time equivalents")
    who = by if getattr(by, "is_authenticated", False) else None
    existing = ServiceWorkforce.objects.filter(
        service=service, as_of=as_of, profession=profession).first()
    if existing is not None:
        existing.delete()
    staff = ServiceWorkforce.objects.create(
        service=service, as_of=as_of, profession=profession, wte=wte,
        vacancies_wte=vacancies_wte, recorded_by=who)
    verb = "Replaced" if existing is not None else "Recorded"
    note(service, by, f"{verb} the {Profession(profession).label.lower()} workforce "
                      f"on {long_date(as_of)}")
    return staff


@transaction.atomic
def remove_workforce(*, staff: ServiceWorkforce, by: Any) -> None:
    service = staff.service
    what = (f"the {staff.get_profession_display().lower()} workforce on "
            f"{long_date(staff.as_of)}")
    staff.delete()
    note(service, by, f"Removed {what}")
