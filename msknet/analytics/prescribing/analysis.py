"""What the web pages show about a measure: deciles, percentiles, funnel
outliers, SPC changes and potential reductions.

Each takes a :class:`~msknet.analytics.prescribing.engine.MeasureResult` (or
its table) and returns plain rows. Funnel limits come from
:func:`msknet.analytics.phe.funnel_significance`; SPC from
:func:`msknet.analytics.spc.xmr_many`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from msknet.analytics import phe, spc

from .engine import MeasureResult
from .sqlfiles import render


def _query(table: pa.Table, sql_name: str) -> pa.Table:
    con = duckdb.connect()
    try:
        con.register("measure_values", table)
        return con.sql(render(sql_name)).to_arrow_table()
    finally:
        con.close()


def deciles(result: MeasureResult) -> pa.Table:
    """Per month: organisations with a value and the 10th..90th percentiles
    (columns ``month, organisations, p10 ... p90``)."""
    return _query(result.table, "deciles.sql")


def percentiles(result: MeasureResult) -> pa.Table:
    """Each organisation's percentile (0-100, ascending) within its month."""
    return _query(result.table, "percentiles.sql")


@dataclass(frozen=True, slots=True)
class FunnelPoint:
    """An organisation's place on the month's funnel plot."""

    month: str
    org_code: str
    numerator: float
    denominator: float
    value: float
    label: str
    """``phe`` label: "High (0.001)" is outside 99.8 %, "High (0.025)" outside 95 %."""

    @property
    def outside_998(self) -> bool:
        return self.label.endswith("(0.001)")

    @property
    def outside_95(self) -> bool:
        return self.label != phe.NOT_SIGNIFICANT


@dataclass(frozen=True, slots=True)
class Funnel:
    """One month's funnel plot: every organisation, the pooled value and
    which limits the labels come from."""

    month: str
    points: list[FunnelPoint]
    baseline: float
    """The pooled value, on the measure's scale (e.g. per 1,000 patients)."""
    dispersion: phe.Overdispersion | None
    """Spiegelhalter's estimates (None with fewer than two organisations)."""

    @property
    def adjusted(self) -> bool:
        """Whether the limits are widened for over-dispersion."""
        return self.dispersion is not None and self.dispersion.over_dispersed

    @property
    def tau2(self) -> float:
        """The between-organisation variance the limits add (0 if unadjusted)."""
        return self.dispersion.tau2 if self.adjusted and self.dispersion else 0.0


def funnel(result: MeasureResult, month: str | None = None) -> Funnel | None:
    """Every organisation of one month (default the latest) against the
    funnel around the pooled value, at 95 % and 99.8 %; None without values.

    The limits are Poisson (``phe.funnel_significance(statistic="rate")``)
    unless the organisations are over-dispersed, as milligram totals are (one
    item is many mg): then Spiegelhalter's random-effects limits
    (``phe.overdispersed_rate_significance``, docs/methods/phe-overdispersion.md).
    """
    rows = [r for r in result.to_records() if r["denominator"] and r["denominator"] > 0]
    if not rows:
        return None
    month = month or max(r["month"] for r in rows)
    rows = [r for r in rows if r["month"] == month]
    numerators = [r["numerator"] for r in rows]
    denominators = [r["denominator"] for r in rows]
    per = result.measure.per
    baseline = sum(numerators) / sum(denominators) * per
    labels = phe.funnel_significance(
        numerators, denominators, statistic="rate", multiplier=per
    )
    dispersion = None
    if len(rows) >= 2 and baseline > 0:
        adjusted, dispersion = phe.overdispersed_rate_significance(
            numerators, denominators, multiplier=per
        )
        if dispersion.over_dispersed:
            labels = adjusted
    points = [
        FunnelPoint(
            month, r["org_code"], r["numerator"], r["denominator"], r["value"], label
        )
        for r, label in zip(rows, labels, strict=True)
    ]
    return Funnel(month, points, baseline, dispersion)


def funnel_outliers(
    result: MeasureResult, month: str | None = None
) -> list[FunnelPoint]:
    """The points of :func:`funnel` (empty without values)."""
    found = funnel(result, month)
    return found.points if found is not None else []


@dataclass(frozen=True, slots=True)
class SPCChange:
    """A recent special-cause change in an organisation's monthly series."""

    org_code: str
    month: str
    value: float
    direction: str
    """``"got worse"`` or ``"got better"`` (``"went up"``/``"went down"`` for
    measures without a polarity)."""
    special_cause_type: str


def spc_changes(result: MeasureResult, recent_months: int = 3) -> list[SPCChange]:
    """Organisations whose latest special-cause point is within the last
    ``recent_months`` months, by XmR chart (``spc.xmr_many``, Making Data
    Count rules), worst first then by organisation."""
    table = result.table.filter(pa.compute.is_valid(result.table["value"]))
    if table.num_rows == 0:
        return []
    months = sorted(set(table["month"].to_pylist()))
    recent = set(months[-recent_months:])
    charts = spc.xmr_many(
        table["org_code"].to_numpy(zero_copy_only=False),
        [f"{m}-01" for m in table["month"].to_pylist()],
        table["value"].to_numpy(zero_copy_only=False),
        improvement=result.measure.improvement,
    )
    out: list[SPCChange] = []
    starts = list(charts.series_starts.tolist()) + [len(charts.values)]
    for i, org in enumerate(charts.series_ids.tolist()):
        for j in range(starts[i + 1] - 1, starts[i] - 1, -1):
            month = str(charts.dates[j])[:7]
            if month not in recent:
                break
            point = str(charts.point_type[j])
            if point == "common_cause":
                continue
            if result.measure.improvement == "neutral":
                high = str(charts.special_cause_type[j]) in (
                    "above_upl",
                    "trend_increasing",
                    "run_above",
                    "two_in_three_above",
                )
                direction = "went up" if high else "went down"
            elif point == "special_cause_concern":
                direction = "got worse"
            else:
                direction = "got better"
            out.append(
                SPCChange(
                    str(org),
                    month,
                    float(charts.values[j]),
                    direction,
                    str(charts.special_cause_type[j]),
                )
            )
            break
    out.sort(key=lambda c: (c.direction != "got worse", c.org_code))
    return out


@dataclass(frozen=True, slots=True)
class Reduction:
    """How much lower a practice's numerator would be at the target percentile."""

    org_code: str
    month: str
    value: float
    target_value: float
    potential_reduction: float
    """In numerator units (e.g. mg OME, items) for the month."""


def potential_reductions(
    result: MeasureResult,
    org_codes: Iterable[str],
    *,
    month: str | None = None,
    percentile: float = 10.0,
) -> list[Reduction]:
    """For the given organisations, the reduction in the numerator if each
    reached the ``percentile`` (default 10th) of all organisations' values in
    ``month`` (default the latest), largest first. Organisations already at or
    below it are left out. For measures where lower is better.
    """
    records = [r for r in result.to_records() if r["value"] is not None]
    if not records:
        return []
    month = month or max(r["month"] for r in records)
    in_month = [r for r in records if r["month"] == month]
    target = float(np.percentile([r["value"] for r in in_month], percentile))
    wanted = set(org_codes)
    out = [
        Reduction(
            r["org_code"],
            month,
            r["value"],
            target,
            (r["value"] - target) * r["denominator"] / result.measure.per,
        )
        for r in in_month
        if r["org_code"] in wanted and r["value"] > target
    ]
    out.sort(key=lambda r: (-r.potential_reduction, r.org_code))
    return out
