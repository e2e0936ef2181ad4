"""Reads for adoption and spread: sites, their histories, the curve, the
spread matrix and the counts by ICB the map shades."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse

from msknet.analytics.adoption import MonthCounts, adoption_curve
from msknet.improvement import figures
from msknet.improvement.models import DataPoint, Measure
from msknet.members.models import ICB, Network, Organisation, User

from .models import (
    IN_USE,
    SITE_TYPES,
    Adoption,
    AdoptionChange,
    AdoptionStatus,
    Innovation,
    Stage,
)

#: The statuses in the order the pages, curve and map list them.
STATUSES = list(AdoptionStatus)
#: The statuses the map's table counts, one column each.
MAP_STATUSES = [s for s in AdoptionStatus if s != AdoptionStatus.NOT_STARTED]


def eligible_sites(network: Network) -> QuerySet[Organisation]:
    """Organisations that may be a site: a site type, in one of the network's ICBs."""
    return (Organisation.objects.filter(type__in=SITE_TYPES,
                                        icb__in=network.icbs.all())
            .select_related("icb").order_by("icb__name", "name"))


def site_of(user: Any, network: Network) -> Organisation | None:
    """The user's own organisation in the network, if it is an eligible site."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = (network.memberships.active().filter(user=user)
                  .select_related("organisation").first())
    if membership is None or membership.organisation_id is None:
        return None
    return eligible_sites(network).filter(pk=membership.organisation_id).first()


def contact_choices(network: Network) -> QuerySet[User]:
    """Who may be named a site's contact: the network's current members."""
    return User.objects.filter(
        pk__in=network.memberships.active().values("user_id")
    ).order_by("full_name", "pk")


def adoptions_of(innovation: Innovation, *, order: str = "icb") -> list[Adoption]:
    """Every site's adoption of the innovation, grouped by ICB then site name,
    or by status along the path (`order="status"`), or latest first (`"date"`)."""
    found = list(Adoption.objects.filter(innovation=innovation)
                 .select_related("site__icb", "project"))
    if order == "status":
        found.sort(key=lambda a: (STATUSES.index(a.status), a.site.name))
    elif order == "date":
        found.sort(key=lambda a: (a.status_on, a.site.name), reverse=True)
    else:
        found.sort(key=lambda a: (a.site.icb.short_name if a.site.icb else "",
                                  a.site.name))
    return found


def history(adoption: Adoption) -> QuerySet[AdoptionChange]:
    """The site's changes, oldest first, with who recorded each."""
    return adoption.changes.select_related("by").order_by("on", "at", "pk")


def last_change(adoption: Adoption) -> AdoptionChange | None:
    return adoption.changes.order_by("-on", "-at", "-pk").first()


def curve(innovation: Innovation, *, until: dt.date) -> list[MonthCounts]:
    """Sites at each status at the end of each month, from the first record."""
    changes = (AdoptionChange.objects.filter(adoption__innovation=innovation)
               .order_by("on", "at", "pk")
               .values_list("adoption__site_id", "status_to", "on"))
    return adoption_curve(list(changes), until=until, statuses=STATUSES)


def status_counts(innovation: Innovation) -> list[tuple[AdoptionStatus, int]]:
    """How many sites are at each status now, along the path, leaving out none."""
    counts = Counter(Adoption.objects.filter(innovation=innovation)
                     .values_list("status", flat=True))
    return [(status, counts[status]) for status in STATUSES if counts[status]]


# The spread matrix.


def matrix_innovations(network: Network, *, show: str = "recommended", kind: str = "",
                       priority: Any = None) -> QuerySet[Innovation]:
    """The matrix's columns: recommended innovations, or every reviewed one."""
    found = Innovation.objects.for_network(network).reviewed()
    if show != "all":
        found = found.filter(stage=Stage.RECOMMENDED)
    if kind:
        found = found.filter(kind=kind)
    if priority is not None:
        found = found.filter(serves=priority)
    return found.order_by("name")


@dataclass
class MatrixRow:
    site: Organisation
    cells: list[Adoption | None]


@dataclass
class MatrixGroup:
    icb: ICB | None
    rows: list[MatrixRow] = field(default_factory=list)


