"""The MSK landscape in figures: gaps in the pathway, each service's latest
figures and the summaries that compare ICBs (or an ICB's places).

Pure Python over plain rows, so the pages, the API and anything else count
the same way (the method is `docs/methods/landscape-variation.md`):

    >>> from datetime import date
    >>> gaps(["fcp", "fcp", "orthopaedics"], ["self_management", "fcp", "orthopaedics"])
    ['self_management']
    >>> rows = [Activity(1, date(2026, 1, 1), 100, 6, 12),
    ...         Activity(1, date(2026, 2, 1), 90, 8, 15),
    ...         Activity(2, date(2026, 2, 1), 30, 20, 40)]
    >>> summary = summarise([1, 2], latest_activity(rows), {}, None)
    >>> summary.median_wait, summary.weighted_wait, summary.latest_period
    (14.0, 11.0, datetime.date(2026, 2, 1))
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

#: Rates are given per this many residents.
PER = 100_000


@dataclass(frozen=True)
class Activity:
    """One service's referrals and waits over one period."""

    service: Hashable
    period_start: date
    referrals: float | None
    median_wait: float | None
    p90_wait: float | None


@dataclass(frozen=True)
class Staff:
    """One service's staff in one profession on one date."""

    service: Hashable
    as_of: date
    wte: float
    vacancies: float


@dataclass(frozen=True)
class Workforce:
    """A service's staff on its latest date, summed over professions."""

    as_of: date
    wte: float
    vacancies: float


@dataclass(frozen=True)
class Population:
    """An area's resident population in one year."""

    persons: int
    year: int
    source: str = ""


def gaps(steps_with_services: Iterable[str], pathway: Sequence[str]) -> list[str]:
    """The steps of `pathway`, in order, with no service at them."""
    covered = set(steps_with_services)
    return [step for step in pathway if step not in covered]


def latest_activity(rows: Iterable[Activity]) -> dict[Hashable, Activity]:
    """Each service's latest period with a median wait recorded.

    A period with only referrals (no wait) never hides an earlier wait; a
    service with no wait at all is left out.
    """
    latest: dict[Hashable, Activity] = {}
    for row in rows:
        if row.median_wait is None:
            continue
        seen = latest.get(row.service)
        if seen is None or row.period_start > seen.period_start:
            latest[row.service] = row
    return latest


def latest_workforce(rows: Iterable[Staff]) -> dict[Hashable, Workforce]:
    """Each service's staff on its latest date, every profession counted that
    day added together (a profession recorded only earlier is not carried on)."""
    by_date: dict[Hashable, dict[date, list[Staff]]] = defaultdict(
        lambda: defaultdict(list))
    for row in rows:
        by_date[row.service][row.as_of].append(row)
    found = {}
    for service, dates in by_date.items():
        day = max(dates)
        found[service] = Workforce(day, sum(r.wte for r in dates[day]),
                                   sum(r.vacancies for r in dates[day]))
    return found


def median(values: Iterable[float]) -> float | None:
    """The median, or None of nothing."""
    found = list(values)
    return float(statistics.median(found)) if found else None


def weighted_mean(pairs: Iterable[tuple[float, float | None]]) -> float | None:
    """The mean of values weighted by their weights, over the pairs whose
    weight is known and above zero; None when none is."""
    weighted = [(value, weight) for value, weight in pairs
                if weight is not None and weight > 0]
    total = sum(weight for _, weight in weighted)
    if not total:
        return None
    return sum(value * weight for value, weight in weighted) / total


def per_100k(count: float | None, population: Population | None) -> float | None:
    """`count` per 100,000 residents; None with no population (never a guess)."""
    if count is None or population is None or population.persons <= 0:
        return None
    return count * PER / population.persons


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` as a percentage; None of nothing."""
    return 100 * part / whole if whole else None


@dataclass(frozen=True)
class Summary:
    """One ICB's (or place's) figures over its services."""

    services: int
    """Active services counted."""
    with_waits: int
    """Of them, those with a median wait recorded."""
    median_wait: float | None
    """The median of the services' latest median waits, in weeks."""
    weighted_wait: float | None
    """The mean of the services' latest median waits weighted by their referrals."""
    p90_wait: float | None
    """The median of the services' latest 90th-percentile waits, in weeks."""
    latest_period: date | None
    """The most recent period among the waits counted."""
    earliest_period: date | None
    """The oldest period among the waits counted."""
    self_referral: int
    """Services accepting self-referral."""
    with_workforce: int
    """Services with workforce recorded."""
    wte: float | None
    vacancies: float | None
    population: Population | None

    @property
    def self_referral_share(self) -> float | None:
        return share(self.self_referral, self.services)

    @property
    def vacancy_rate(self) -> float | None:
        """Vacant posts as a percentage of established posts (in post + vacant)."""
        if self.wte is None or self.vacancies is None:
            return None
        return share_float(self.vacancies, self.wte + self.vacancies)

    @property
    def wte_per_100k(self) -> float | None:
        return per_100k(self.wte, self.population)

    @property
    def vacancies_per_100k(self) -> float | None:
        return per_100k(self.vacancies, self.population)


def share_float(part: float, whole: float) -> float | None:
    return 100 * part / whole if whole else None


def summarise(services: Iterable[Hashable], activity: Mapping[Hashable, Activity],
              workforce: Mapping[Hashable, Workforce], population: Population | None,
              *, self_referral: Iterable[Hashable] = ()) -> Summary:
    """The figures over `services`, from each one's latest activity and
    workforce (`latest_activity`, `latest_workforce`); `self_referral` names
    those accepting self-referral."""
    ids = list(dict.fromkeys(services))
    waits = [activity[s] for s in ids if s in activity]
    staff = [workforce[s] for s in ids if s in workforce]
    accepting = set(self_referral)
    periods = [w.period_start for w in waits]
    return Summary(
        services=len(ids),
        with_waits=len(waits),
        median_wait=median(w.median_wait for w in waits if w.median_wait is not None),
        weighted_wait=weighted_mean((w.median_wait, w.referrals) for w in waits
                                    if w.median_wait is not None),
        p90_wait=median(w.p90_wait for w in waits if w.p90_wait is not None),
        latest_period=max(periods) if periods else None,
        earliest_period=min(periods) if periods else None,
        self_referral=sum(1 for s in ids if s in accepting),
        with_workforce=len(staff),
        wte=sum(s.wte for s in staff) if staff else None,
        vacancies=sum(s.vacancies for s in staff) if staff else None,
        population=population,
    )


@dataclass(frozen=True)
class MonthWait:
    """One group's waits in one month."""

    group: Hashable
    month: date
    services: int
    median_wait: float


def waits_by_month(groups: Mapping[Hashable, Iterable[Hashable]],
                   rows: Iterable[Activity]) -> list[MonthWait]:
    """For each group (an ICB or place: its services) and each month any of
    its services has a median wait for, the median of those services' median
    waits; by group (in the order given), then month."""
    service_group: dict[Hashable, list[Hashable]] = defaultdict(list)
    for group, services in groups.items():
        for service in services:
            service_group[service].append(group)
    waits: dict[tuple[Hashable, date], list[float]] = defaultdict(list)
    for row in rows:
        if row.median_wait is None:
            continue
        month = row.period_start.replace(day=1)
        for group in service_group.get(row.service, []):
            waits[group, month].append(row.median_wait)
    order = {group: i for i, group in enumerate(groups)}
    return [MonthWait(group, month, len(values), float(statistics.median(values)))
            for (group, month), values in sorted(
                waits.items(), key=lambda item: (order[item[0][0]], item[0][1]))]
