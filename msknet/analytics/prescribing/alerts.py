"""Prescribing alerts: a CUSUM over an organisation's monthly percentile.

An organisation's percentile within a measure (0 lowest, 100 highest among
the organisations of its level in England that month) is watched with a
two-sided cumulative sum, the method OpenPrescribing publishes for its
alerts: a sustained move up or down the ranking signals; month-to-month
wobble does not. Each month's contribution is clipped, so one unusual month
alone never signals. Method, parameters and limitations:
``docs/methods/prescribing-alerts.md``.

    from msknet.analytics.prescribing import alerts
    found = alerts.cusum([50, 52, 49, ..., 85, 88])
    found.signal_at(len(values) - 1)   # CusumSignal(direction="up", ...) or None

Django-free and deterministic: the same series always gives the same signals.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .store import Store

Direction = Literal["up", "down"]


@dataclass(frozen=True, slots=True)
class CusumParams:
    """The method's settings; the defaults are what the site uses."""

    window: int = 12
    """Months in the reference period: the first ``window`` months with a
    percentile, and again after each signal, starting at the month that
    signalled. No month can signal until a reference period is complete."""
    threshold: float = 5.0
    """h: a cumulative sum beyond this many reference standard deviations signals."""
    slack: float = 0.5
    """k: the allowance, in standard deviations, subtracted each month, so a
    series at its reference level does not accumulate."""
    min_sd: float = 2.0
    """The least standard deviation used, in percentile points, so that a
    series that never moved in its reference period does not signal on a
    move of one or two places."""
    clip: float | None = 4.0
    """The most one month may add, in standard deviations, before the slack
    is taken off (None: no clipping, the plain CUSUM). With the defaults one
    month adds at most 3.5 < h, so a single spike cannot signal alone and a
    move needs at least two months."""

    def __post_init__(self) -> None:
        if self.window < 2:
            raise ValueError("window must be at least 2 months")
        if self.threshold <= 0 or self.slack < 0 or self.min_sd <= 0:
            raise ValueError("threshold and min_sd must be positive, slack not negative")
        if self.clip is not None and self.clip <= self.slack:
            raise ValueError("clip must be larger than slack")


DEFAULT = CusumParams()


@dataclass(frozen=True, slots=True)
class CusumSignal:
    """A sustained change: the month (by position) the sum crossed the threshold."""

    index: int
    direction: Direction
    from_percentile: float
    """The reference period's mean percentile."""
    to_percentile: float
    """The percentile in the month that signalled."""


@dataclass(frozen=True, slots=True)
class CusumResult:
    """The sums for every month (None for a month without a percentile or in
    a reference period) and the signals, oldest first."""

    upper: tuple[float | None, ...]
    lower: tuple[float | None, ...]
    signals: tuple[CusumSignal, ...]

    def signal_at(self, index: int) -> CusumSignal | None:
        """The signal of the month at ``index`` (negative counts from the end)."""
        if index < 0:
            index += len(self.upper)
        return next((s for s in self.signals if s.index == index), None)


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def cusum(percentiles: Sequence[float | None], params: CusumParams = DEFAULT
          ) -> CusumResult:
    """Run the two-sided CUSUM over monthly percentiles, oldest first.

    A month without a percentile (None or NaN) is skipped: it neither adds
    to the sums nor breaks a reference period. After a signal the sums start
    again from zero with a new reference period, so a change is signalled
    once and later months are compared with the organisation's new level.
    """
    upper: list[float | None] = []
    lower: list[float | None] = []
    signals: list[CusumSignal] = []
    reference: list[float] = []
    mean = sd = 0.0
    high = low = 0.0
    for index, raw in enumerate(percentiles):
        if raw is None or _missing(raw):
            upper.append(None)
            lower.append(None)
            continue
        value = float(raw)
        if len(reference) < params.window:
            reference.append(value)
            if len(reference) == params.window:
                mean = statistics.fmean(reference)
                sd = max(statistics.stdev(reference), params.min_sd)
                high = low = 0.0
            upper.append(None)
            lower.append(None)
            continue
        z = (value - mean) / sd
        if params.clip is not None:
            z = max(-params.clip, min(params.clip, z))
        high = max(0.0, high + z - params.slack)
        low = max(0.0, low - z - params.slack)
        upper.append(high)
        lower.append(low)
        direction: Direction | None = None
        if high > params.threshold:
            direction = "up"
        elif low > params.threshold:
            direction = "down"
        if direction is not None:
            signals.append(CusumSignal(index, direction, mean, value))
            reference = [value]
            high = low = 0.0
    return CusumResult(tuple(upper), tuple(lower), tuple(signals))


@dataclass(frozen=True, slots=True)
class OrgMonth:
    """One organisation's month of a measure, as an alert shows it."""

    month: str
    value: float | None
    percentile: float | None


@dataclass(frozen=True, slots=True)
class OrgChange:
    """An organisation whose measure signalled in ``month``."""

    org_code: str
    month: str
    signal: CusumSignal
    latest_value: float | None
    history: tuple[OrgMonth, ...]
    """Every month of the organisation's series, oldest first."""


def series_by_org(rows: Iterable[dict[str, Any]]) -> tuple[list[str], dict[str, list[OrgMonth]]]:
    """Rows of ``month, org_code, value, percentile`` (as
    :func:`~msknet.analytics.prescribing.analysis.percentiles` gives them) as
    one full monthly series per organisation: every month in the rows, a
    month the organisation lacks given no value and no percentile."""
    rows = list(rows)
    months = sorted({str(r["month"]) for r in rows})
    found: dict[str, dict[str, OrgMonth]] = {}
    for r in rows:
        found.setdefault(str(r["org_code"]), {})[str(r["month"])] = OrgMonth(
            str(r["month"]), r["value"], r["percentile"])
    return months, {
        org: [own.get(m, OrgMonth(m, None, None)) for m in months]
        for org, own in found.items()
    }


def changes_in_month(rows: Iterable[dict[str, Any]], month: str,
                     org_codes: Iterable[str] | None = None,
                     params: CusumParams = DEFAULT) -> dict[str, OrgChange]:
    """The organisations (all, or those of ``org_codes``) whose percentile
    series signals in ``month``, by organisation code."""
    months, series = series_by_org(rows)
    if month not in months:
        return {}
    index = months.index(month)
    wanted = set(org_codes) if org_codes is not None else set(series)
    out: dict[str, OrgChange] = {}
    for org in sorted(wanted & set(series)):
        history = series[org][: index + 1]
        signal = cusum([m.percentile for m in history], params).signal_at(index)
        if signal is not None:
            out[org] = OrgChange(org, month, signal, history[-1].value, tuple(history))
    return out


def percentile_rows(store: Store, measure_id: str, level: str) -> list[dict[str, Any]]:
    """A measure over the whole store at one level, each organisation's row
    with its percentile in its month: what :func:`changes_in_month` reads."""
    from .analysis import percentiles
    from .engine import compute

    rows: list[dict[str, Any]] = percentiles(compute(store, measure_id, level)).to_pylist()
    return rows
