"""Landscape: the network's ICBs and the steps of the MSK pathway they cover,
an ICB's pathway with its services and gaps, and the variation across ICBs
(or a one-ICB network's places).

All public, as the pages are; workforce figures only for the network's
members (VIEW_SERVICE_WORKFORCE), null for everyone else. The method is
docs/methods/landscape-variation.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from msknet.analytics.landscape import Summary
from msknet.landscape import pathway_queries as queries
from msknet.landscape.models import Step
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .errors import FieldErrors
from .gate import api_gate, api_user
from .responses import errors

router = Router(tags=["Landscape: pathways and variation"])


class IcbSummaryOut(Schema):
    icb_code: str = Field(description="The ICB's ODS code")
    name: str
    services: int = Field(description="Active services recorded")
    steps_covered: list[str] = Field(description="Steps with at least one service")
    gaps: list[str] = Field(description="Steps with no service, in pathway order")


class LandscapeOut(Schema):
    steps: list[str] = Field(description="The pathway's steps in order")
    icbs: list[IcbSummaryOut]


class WaitOut(Schema):
    period_start: dt.date
    median_wait_weeks: float
    p90_wait_weeks: float | None
    referrals_per_month: float | None


class PathwayServiceOut(Schema):
    id: int
    name: str
    provider: str
    place: str = Field(description="Empty when it serves the whole ICB")
    self_referral: bool
    stale: bool = Field(description="Not confirmed for six months or more")
    latest_wait: WaitOut | None = Field(
        None, description="Its latest month with a median wait recorded")


class PathwayStepOut(Schema):
    step: str
    label: str
    gap: bool
    services: list[PathwayServiceOut]


class PlaceGapsOut(Schema):
    place: str
    cells: dict[str, str] = Field(
        description="Step -> covered (a service in the place), icb-wide (only a "
        "service with no place) or gap")
    gaps: int


class PathwayOut(Schema):
    icb_code: str
    name: str
    place: str = Field(description="The place asked for, or empty for the whole ICB")
    places: list[str]
    steps: list[PathwayStepOut]
    gaps: list[str] = Field(description="Steps with no service for the place asked "
                            "for (or the whole ICB)")
    icb_gaps: list[str] = Field(description="Steps with no service in the whole ICB")
    place_gaps: list[PlaceGapsOut]


class PopulationOut(Schema):
    persons: int
    year: int
    source: str


class FiguresOut(Schema):
    key: str = Field(description="The ICB's ODS code, or the place's name")
    name: str
    services: int
    services_with_waits: int
    median_wait_weeks: float | None = Field(
        description="Median of the services' latest median waits")
    weighted_mean_wait_weeks: float | None = Field(
        description="Referral-weighted mean of the services' latest median waits")
    p90_wait_weeks: float | None = Field(
        description="Median of the services' latest 90th-percentile waits")
    latest_period: dt.date | None
    self_referral_services: int
    self_referral_percent: float | None
    wte: float | None = Field(None, description="Members only")
    vacancies_wte: float | None = Field(None, description="Members only")
    vacancy_rate_percent: float | None = Field(None, description="Members only")
    population: PopulationOut | None = Field(
        None, description="Members only; null when none is loaded")
    wte_per_100k: float | None = Field(None, description="Members only")
    vacancies_per_100k: float | None = Field(None, description="Members only")


class MonthOut(Schema):
    name: str
    month: dt.date
    services_with_waits: int
    median_wait_weeks: float


class VariationOut(Schema):
    level: str = Field(description="ICB, or place when the network has one ICB")
    step: str = Field(description="The step asked for, or empty for every step")
    workforce: bool = Field(description="Whether workforce figures are included")
    groups: list[FiguresOut]
    icb: FiguresOut | None = Field(
        None, description="With one ICB, the ICB as a whole")
    waits_by_month: list[MonthOut]


@router.get(
    "/networks/{slug}/landscape",
    response={200: LandscapeOut, **errors(401, 403, 404)},
    url_name="landscape-summary", operation_id="landscape_summary",
    summary="The network's ICBs: services recorded, steps covered and gaps",
)
@api_gate(Permission.VIEW_PUBLIC)
def landscape(request: HttpRequest, network: Network) -> dict[str, Any]:
    return {
        "steps": [str(step) for step in Step],
        "icbs": [{"icb_code": c.icb.ods_code, "name": c.icb.short_name,
                  "services": c.services, "steps_covered": c.steps, "gaps": c.gaps}
                 for c in queries.coverage(network)],
    }


def wait_out(latest: Any) -> dict[str, Any] | None:
    if latest is None:
        return None
    return {"period_start": latest.period_start,
            "median_wait_weeks": latest.median_wait,
            "p90_wait_weeks": latest.p90_wait,
            "referrals_per_month": latest.referrals}


@router.get(
    "/networks/{slug}/landscape/pathways/{icb_code}",
    response={200: PathwayOut, **errors(401, 403, 404, 422)},
    url_name="landscape-pathway", operation_id="landscape_pathway",
    summary="An ICB's pathway: each step's services, gaps, and gaps by place",
)
@api_gate(Permission.VIEW_PUBLIC)
def pathway(request: HttpRequest, network: Network, icb_code: str,
            place: str = "") -> dict[str, Any]:
    """`place` shows the steps for one place (its services and those serving
    the whole ICB); a place no service names is 422."""
    icb = get_object_or_404(network.icbs, ods_code=icb_code.upper())
    found = queries.pathway(network, icb)
    if place:
        if place not in found.places:
            raise FieldErrors({"place": f"No service in {icb.short_name} records "
                                        f"the place {place!r}"})
        found = queries.pathway(network, icb, place=place)
    return {
        "icb_code": icb.ods_code, "name": icb.short_name, "place": found.place,
        "places": found.places,
        "steps": [{"step": str(s.step), "label": s.step.label, "gap": s.is_gap,
                   "services": [{"id": e.service.pk, "name": e.service.name,
                                 "provider": e.service.provider.name,
                                 "place": e.service.place,
                                 "self_referral": e.service.self_referral,
                                 "stale": e.stale, "latest_wait": wait_out(e.latest)}
                                for e in s.entries]} for s in found.steps],
        "gaps": [str(step) for step in found.gaps],
        "icb_gaps": found.icb_gaps,
        "place_gaps": [{"place": row.place,
                        "cells": {str(step): cell for step, cell in row.cell_pairs()},
                        "gaps": row.gaps} for row in found.place_rows],
    }


def figures_out(group: queries.Group, workforce: bool) -> dict[str, Any]:
    s: Summary = group.summary
    found = {
        "key": group.key, "name": group.name, "services": s.services,
        "services_with_waits": s.with_waits, "median_wait_weeks": s.median_wait,
        "weighted_mean_wait_weeks": s.weighted_wait, "p90_wait_weeks": s.p90_wait,
        "latest_period": s.latest_period, "self_referral_services": s.self_referral,
        "self_referral_percent": s.self_referral_share,
    }
    if workforce:
        found |= {
            "wte": s.wte, "vacancies_wte": s.vacancies,
            "vacancy_rate_percent": s.vacancy_rate,
            "population": {"persons": s.population.persons, "year": s.population.year,
                           "source": s.population.source} if s.population else None,
            "wte_per_100k": s.wte_per_100k, "vacancies_per_100k": s.vacancies_per_100k,
        }
    return found


@router.get(
    "/networks/{slug}/landscape/variation",
    response={200: VariationOut, **errors(401, 403, 404, 422)},
    url_name="landscape-variation", operation_id="landscape_variation",
    summary="Waits, self-referral and workforce per 100,000 across the network's "
            "ICBs (or places)",
)
@api_gate(Permission.VIEW_PUBLIC)
def variation(request: HttpRequest, network: Network, step: str = "") -> dict[str, Any]:
    """Each service counts with its latest month with a wait; `step` limits
    the figures to one pathway step (422 if it is not one). Workforce figures
    are null unless you are a member of the network."""
    if step and step not in Step.values:
        raise FieldErrors({"step": f"{step!r} is not a pathway step: use one of "
                                   f"{', '.join(Step.values)}"})
    workforce = has_permission(api_user(request), Permission.VIEW_SERVICE_WORKFORCE,
                               network)
    found = queries.variation(network, step=step)
    return {
        "level": found.level, "step": found.step, "workforce": workforce,
        "groups": [figures_out(g, workforce) for g in found.groups],
        "icb": figures_out(found.icb_summary, workforce) if found.icb_summary else None,
        "waits_by_month": [{"name": m.group, "month": m.month,
                            "services_with_waits": m.services,
                            "median_wait_weeks": m.median_wait}
                           for m in found.months],
    }
