"""The statistics on the insights pages, computed by the analytics library.

Thin glue between indicator values and `msknet.analytics` (phe, spc): which
method a value type takes, how deprivation categories are ranked, and the
rule that says whether an inequality gap is widening. No database access.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from msknet.analytics import phe, spc
from msknet.analytics.indicators import compare

from .models import Indicator, IndicatorValue, Polarity, ValueType

#: The SII's limits are simulated; a fixed seed keeps the page the same on
#: every visit (and equal to `phe.sii` called with the same seed).
SII_SEED = 20240401
SII_REPETITIONS = 100_000
#: Periods that are short enough for an SPC chart of a local series.
SPC_PERIOD_TYPES = ("monthly", "quarterly")
#: Fewer points than this give no useful process limits.
SPC_MIN_POINTS = 12

WIDENING = "widening"
NARROWING = "narrowing"
NO_CLEAR_CHANGE = "no clear change"

FUNNEL_TEXT = {
    phe.HIGH_0001: "Above the 99.8% limit",
    phe.HIGH_0025: "Above the 95% limit",
    phe.LOW_0001: "Below the 99.8% limit",
    phe.LOW_0025: "Below the 95% limit",
    phe.NOT_SIGNIFICANT: "Within the limits",
    phe.DSR_NOT_APPLICABLE: "Not assessed (fewer than 10 events)",
}


def sii_value_type(indicator: Indicator) -> int:
    """`phe.sii`'s value_type: 2 proportion, 1 rate, 0 anything else."""
    return {ValueType.PROPORTION: 2, ValueType.RATE: 1}.get(indicator.value_type, 0)


def quantile_rank(category: str, size: int) -> int | None:
    """1 for the most deprived group up to ``size`` for the least; None if unclear."""
    text = category.lower()
    if "most deprived" in text:
        return 1
    if "least deprived" in text:
        return size
    found = re.search(r"\b(\d+)\b", text)
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class RankedRow:
    rank: int
    value: IndicatorValue


def ranked(rows: list[IndicatorValue]) -> list[RankedRow] | None:
    """Categories ranked most to least deprived; None if they cannot be ranked."""
    ranks = [quantile_rank(v.category, len(rows)) for v in rows]
    if any(r is None for r in ranks) or len(set(ranks)) != len(ranks):
        return None
    return sorted(
        (RankedRow(r, v) for r, v in zip(ranks, rows, strict=True) if r is not None),
        key=lambda row: row.rank,
    )


@dataclass(frozen=True)
class PeriodSII:
    period: str
    result: phe.SIIResult | None
    problem: str = ""


def period_sii(indicator: Indicator, period: str, rows: list[RankedRow]) -> PeriodSII:
    """The SII and RII of one period's ranked categories, or why there is none."""
    values = [r.value for r in rows]
    if len(values) < 5:
        return PeriodSII(period, None, "fewer than 5 groups")
    if any(v.value is None or v.lower_95 is None or v.upper_95 is None
           or not v.denominator for v in values):
        return PeriodSII(period, None, "a group lacks a value, its 95% limits or its "
                         "denominator")
    value_type = sii_value_type(indicator)
    scale = indicator.multiplier if value_type == 2 else 1
    try:
        result = phe.sii(
            [r.rank for r in rows],
            [v.denominator for v in values],
            [v.value / scale for v in values],  # type: ignore[operator]
            lower=[v.lower_95 / scale for v in values],  # type: ignore[operator]
            upper=[v.upper_95 / scale for v in values],  # type: ignore[operator]
            value_type=value_type,
            multiplier=scale,
            repetitions=SII_REPETITIONS,
            seed=SII_SEED,
        )
    except ValueError as error:
        return PeriodSII(period, None, str(error))
    return PeriodSII(period, result)


@dataclass(frozen=True)
class GapChange:
    """Whether the gap (the SII's size) changed from the first period to the latest."""

    verdict: str
    first: PeriodSII
    latest: PeriodSII


def gap_change(siis: list[PeriodSII]) -> GapChange | None:
    """Compare the latest SII with the earliest, as Fingertips compares with England.

    The rule: the earliest SII is the benchmark and the latest SII's 95%
    confidence interval is the test. If the earliest SII lies outside the
    latest's interval the gap has changed significantly - *widening* when the
    latest SII is further from zero, *narrowing* when nearer - otherwise there
    is *no clear change*. None with fewer than two periods with an SII.
    """
    known = [s for s in siis if s.result is not None]
    if len(known) < 2:
        return None
    first, latest = known[0], known[-1]
    assert first.result is not None and latest.result is not None
    outcome = str(compare(latest.result.sii_lower, latest.result.sii_upper,
                          first.result.sii, polarity="no_judgement"))
    if outcome == "similar":
        verdict = NO_CLEAR_CHANGE
    elif abs(latest.result.sii) > abs(first.result.sii):
        verdict = WIDENING
    else:
        verdict = NARROWING
    return GapChange(verdict, first, latest)


