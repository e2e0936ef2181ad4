"""Reads for the landscape pages: each ICB's coverage of the pathway, an ICB's
pathway step by step with its gaps by place, and the variation across the
network's ICBs (or, in a network of one ICB, across its places).

The figures come from `msknet.analytics.landscape`; this module only reads
rows for it. Each page reads a fixed number of queries whatever the data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, FloatField, Max, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Cast
from django.utils import timezone

from msknet.analytics import landscape as figures
from msknet.insights.models import AreaPopulation
from msknet.members.models import ICB, Network

from .models import PATHWAY, Service, ServiceActivity, ServiceWorkforce, Step

#: The label of services with no place recorded: they serve the whole ICB.
ICB_WIDE = "Whole ICB"
STEP_CODES = [str(step) for step in PATHWAY]


def network_icbs(network: Network) -> list[ICB]:
    return list(network.icbs.order_by("name"))


def services_of(network: Network, icbs: list[ICB] | None = None,
                step: str = "") -> QuerySet[Service]:
    """The network's active services in its ICBs (or those given)."""
    found = Service.objects.active().filter(network=network)
    found = found.filter(icb__in=icbs if icbs is not None else network.icbs.all())
    if step:
        found = found.filter(step=step)
    return found


def latest_activity(services: QuerySet[Service]) -> dict[Hashable, figures.Activity]:
    """Each service's latest period with a median wait recorded, read as one
    row a service: the database picks it (one index look-up per service, on
    SQLite and PostgreSQL alike) so no older period is read."""
    newest = (ServiceActivity.objects
              .filter(service=OuterRef("pk"), median_wait_weeks__isnull=False)
              .order_by("-period_start").values("pk")[:1])
    latest_ids = services.order_by().annotate(latest=Subquery(newest)).values("latest")
    return figures.latest_activity(
        figures.Activity(service_id, start, as_float(referrals), as_float(median),
                         as_float(p90))
        for service_id, start, referrals, median, p90 in (
            ServiceActivity.objects.filter(pk__in=latest_ids).order_by()
            .values_list("service_id", "period_start", "referrals_per_month",
                         "median_wait_weeks", "p90_wait_weeks")))


def wait_rows(services: QuerySet[Service]) -> list[figures.Activity]:
    """Every period's median wait of the services (for waits over time): only
    the periods with one, and only the columns the chart uses."""
    return [
        figures.Activity(service_id, start, None, median, None)
        for service_id, start, median in (
            ServiceActivity.objects
            .filter(service__in=services, median_wait_weeks__isnull=False)
            .order_by()
            .values_list("service_id", "period_start",
                         Cast("median_wait_weeks", FloatField())))
    ]


def latest_staff(services: QuerySet[Service]) -> dict[Hashable, figures.Workforce]:
    """Each service's staff on its latest date: only that date's rows are read
    (every profession recorded that day)."""
    rows = (ServiceWorkforce.objects.filter(service__in=services).order_by()
            .annotate(newest=Window(Max("as_of"), partition_by=[F("service_id")]))
            .filter(as_of=F("newest"))
            .values_list("service_id", "as_of", "wte", "vacancies_wte"))
    return figures.latest_workforce(
        figures.Staff(service_id, as_of, float(wte), float(vacancies))
        for service_id, as_of, wte, vacancies in rows)


def as_float(value: Any) -> float | None:
    return None if value is None else float(value)


def populations(icbs: list[ICB]) -> dict[int, figures.Population]:
    """Each ICB's latest population, from its insights area (none if not loaded)."""
    found: dict[int, figures.Population] = {}
    for icb_id, year, persons, source in (
            AreaPopulation.objects.filter(area__icb__in=icbs)
            .order_by("area__icb_id", "-year")
            .values_list("area__icb_id", "year", "persons", "source")):
        found.setdefault(icb_id, figures.Population(persons, year, source))
    return found


# The network's ICBs and their coverage.


@dataclass
class IcbCoverage:
    icb: ICB
    services: int
    steps: list[str]
    """The steps with at least one service."""
    gaps: list[str]
    """The steps with none, in pathway order."""

    @property
    def covered(self) -> int:
        return len(self.steps)

    @property
    def gap_labels(self) -> list[str]:
        return [Step(step).label for step in self.gaps]


def coverage(network: Network) -> list[IcbCoverage]:
    """For each of the network's ICBs: services recorded, steps covered, gaps."""
    icbs = network_icbs(network)
    counts: dict[int, int] = defaultdict(int)
    steps: dict[int, set[str]] = defaultdict(set)
    for icb_id, step in services_of(network, icbs).values_list("icb_id", "step"):
        counts[icb_id] += 1
        steps[icb_id].add(step)
    return [IcbCoverage(icb, counts[icb.pk],
                        [s for s in STEP_CODES if s in steps[icb.pk]],
                        figures.gaps(steps[icb.pk], STEP_CODES)) for icb in icbs]


# One ICB's pathway.


@dataclass
class Entry:
    """A service on the pathway page, with its latest waits."""

    service: Service
    latest: figures.Activity | None
    stale: bool

    @property
    def place(self) -> str:
        return self.service.place or ICB_WIDE


@dataclass
class PathwayStep:
    step: Step
    entries: list[Entry]

    @property
    def is_gap(self) -> bool:
        return not self.entries


