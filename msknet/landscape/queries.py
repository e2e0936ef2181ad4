"""Reads for the service directory and a service's page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from msknet.members.models import ICB, Network

from .models import Service, ServiceActivity, ServiceChange, ServiceWorkforce

#: How referrals reach a service, as the directory's filter names them.
METHODS = {"ers": ("via_ers", "e-Referral Service (e-RS)"),
           "email": ("via_email", "Email"),
           "form": ("via_form", "Online or paper form")}
OUTWARD = re.compile(r"^([A-Z]{1,2})[0-9][A-Z0-9]?$")
NEAR_MESSAGE = "Enter a postcode or the first half of one, like NE1 or NE1 4LP"


@dataclass(frozen=True)
class Near:
    """Where "near" means: a postcode district (outward code) and its area."""

    outward: str
    area: str


def parse_near(text: str) -> Near | None:
    """The outward code and area letters of a postcode or outward code
    ("NE1 4LP" or "ne1" → NE1, NE); None when it is neither."""
    compact = "".join(text.upper().split())
    if len(compact) >= 5 and compact[-3].isdigit() and compact[-2:].isalpha():
        compact = compact[:-3]
    match = OUTWARD.match(compact)
    if match is None:
        return None
    return Near(compact, match.group(1))


@dataclass
class Filters:
    q: str = ""
    icb: ICB | None = None
    step: str = ""
    self_referral: bool = False
    method: str = ""
    language: str = ""
    near: Near | None = None


def directory(network: Network, filters: Filters) -> QuerySet[Service]:
    """The network's active services matching `filters`: nearest first when
    `near` is given (same district, then the rest of its area; others left
    out), then by name. Each carries `nearness` (0 or 1) when near is given."""
    services = (Service.objects.active().filter(network=network)
                .select_related("provider", "icb"))
    if filters.q:
        for word in filters.q.split()[:10]:
            services = services.filter(
                Q(name__icontains=word) | Q(description__icontains=word)
                | Q(conditions__icontains=word) | Q(provider__name__icontains=word))
    if filters.icb is not None:
        services = services.filter(icb=filters.icb)
    if filters.step:
        services = services.filter(step=filters.step)
    if filters.self_referral:
        services = services.filter(self_referral=True)
    if filters.method in METHODS:
        services = services.filter(**{METHODS[filters.method][0]: True})
    if filters.language:
        services = services.filter(languages__icontains=filters.language)
    if filters.near is None:
        return services.order_by("name", "pk")
    near = filters.near
    return (services.filter(outward_code__regex=rf"^{near.area}[0-9]")
            .annotate(nearness=Case(When(outward_code=near.outward, then=Value(0)),
                                    default=Value(1), output_field=IntegerField()))
            .order_by("nearness", "name", "pk"))


def activity_of(service: Service) -> list[ServiceActivity]:
    return list(service.activity.order_by("period_start"))


def latest_activity(rows: list[ServiceActivity]) -> ServiceActivity | None:
    return rows[-1] if rows else None


def workforce_of(service: Service) -> list[ServiceWorkforce]:
    return list(service.workforce.order_by("as_of", "profession"))


def latest_workforce(rows: list[ServiceWorkforce]) -> list[ServiceWorkforce]:
    """The professions on the latest date anything was recorded."""
    if not rows:
        return []
    last = rows[-1].as_of
    return [row for row in rows if row.as_of == last]


def history(service: Service, limit: int = 50) -> list[ServiceChange]:
    return list(service.changes.select_related("by").order_by("-at", "-pk")[:limit])


def service_page(network: Network, service_id: Any) -> QuerySet[Service]:
    return Service.objects.select_related(
        "network", "provider", "icb", "last_confirmed_by").filter(
        network=network, pk=service_id)