def improvement(indicator: Indicator) -> str:
    return {
        Polarity.HIGHER_IS_BETTER: "increase",
        Polarity.LOWER_IS_BETTER: "decrease",
    }.get(indicator.polarity, "neutral")


def spc_chart(indicator: Indicator, values: list[IndicatorValue]) -> spc.XmRChart | None:
    """An XmR chart of a monthly or quarterly series long enough for limits."""
    if indicator.period_type not in SPC_PERIOD_TYPES:
        return None
    points = [v for v in values if v.value is not None]
    if len(points) < SPC_MIN_POINTS:
        return None
    return spc.xmr([v.value for v in points], improvement=improvement(indicator))


@dataclass(frozen=True)
class Funnel:
    """The funnel: each area's label, the centre line and the limit curves."""

    statistic: str
    baseline: float
    baseline_source: str
    denominators: list[float]
    labels: list[str]
    limits: dict[str, list[tuple[float, float]]]  # line name: (denominator, value)


FUNNEL_STATISTICS = {ValueType.PROPORTION: "proportion", ValueType.RATE: "rate"}
LIMIT_LINES = ("95% lower", "95% upper", "99.8% lower", "99.8% upper")
GRID_POINTS = 100


def funnel(indicator: Indicator, england: IndicatorValue | None,
           values: list[IndicatorValue]) -> Funnel | None:
    """Funnel labels and limits around England's value (or the pooled one).

    ``values`` must each have a value, a count and a denominator. Proportions
    use inverted Wilson limits; rates use Poisson limits, with each area's
    denominator derived from its count and rate as `phe.funnel_significance`
    does (directly standardised rates when the method says so).
    """
    statistic = FUNNEL_STATISTICS.get(indicator.value_type)  # type: ignore[call-overload]
    if statistic is None or not values:
        return None
    m = indicator.multiplier
    x = np.array([v.count for v in values], dtype=float)
    n = np.array([v.denominator for v in values], dtype=float)
    rates = np.array([v.value for v in values], dtype=float)
    has_england = england is not None and england.value is not None
    if statistic == "proportion":
        average = england.value / m if has_england else float(x.sum() / n.sum())  # type: ignore[union-attr,operator]
        labels = phe.funnel_significance(x, n, "proportion", average=average)
        denominators = n
        grid = _grid(denominators)
        limits = phe.proportion_funnel_limits(grid, average, multiplier=m).clamped()
        lines = {
            "95% lower": limits.lower_2s, "95% upper": limits.upper_2s,
            "99.8% lower": limits.lower_3s, "99.8% upper": limits.upper_3s,
        }
        baseline = average * m
        curves = {name: list(zip(grid.tolist(), line.tolist(), strict=True))
                  for name, line in lines.items()}
    else:
        rate_type = "dsr" if "standardised" in indicator.method.lower() else "crude"
        baseline = england.value if has_england else float(x.sum() / n.sum() * m)  # type: ignore[union-attr]
        labels = phe.funnel_significance(x, n, "rate", rates=rates, rate_type=rate_type,
                                         multiplier=m, average=baseline)
        with np.errstate(divide="ignore", invalid="ignore"):
            denominators = np.where(x > 0, x / rates * m, n)
        curves = _poisson_curves(denominators, baseline / m, m)
    return Funnel(
        statistic=statistic, baseline=float(baseline),
        baseline_source="England" if has_england else "the areas pooled",
        denominators=[float(d) for d in denominators], labels=labels, limits=curves,
    )


def _grid(denominators: np.ndarray) -> np.ndarray:
    low, high = float(denominators.min()) * 0.8, float(denominators.max()) * 1.2
    return np.geomspace(max(low, 1.0), max(high, 2.0), GRID_POINTS)


def _poisson_curves(denominators: np.ndarray, per_person: float, m: float
                    ) -> dict[str, list[tuple[float, float]]]:
    """Limit curves for a rate: k events sit on a limit at population E(k) / rate."""
    grid = _grid(denominators)
    expected = grid * per_person
    k = np.unique(np.round(np.geomspace(1, max(expected.max() * 1.5, 20), 400)))
    out: dict[str, list[tuple[float, float]]] = {}
    for level, p in (("95%", 0.025), ("99.8%", 0.001)):
        for name, side in (("upper", "low"), ("lower", "high")):
            e = np.asarray(phe.poisson_funnel(k, p, side))  # type: ignore[arg-type]
            population = e / per_person
            keep = (population >= grid[0]) & (population <= grid[-1])
            out[f"{level} {name}"] = [
                (float(pop), float(events / pop * m))
                for pop, events in zip(population[keep], k[keep], strict=True)
            ]
    return {name: out[name] for name in LIMIT_LINES}
