"""Reads for innovation screening: who scores, the ranking with spread, the
scorecards, and the screening section of an innovation's page.

The maths is `msknet.analytics.prioritisation`'s, as for nomination rounds:
each panellist's weighted mean over the criteria, an innovation's mean over
panellists with the lowest and highest, ranked with ties sharing a rank.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from msknet.analytics import prioritisation
from msknet.members.models import Membership, Network, Role, User
from msknet.members.permissions import Permission, has_permission

from .models import (
    DECISION_STAGES,
    Criterion,
    Innovation,
    Score,
    Scorecard,
    ScreeningPanel,
    Stage,
)


def panel_of(network: Network) -> ScreeningPanel:
    """The network's screening, or an unsaved default one if not set up yet."""
    return (ScreeningPanel.objects.filter(network=network).first()
            or ScreeningPanel(network=network))


def criteria(network: Network) -> QuerySet[Criterion]:
    return network.innovation_criteria.all()


def is_named(panel: ScreeningPanel) -> bool:
    """Whether a panel is named (else the steering group and leads score)."""
    return panel.pk is not None and panel.panel.exists()


def scorers(network: Network, panel: ScreeningPanel | None = None, *,
            named: bool | None = None) -> QuerySet[User]:
    """Who scores: the named panel, or the steering group and leads."""
    panel = panel if panel is not None else panel_of(network)
    if named if named is not None else is_named(panel):
        named = panel.panel.filter(memberships__network=network)
    else:
        named = User.objects.filter(
            memberships__network=network,
            memberships__role__in=[Role.STEERING, Role.LEAD],
        )
    active = Membership.objects.for_network(network).active()
    return named.filter(pk__in=active.values("user_id")).distinct().order_by(
        "full_name", "pk")


def in_screening(network: Network) -> QuerySet[Innovation]:
    return (Innovation.objects.for_network(network).reviewed()
            .filter(stage=Stage.SCREENING).select_related("network").order_by("name"))


def weighted_scores(innovations: Iterable[int], network: Network
                    ) -> dict[int, dict[int, float]]:
    """{innovation id: {panellist id: weighted score}}, in two queries."""
    weights = {c.pk: float(c.weight) for c in criteria(network)}
    by_card: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
    rows = Score.objects.filter(scorecard__innovation_id__in=list(innovations)
                                ).values_list("scorecard__innovation_id",
                                              "scorecard__panellist_id",
                                              "criterion_id", "value")
    for innovation_id, panellist_id, criterion_id, value in rows:
        by_card[(innovation_id, panellist_id)][criterion_id] = value
    result: dict[int, dict[int, float]] = defaultdict(dict)
    for (innovation_id, panellist_id), scores in by_card.items():
        result[innovation_id][panellist_id] = prioritisation.weighted_score(
            scores, weights)
    return result


def standard_deviation(values: list[float]) -> float | None:
    """The sample standard deviation of panellists' weighted scores (two or more)."""
    return statistics.stdev(values) if len(values) > 1 else None


@dataclass
class Row:
    """One innovation in screening, as the reader may see it."""

    innovation: Innovation
    result: prioritisation.Result[int]
    visible: bool  # may the reader see its scores yet?
    scored_by_me: bool
    scored: int  # how many panellists have scored it (shown to everyone)
    sd: float | None = None

    @property
    def may_see_scores(self) -> bool:
        return self.visible and self.scored > 0


def ranking(network: Network, user: Any) -> list[Row]:
    """The innovations in screening ranked by weighted score, as `user` may see.

    Those whose scores the reader may not see yet (`see_innovation_scores` in
    the permission gate: in screening, only once they have scored it) are
    left out of the ranking and listed after it, unscored, so nothing hidden
    leaks through a rank. The rule is applied here to all the rows at once,
    from the reader's own scorecards, so the page costs the same at any size.
    """
    innovations = {i.pk: i for i in in_screening(network)}
    weighted = weighted_scores(innovations, network)
    mine = set(Scorecard.objects.filter(
        innovation_id__in=list(innovations), panellist_id=getattr(user, "pk", None)
    ).values_list("innovation_id", flat=True))
    visible = {pk: pk in mine for pk in innovations}
    summaries = [
        prioritisation.summarise(pk, list(weighted.get(pk, {}).values()))
        if visible[pk] else prioritisation.summarise(pk, [])
        for pk in innovations
    ]
    return [
        Row(innovations[r.key], r, visible[r.key], r.key in mine,
            len(weighted.get(r.key, {})),
            standard_deviation(list(weighted.get(r.key, {}).values()))
            if visible[r.key] else None)
        for r in prioritisation.rank(summaries)
    ]


@dataclass
class Card:
    """One panellist's scores for an innovation, with their weighted score."""

    panellist: User
    weighted: float
    scores: list[Score]


@dataclass
class Scorecards:
    cards: list[Card]
    summary: prioritisation.Result[int]
    sd: float | None
    criteria: list[Criterion]


def scorecards(innovation: Innovation) -> Scorecards:
    """Everyone's scores and comments for an innovation, and their summary."""
    listed = list(criteria(innovation.network))
    weights = {c.pk: float(c.weight) for c in listed}
    cards = []
    for card in (innovation.scorecards.select_related("panellist")
                 .prefetch_related("scores__criterion")
                 .order_by("panellist__full_name", "pk")):
        scores = list(card.scores.all())
        cards.append(Card(card.panellist, prioritisation.weighted_score(
            {s.criterion_id: s.value for s in scores}, weights), scores))
    values = [card.weighted for card in cards]
    return Scorecards(cards, prioritisation.summarise(innovation.pk, values),
                      standard_deviation(values), listed)


@dataclass
class State:
    """The screening section of an innovation's page."""

    scored: int
    of: int
    scored_by_me: bool
    may_score: bool
    may_see_scores: bool
    may_decide: bool


def state(innovation: Innovation, user: Any) -> State:
    network = innovation.network
    mine = getattr(user, "is_authenticated", False) and innovation.scorecards.filter(
        panellist_id=user.pk).exists()
    in_screening = innovation.stage == Stage.SCREENING
    return State(
        scored=innovation.scorecards.count(),
        of=scorers(network).count(),
        scored_by_me=bool(mine),
        may_score=in_screening and has_permission(
            user, Permission.SCORE_INNOVATIONS, network, innovation),
        may_see_scores=(in_screening or innovation.stage in DECISION_STAGES)
        and has_permission(user, Permission.SEE_INNOVATION_SCORES, network,
                           innovation),
        may_decide=in_screening and has_permission(
            user, Permission.DECIDE_INNOVATIONS, network),
    )
