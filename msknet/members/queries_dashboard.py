"""Aggregate figures for the network dashboard, counted in the database.

Members are the network's current members (active, not erased accounts),
whether or not they are listed in the directory: these are counts for the
steering group, not details about anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from msknet.core.charts import month_range

from .models import ICB, JoinRequest, Membership, Network, Sector

NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class Share:
    count: int
    total: int

    @property
    def percent(self) -> float | None:
        return 100 * self.count / self.total if self.total else None


@dataclass(frozen=True)
class MonthGrowth:
    month: date
    joined: int
    total: int


def current_members(network: Network) -> QuerySet[Membership]:
    # order_by() clears the default ordering, which would split the groups.
    return Membership.objects.for_network(network).active().order_by()


def members_by_sector(network: Network) -> list[tuple[str, int]]:
    """(sector label, members) for every sector, in the sectors' order."""
    counts = dict(
        current_members(network).values_list("sector").annotate(n=Count("pk"))
    )
    return [(label, counts.get(value, 0)) for value, label in Sector.choices]


def members_by_icb(network: Network) -> list[tuple[str, int]]:
    """(ICB short name, members): the network's ICBs and any other with
    members, most members first, then members who gave no ICB."""
    counts = dict(current_members(network).values_list("icb").annotate(n=Count("pk")))
    not_given = counts.pop(None, 0)
    icbs = ICB.objects.filter(Q(pk__in=counts) | Q(pk__in=network.icbs.values("pk")))
    rows = sorted(
        ((icb.short_name, counts.get(icb.pk, 0)) for icb in icbs),
        key=lambda row: (-row[1], row[0]),
    )
    if not_given:
        rows.append((NOT_GIVEN, not_given))
    return rows


def lived_experience_share(network: Network) -> Share:
    figures = current_members(network).aggregate(
        total=Count("pk"),
        lived=Count("pk", filter=Q(sector=Sector.LIVED_EXPERIENCE)),
    )
    return Share(count=figures["lived"], total=figures["total"])


def growth_by_month(
    network: Network, *, until: date | None = None
) -> list[MonthGrowth]:
    """Members who joined each month and the running total, from the first
    month anyone joined to this month, counting today's members only.

    Totals are counted against month boundaries (local time) in one query,
    rather than by truncating every row's date, which SQLite does slowly.
    """
    members = current_members(network)
    span = members.aggregate(first=Min("joined_at"), last=Max("joined_at"))
    if span["first"] is None:
        return []
    last = max(until or timezone.localdate(), timezone.localdate(span["last"]))
    months = month_range(timezone.localdate(span["first"]), last)
    ends = [*months[1:], next_month(months[-1])]
    totals = members.aggregate(
        **{
            f"by_{end:%Y_%m}": Count("pk", filter=Q(joined_at__lt=start_of(end)))
            for end in ends
        }
    )
    growth = []
    previous = 0
    for month, end in zip(months, ends, strict=True):
        total = totals[f"by_{end:%Y_%m}"]
        growth.append(MonthGrowth(month=month, joined=total - previous, total=total))
        previous = total
    return growth


def next_month(month: date) -> date:
    return month_range(month, month + timedelta(days=31))[1]


def start_of(day: date) -> datetime:
    """Midnight at the start of `day`, local time."""
    return timezone.make_aware(datetime.combine(day, time.min))


def pending_join_requests(network: Network) -> int:
    return network.join_requests.filter(status=JoinRequest.Status.PENDING).count()


def open_invitations(network: Network) -> int:
    return network.invitations.open().count()
