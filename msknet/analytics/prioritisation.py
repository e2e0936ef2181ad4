"""Screening maths for nomination rounds: weighted scores, spread, ranking, portfolio.

Each panellist scores a nomination on every criterion of the round. Their
*weighted score* is the weighted mean of their criterion scores,
``sum(weight * score) / sum(weight)``, so it stays on the round's scale. A
nomination's score is the mean of its panellists' weighted scores (each
panellist counts once), and its *spread* is the lowest and highest panellist's
weighted score with the number of panellists. Nominations are ranked by score,
highest first; equal scores share a rank ("1, 2, 2, 4"), and nominations nobody
has scored are listed last, unranked. Supports are never part of the score.

The *portfolio* proposes the best-ranked nomination of each term (long, medium,
short), and counts how the proposal spreads across ICBs and topics.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

TERMS = ("long", "medium", "short")


def weighted_score(scores: Mapping[K, float], weights: Mapping[K, float]) -> float:
    """One panellist's weighted mean over the criteria they scored.

    Raises ValueError for a score on a criterion without a weight, or when the
    weights of the scored criteria do not add up to more than zero.
    """
    missing = [key for key in scores if key not in weights]
    if missing:
        raise ValueError(f"No weight for criteria {missing!r}")
    total_weight = sum(float(weights[key]) for key in scores)
    if total_weight <= 0:
        raise ValueError(
            "The weights of the scored criteria must add up to more than 0"
        )
    return sum(float(weights[key]) * float(value) for key, value in scores.items()) / (
        total_weight
    )


@dataclass(frozen=True)
class Result(Generic[K]):
    """A nomination's standing: mean of panellists' weighted scores and spread."""

    key: K
    score: float | None
    low: float | None
    high: float | None
    panellists: int
    rank: int | None = None

    @property
    def spread(self) -> float | None:
        if self.low is None or self.high is None:
            return None
        return self.high - self.low


def summarise(key: K, panellist_scores: Sequence[float]) -> Result[K]:
    """Combine the panellists' weighted scores for one nomination."""
    if not panellist_scores:
        return Result(key=key, score=None, low=None, high=None, panellists=0)
    return Result(
        key=key,
        score=sum(panellist_scores) / len(panellist_scores),
        low=min(panellist_scores),
        high=max(panellist_scores),
        panellists=len(panellist_scores),
    )


def rank(results: Iterable[Result[K]], *, places: int = 6) -> list[Result[K]]:
    """Highest score first; equal scores (to `places` decimals) share a rank.

    Unscored nominations follow, unranked, in the order given.
    """
    items = list(results)
    scored = [r for r in items if r.score is not None]
    unscored = [r for r in items if r.score is None]
    scored.sort(key=lambda r: -round(r.score or 0.0, places))
    ranked: list[Result[K]] = []
    previous: float | None = None
    current_rank = 0
    for position, result in enumerate(scored, start=1):
        value = round(result.score or 0.0, places)
        if value != previous:
            current_rank, previous = position, value
        ranked.append(
            Result(
                key=result.key,
                score=result.score,
                low=result.low,
                high=result.high,
                panellists=result.panellists,
                rank=current_rank,
            )
        )
    return ranked + unscored


@dataclass(frozen=True)
class Portfolio(Generic[K]):
    """The best-ranked nomination per term, and the proposal's balance."""

    proposed: dict[str, K | None]
    icb_counts: Counter[str] = field(default_factory=Counter)
    topic_counts: Counter[str] = field(default_factory=Counter)


def propose_portfolio(
    ranked: Sequence[Result[K]],
    terms: Mapping[K, str],
    icbs: Mapping[K, Sequence[str]] | None = None,
    topics: Mapping[K, str | None] | None = None,
) -> Portfolio[K]:
    """The best-ranked scored nomination of each term in `TERMS`.

    `ranked` comes from `rank`; a term with no scored nomination proposes
    None. ICB and topic counts are over the proposed nominations (a
    nomination counts once for each ICB it names; no topic counts as "").
    """
    proposed: dict[str, K | None] = dict.fromkeys(TERMS)
    for result in ranked:
        if result.score is None:
            continue
        term = terms.get(result.key)
        if term in proposed and proposed[term] is None:
            proposed[term] = result.key
    icb_counts: Counter[str] = Counter()
    topic_counts: Counter[str] = Counter()
    for key in proposed.values():
        if key is None:
            continue
        icb_counts.update((icbs or {}).get(key, ()))
        topic_counts[(topics or {}).get(key) or ""] += 1
    return Portfolio(
        proposed=proposed, icb_counts=icb_counts, topic_counts=topic_counts
    )