@dataclass
class Matrix:
    innovations: list[Innovation]
    groups: list[MatrixGroup]

    @property
    def rows(self) -> list[MatrixRow]:
        return [row for group in self.groups for row in group.rows]


def matrix(network: Network, *, show: str = "recommended", kind: str = "",
           priority: Any = None, icb: ICB | None = None) -> Matrix:
    """Sites with a record for any of the innovations (rows, grouped by ICB) ×
    the innovations (columns); each cell the site's adoption, or None.

    A large network has tens of thousands of cells: the adoptions are read
    with only the columns a cell shows and each site once, not once per cell,
    and each cell carries its link so the page builds no URL per cell.
    """
    innovations = list(matrix_innovations(network, show=show, kind=kind,
                                          priority=priority))
    adoptions = Adoption.objects.filter(innovation__in=innovations,
                                        site__icb__in=network.icbs.all())
    if icb is not None:
        adoptions = adoptions.filter(site__icb=icb)
    prefix = reverse("innovation-list", args=[network.slug])
    by_site: dict[int, dict[int, Adoption]] = {}
    for adoption in adoptions.only("id", "innovation_id", "site_id", "status",
                                   "status_on"):
        adoption.url = f"{prefix}{adoption.innovation_id}/adoption/{adoption.pk}/"
        by_site.setdefault(adoption.site_id, {})[adoption.innovation_id] = adoption
    sites = Organisation.objects.filter(pk__in=by_site).select_related("icb")
    groups: dict[int | None, MatrixGroup] = {}
    ordered = sorted(sites, key=lambda s: (s.icb.short_name if s.icb else "", s.name))
    for site in ordered:
        group = groups.setdefault(site.icb_id, MatrixGroup(site.icb))
        cells = by_site[site.pk]
        group.rows.append(MatrixRow(site, [cells.get(i.pk) for i in innovations]))
    return Matrix(innovations, list(groups.values()))


# The map.


@dataclass
class IcbCounts:
    icb: ICB
    counts: dict[str, int]

    @property
    def in_use(self) -> int:
        return sum(self.counts.get(status, 0) for status in IN_USE)


def map_counts(network: Network, innovation: Innovation | None = None
               ) -> list[IcbCounts]:
    """For each of the network's ICBs, its sites at each status for the
    innovation, or for every recommended one (a site counting once for each
    innovation it has a record for)."""
    adoptions = Adoption.objects.filter(innovation__network=network)
    if innovation is not None:
        adoptions = adoptions.filter(innovation=innovation)
    else:
        adoptions = adoptions.filter(
            innovation__in=Innovation.objects.for_network(network).public())
    counts: dict[int, Counter[str]] = {}
    for icb_id, status, n in (adoptions.values_list("site__icb_id", "status")
                              .annotate(n=Count("id")).order_by()):
        counts.setdefault(icb_id, Counter())[status] += n
    return [IcbCounts(icb, dict(counts.get(icb.pk, Counter())))
            for icb in network.icbs.order_by("name")]


# Spread projects' measures, for the innovation's page.


@dataclass
class SiteMeasures:
    adoption: Adoption
    measures: list[tuple[Measure, figures.Icons | None, int]]


def spread_measures(innovation: Innovation) -> list[SiteMeasures]:
    """Each site with a spread project: its measures' latest Making Data Count
    icons, worked out as the improvement board does."""
    points = Prefetch("points", queryset=DataPoint.objects.filter(
        quintile__isnull=True))
    measures = Prefetch("project__measures", queryset=Measure.objects.prefetch_related(
        points, "rebases"))
    found = []
    for adoption in (Adoption.objects.filter(innovation=innovation,
                                             project__isnull=False)
                     .select_related("site", "project").prefetch_related(measures)
                     .order_by("site__name")):
        row = SiteMeasures(adoption, [])
        for measure in adoption.project.measures.all():
            pts = sorted(measure.points.all(), key=lambda p: p.period)
            chart = figures.xmr(measure, pts, list(measure.rebases.all()))
            row.measures.append((measure, figures.icons(chart) if chart else None,
                                 len(pts)))
        found.append(row)
    return found
