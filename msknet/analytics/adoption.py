"""Adoption curves: how many sites were at each status, month by month.

Pure Python over a site's dated changes, so the innovations pages, the API
and anything else can count the same way:

    >>> from datetime import date
    >>> history = [
    ...     ("Trust A", "aware", date(2026, 1, 5)),
    ...     ("Trust A", "piloting", date(2026, 3, 2)),
    ...     ("Trust B", "exploring", date(2026, 2, 20)),
    ... ]
    >>> [(m.month.isoformat(), m.counts) for m in adoption_curve(history)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('2026-01-01', {'aware': 1}),
     ('2026-02-01', {'aware': 1, 'exploring': 1}),
     ('2026-03-01', {'exploring': 1, 'piloting': 1})]

A site counts from the month of its first change, at the status it had at the
end of each month (the last change on or before that day). A site that
stopped is counted as stopped from then on, never dropped.
"""

from __future__ import annotations

import calendar
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

#: One change: (site, status it moved to, the day it happened).
Change = tuple[Hashable, str, date]


@dataclass(frozen=True)
class MonthCounts:
    """The number of sites at each status at the end of one month."""

    month: date
    """The first day of the month."""
    counts: dict[str, int]
    """Status -> sites at it on the month's last day; statuses with none are left out."""

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def month_end(month: date) -> date:
    """The last day of `month`'s month."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months(first: date, last: date) -> list[date]:
    """The first day of each month from `first`'s to `last`'s, inclusive."""
    found = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        found.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def status_on(history: Iterable[Change], day: date) -> dict[Hashable, str]:
    """Each site's status at the end of `day`: its latest change on or before it.

    Changes on the same day are taken in the order given, the later winning;
    a site with no change yet is left out.
    """
    latest: dict[Hashable, tuple[date, int, str]] = {}
    for position, (site, status, on) in enumerate(history):
        if on > day:
            continue
        seen = latest.get(site)
        if seen is None or (on, position) >= seen[:2]:
            latest[site] = (on, position, status)
    return {site: value[2] for site, value in latest.items()}


def adoption_curve(history: Iterable[Change], *, until: date | None = None,
                   statuses: Sequence[str] = ()) -> list[MonthCounts]:
    """Sites at each status at the end of every month, from the first change's
    month to `until`'s (the last change's when not given).

    With `statuses`, every month carries each of them, zeros included, in
    that order (and any other status a site is at after them); otherwise
    only the statuses some site is at, alphabetically.
    """
    changes = list(history)
    if not changes:
        return []
    first = min(on for _, _, on in changes)
    last = until or max(on for _, _, on in changes)
    curve = []
    for month in months(first, max(first, last)):
        at = status_on(changes, month_end(month))
        counts: dict[str, int] = dict.fromkeys(statuses, 0)
        for status in at.values():
            counts[status] = counts.get(status, 0) + 1
        if not statuses:
            counts = {status: n for status, n in sorted(counts.items()) if n}
        curve.append(MonthCounts(month, counts))
    return curve
