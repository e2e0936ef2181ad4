"""Reads for nomination rounds: the ranking, the portfolio, each member's supports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from msknet.analytics import prioritisation
from msknet.members.permissions import Permission, has_permission

from .models import Criterion, Decision, Nomination, Round, Score, Support


def nominations(round: Round) -> QuerySet[Nomination]:
    """The round's nominations with what their lists show, by title."""
    return (
        round.nominations.select_related("topic", "nominated_by", "round__network")
        .prefetch_related("icbs")
        .annotate(support_count=Count("supports", distinct=True))
        .order_by("title")
    )


def selected_nominations(network: Any = None) -> QuerySet[Nomination]:
    """Nominations a lead selected, newest round first (for starting projects)."""
    selected = Nomination.objects.selected().select_related("round__network", "topic")
    if network is not None:
        selected = selected.filter(round__network=network)
    return selected.prefetch_related("icbs").order_by("-round__opens_on", "title")


def supported_by(round: Round, user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Support.objects.filter(nomination__round=round, user=user).values_list(
            "nomination_id", flat=True
        )
    )


def panellist_weighted_scores(round: Round) -> dict[int, dict[int, float]]:
    """{nomination id: {panellist id: weighted score}} for the round."""
    weights = {c.pk: float(c.weight) for c in Criterion.objects.filter(round=round)}
    by_card: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
    rows = Score.objects.filter(scorecard__nomination__round=round).values_list(
        "scorecard__nomination_id", "scorecard__panellist_id", "criterion_id", "value"
    )
    for nomination_id, panellist_id, criterion_id, value in rows:
        by_card[(nomination_id, panellist_id)][criterion_id] = value
    result: dict[int, dict[int, float]] = defaultdict(dict)
    for (nomination_id, panellist_id), scores in by_card.items():
        result[nomination_id][panellist_id] = prioritisation.weighted_score(
            scores, weights
        )
    return result


@dataclass
class Row:
    """One line of the results table."""

    nomination: Nomination
    result: prioritisation.Result[int]
    visible: bool  # may the reader see this nomination's scores yet?

    @property
    def supports(self) -> int:
        return int(getattr(self.nomination, "support_count", 0))


def results(round: Round, user: Any) -> list[Row]:
    """The round's ranking by weighted score, as `user` may see it.

    Nominations whose scores the reader may not yet see (see
    `see_nomination_scores` in the permission gate) are left out of the
    ranking and listed after it, unscored, so that nothing hidden leaks
    through a rank.
    """
    noms = {n.pk: n for n in nominations(round)}
    weighted = panellist_weighted_scores(round)
    visible = {
        pk: has_permission(user, Permission.SEE_NOMINATION_SCORES, round.network, n)
        for pk, n in noms.items()
    }
    summaries = [
        prioritisation.summarise(pk, list(weighted.get(pk, {}).values()))
        if visible[pk]
        else prioritisation.summarise(pk, [])
        for pk in noms
    ]
    ranked = prioritisation.rank(summaries)
    return [Row(noms[r.key], r, visible[r.key]) for r in ranked]


@dataclass
class PortfolioView:
    proposed: list[tuple[str, Row | None]]
    icb_counts: list[tuple[str, int]]
    topic_counts: list[tuple[str, int]]
    selected: list[Nomination]
    selected_icb_counts: list[tuple[str, int]]
    selected_topic_counts: list[tuple[str, int]]


def _counts(noms: list[Nomination]) -> tuple[list[tuple[str, int]],
                                              list[tuple[str, int]]]:
    icbs: dict[str, int] = defaultdict(int)
    topics: dict[str, int] = defaultdict(int)
    for n in noms:
        for icb in n.icbs.all():
            icbs[icb.short_name] += 1
        topics[n.topic.name if n.topic else "No topic"] += 1
    return sorted(icbs.items()), sorted(topics.items())


def portfolio(round: Round, user: Any) -> PortfolioView:
    """The best-ranked long, medium and short-term nominations the reader can
    see, their balance across ICBs and topics, and what the lead selected."""
    rows = results(round, user)
    by_pk = {row.nomination.pk: row for row in rows}
    proposal = prioritisation.propose_portfolio(
        [row.result for row in rows],
        terms={row.nomination.pk: row.nomination.term for row in rows},
        icbs={row.nomination.pk: [i.short_name for i in row.nomination.icbs.all()]
              for row in rows},
        topics={row.nomination.pk: row.nomination.topic.name
                if row.nomination.topic else None for row in rows},
    )
    proposed_rows = [
        (term, by_pk[key] if key is not None else None)
        for term, key in proposal.proposed.items()
    ]
    icbs = sorted(proposal.icb_counts.items())
    topics = sorted((name or "No topic", n) for name, n in proposal.topic_counts.items())
    selected = [row.nomination for row in rows
                if row.nomination.decision == Decision.SELECTED]
    selected_icbs, selected_topics = _counts(selected)
    return PortfolioView(proposed_rows, icbs, topics, selected, selected_icbs,
                         selected_topics)


def scorecards_for(nomination: Nomination) -> QuerySet[Any]:
    return nomination.scorecards.select_related("panellist").prefetch_related(
        "scores__criterion"
    ).order_by("panellist__full_name")
