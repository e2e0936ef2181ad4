"""Reads for strategic priorities: the list grouped by source, and coverage."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from msknet.improvement.models import QIProject
from msknet.improvement.queries import BoardRow, board
from msknet.innovations.models import Innovation, Stage
from msknet.members.models import Network

from .models import Nomination, Source, StrategicPriority


@dataclass
class Group:
    heading: str
    source: str
    priorities: list[StrategicPriority] = field(default_factory=list)


def grouped(network: Network, *, retired: bool = False) -> list[Group]:
    """The network's active (or retired) priorities: national first, then each
    ICB's, then the network's own objectives, each in the leads' order."""
    queryset = StrategicPriority.objects.for_network(network).select_related(
        "icb", "network"
    ).order_by("position", "pk")
    queryset = queryset.retired() if retired else queryset.active()
    national = Group("National priorities", Source.NATIONAL)
    objectives = Group("The network's own objectives", Source.NETWORK)
    icbs: dict[int, Group] = {}
    for icb in network.icbs.order_by("name"):
        icbs[icb.pk] = Group(f"{icb.short_name} priorities", Source.ICB)
    for priority in queryset:
        if priority.source == Source.NATIONAL:
            national.priorities.append(priority)
        elif priority.source == Source.NETWORK:
            objectives.priorities.append(priority)
        else:
            assert priority.icb is not None
            icbs.setdefault(priority.icb_id, Group(
                f"{priority.icb.short_name} priorities", Source.ICB
            )).priorities.append(priority)
    groups = [national, *icbs.values(), objectives]
    if retired:
        return [group for group in groups if group.priorities]
    return groups


@dataclass
class StageGroup:
    """The innovations serving a priority that are at one stage of triage."""

    stage: Stage
    innovations: list[Innovation]

    @property
    def label(self) -> str:
        return self.stage.label


@dataclass
class Coverage:
    """What serves one active priority: nominations, QI projects and
    innovations (never a public-form proposal no lead has reviewed)."""

    priority: StrategicPriority
    nominations: list[Nomination] = field(default_factory=list)
    projects: list[BoardRow] = field(default_factory=list)
    innovations: list[Innovation] = field(default_factory=list)

    @property
    def served(self) -> bool:
        return bool(self.nominations or self.projects or self.innovations)

    @property
    def innovations_by_stage(self) -> list[StageGroup]:
        """The innovations grouped by stage, in the order triage runs."""
        return [
            StageGroup(stage, found) for stage in Stage
            if (found := [i for i in self.innovations if i.stage == stage])
        ]


def coverage(network: Network) -> list[Coverage]:
    """Each active priority in list order, with the nominations, QI projects
    and innovations that serve it; projects carry their measures' SPC icons."""
    rows = {row.project.pk: row for row in board(network)}
    priorities = (
        StrategicPriority.objects.for_network(network).active()
        .select_related("icb", "network")
        .prefetch_related(
            Prefetch("nominations", queryset=Nomination.objects.select_related(
                "round__network").order_by("round__opens_on", "title")),
            Prefetch("qi_projects", queryset=QIProject.objects.order_by("title")),
            Prefetch("innovations", queryset=Innovation.objects.reviewed()
                     .select_related("network").order_by("name")),
        )
    )
    by_pk = {priority.pk: priority for priority in priorities}
    found = []
    for group in grouped(network):
        for listed in group.priorities:
            priority = by_pk[listed.pk]
            found.append(Coverage(
                priority,
                nominations=list(priority.nominations.all()),
                projects=[rows[p.pk] for p in priority.qi_projects.all()
                          if p.pk in rows],
                innovations=list(priority.innovations.all()),
            ))
    return found


#: Innovations that count: all but public-form proposals no lead has reviewed.
REVIEWED = ~Q(innovations__via_public_form=True, innovations__reviewed_at__isnull=True)


def linked_counts(network: Network) -> dict[int, int]:
    """How many nominations, projects and innovations each of the network's
    priorities serves."""
    counted = StrategicPriority.objects.for_network(network).annotate(
        n=Count("nominations", distinct=True), p=Count("qi_projects", distinct=True),
        i=Count("innovations", filter=REVIEWED, distinct=True),
    ).values_list("pk", "n", "p", "i")
    return {pk: n + p + i for pk, n, p, i in counted}