@dataclass
class PlaceRow:
    place: str
    cells: list[str]
    """Per step: "covered", "icb-wide" (only by services with no place) or "gap"."""

    @property
    def gaps(self) -> int:
        return sum(1 for cell in self.cells if cell == "gap")

    def cell_pairs(self) -> list[tuple[Step, str]]:
        return list(zip(PATHWAY, self.cells, strict=True))


@dataclass
class Pathway:
    icb: ICB
    place: str
    """The place chosen, or "" for the whole ICB."""
    steps: list[PathwayStep]
    places: list[str]
    """Every place the ICB's services name, alphabetically."""
    place_rows: list[PlaceRow] = field(default_factory=list)
    icb_gaps: list[str] = field(default_factory=list)
    """The steps with no service anywhere in the ICB, whatever the place chosen."""

    @property
    def icb_cells(self) -> list[str]:
        return ["gap" if step in self.icb_gaps else "covered" for step in STEP_CODES]

    @property
    def gaps(self) -> list[Step]:
        return [s.step for s in self.steps if s.is_gap]

    @property
    def services(self) -> int:
        return sum(len(s.entries) for s in self.steps)


def places_of(services: list[Service]) -> list[str]:
    return sorted({s.place for s in services if s.place}, key=str.casefold)


def place_rows(services: list[Service], places: list[str]) -> list[PlaceRow]:
    """Each place × each step: covered by a service in the place, only by one
    serving the whole ICB (no place recorded), or a gap."""
    here: dict[str, set[str]] = defaultdict(set)
    for service in services:
        here[service.place].add(service.step)
    wide = here.get("", set())
    rows = []
    for place in places:
        rows.append(PlaceRow(place, [
            "covered" if step in here[place] else "icb-wide" if step in wide
            else "gap" for step in STEP_CODES]))
    return rows


def pathway(network: Network, icb: ICB, *, place: str = "",
            today: date | None = None) -> Pathway:
    """The ICB's pathway in order, each step with its services (for `place`,
    those in it and those serving the whole ICB), and its gaps by place."""
    today = today or timezone.localdate()
    chosen = services_of(network, [icb])
    services = list(chosen.select_related("provider").order_by("name", "pk"))
    latest = latest_activity(chosen)
    places = places_of(services)
    shown = [s for s in services if not place or s.place in (place, "")]
    by_step: dict[str, list[Entry]] = defaultdict(list)
    for service in shown:
        by_step[service.step].append(
            Entry(service, latest.get(service.pk), service.is_stale(today)))
    steps = [PathwayStep(step, by_step[str(step)]) for step in PATHWAY]
    return Pathway(icb, place, steps, places, place_rows(services, places),
                   figures.gaps({s.step for s in services}, STEP_CODES))


# Variation.


@dataclass
class Group:
    """One row of the comparison: an ICB, or a place within the one ICB."""

    key: str
    name: str
    summary: figures.Summary
    icb: ICB | None = None


@dataclass
class Variation:
    by_place: bool
    """True when the network has one ICB, so its places are compared."""
    step: str
    groups: list[Group]
    months: list[figures.MonthWait]
    icb_summary: Group | None = None
    """In a one-ICB network, the ICB as a whole (with its population)."""

    @property
    def level(self) -> str:
        return "place" if self.by_place else "ICB"

    @property
    def populations(self) -> list[tuple[str, figures.Population]]:
        rows = [self.icb_summary] if self.icb_summary else self.groups
        return [(g.name, g.summary.population) for g in rows
                if g.summary.population is not None]


def variation(network: Network, *, step: str = "") -> Variation:
    """The figures for each of the network's ICBs (or, with one ICB, each of its
    places and the ICB as a whole), at `step` or across every step."""
    icbs = network_icbs(network)
    chosen = services_of(network, icbs, step)
    services = list(chosen.values_list("pk", "icb_id", "place", "self_referral"))
    latest = latest_activity(chosen)
    staff = latest_staff(chosen)
    people = populations(icbs)
    accepting = [pk for pk, _, _, yes in services if yes]

    def summary(ids: list[int], population: figures.Population | None
                ) -> figures.Summary:
        return figures.summarise(ids, latest, staff, population,
                                 self_referral=accepting)

    members: dict[Hashable, list[int]] = {}
    groups: list[Group] = []
    icb_summary = None
    if len(icbs) == 1:
        icb = icbs[0]
        for place in places_of_rows(services):
            members[place] = [pk for pk, _, p, _ in services
                              if (p or ICB_WIDE) == place]
            groups.append(Group(place, place, summary(members[place], None)))
        icb_summary = Group(icb.ods_code, icb.short_name,
                            summary([pk for pk, *_ in services], people.get(icb.pk)),
                            icb)
    else:
        for icb in icbs:
            members[icb.ods_code] = [pk for pk, icb_id, _, _ in services
                                     if icb_id == icb.pk]
            groups.append(Group(icb.ods_code, icb.short_name,
                                summary(members[icb.ods_code], people.get(icb.pk)),
                                icb))
    names: dict[Hashable, str] = {g.key: g.name for g in groups}
    months = [figures.MonthWait(names[m.group], m.month, m.services, m.median_wait)
              for m in figures.waits_by_month(members, wait_rows(chosen))]
    return Variation(len(icbs) == 1, step, groups, months, icb_summary)


def places_of_rows(services: list[tuple[int, int, str, bool]]) -> list[str]:
    """The places named, alphabetically, then services with none (whole ICB)."""
    named = sorted({p for _, _, p, _ in services if p}, key=str.casefold)
    return named + ([ICB_WIDE] if any(not p for _, _, p, _ in services) else [])
