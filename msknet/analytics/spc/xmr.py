"""XmR (individuals) charts, one series at a time or thousands at once.

See ``docs/methods/spc-xmr.md`` for the method, its source and its edge cases.
Both functions run the same vectorised engine (``_core.compute_groups``), so
``xmr_many(...).chart(id)`` equals ``xmr(...)`` on that series exactly.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ._core import FloatArray, IntArray, RuleOptions, compute_groups
from ._inputs import (
    DateLike,
    SPCInputError,
    parse_dates,
    parse_improvement,
    parse_options,
    parse_target,
    parse_values,
    rebase_keys,
    to_labels,
)
from ._types import (
    Assurance,
    Improvement,
    PointType,
    SpecialCauseType,
    Variation,
    XmRChart,
    XmRPoint,
    date_text,
    optional_float,
)

__all__ = ["XmRMany", "xmr", "xmr_many"]

Values = Iterable[float | None] | npt.ArrayLike
Dates = Iterable[DateLike] | npt.NDArray[Any] | None
Rebase = Iterable[DateLike | int]

_SPECIAL = np.array([str(s) for s in SpecialCauseType])
_POINT = np.array([str(p) for p in PointType])
_SPECIAL_BY_NAME = {str(s): s for s in SpecialCauseType}
_POINT_BY_NAME = {str(p): p for p in PointType}
# +1 for a signal upwards, -1 downwards, by special-cause code.
_ORIENTATION = np.array([0, 1, -1, 1, -1, 1, -1, 1, -1], dtype=np.int64)
_DIRECTION = {Improvement.INCREASE: 1, Improvement.DECREASE: -1, Improvement.NEUTRAL: 0}
# Variation icon by point-type code (order of PointType) and direction.
_VARIATION = {
    Improvement.INCREASE: np.array(
        [
            "common_cause",
            "improvement_high",
            "concern_low",
            "neutral_high",
            "neutral_low",
        ]
    ),
    Improvement.DECREASE: np.array(
        [
            "common_cause",
            "improvement_low",
            "concern_high",
            "neutral_high",
            "neutral_low",
        ]
    ),
    Improvement.NEUTRAL: np.array(
        ["common_cause", "common_cause", "common_cause", "neutral_high", "neutral_low"]
    ),
}


@dataclass(frozen=True, eq=False)
class XmRMany:
    """Columnar XmR results for many series (from :func:`xmr_many`).

    Point columns have one entry per input row, sorted by id then date; series
    columns have one entry per distinct id, in sorted id order, and
    ``series_starts[i]`` is the first row of series ``i``. Missing numbers are
    NaN; ``assurance`` holds ``None`` where there is no assurance icon.
    """

    ids: npt.NDArray[Any]
    dates: npt.NDArray[Any]
    values: FloatArray
    mean: FloatArray
    lpl: FloatArray
    upl: FloatArray
    rebase_group: IntArray
    special_cause_type: npt.NDArray[np.str_]
    point_type: npt.NDArray[np.str_]
    series_ids: npt.NDArray[Any]
    series_starts: IntArray
    variation: npt.NDArray[np.str_]
    assurance: npt.NDArray[np.object_]
    targets: FloatArray
    improvement: Improvement

    def __len__(self) -> int:
        return int(self.series_ids.shape[0])

    def _series_index(self, series_id: Hashable) -> int:
        i = int(np.searchsorted(self.series_ids, series_id))  # type: ignore[call-overload]
        if i >= len(self) or self.series_ids[i] != series_id:
            raise KeyError(series_id)
        return i

    def chart(self, series_id: Hashable) -> XmRChart:
        """One series as the same :class:`XmRChart` that :func:`xmr` returns."""
        i = self._series_index(series_id)
        start = int(self.series_starts[i])
        stop = int(self.series_starts[i + 1]) if i + 1 < len(self) else len(self.values)
        labels = to_labels(self.dates[start:stop])
        window = slice(start, stop)
        points = tuple(
            XmRPoint(
                date=label,
                value=optional_float(value),
                mean=optional_float(mean),
                lpl=optional_float(lpl),
                upl=optional_float(upl),
                special_cause_type=_SPECIAL_BY_NAME[special],
                point_type=_POINT_BY_NAME[point],
                rebase_group=group,
            )
            for label, value, mean, lpl, upl, special, point, group in zip(
                labels,
                self.values[window].tolist(),
                self.mean[window].tolist(),
                self.lpl[window].tolist(),
                self.upl[window].tolist(),
                self.special_cause_type[window].tolist(),
                self.point_type[window].tolist(),
                self.rebase_group[window].tolist(),
                strict=True,
            )
        )
        assurance = self.assurance[i]
        return XmRChart(
            points=points,
            variation=Variation(self.variation[i]),
            assurance=None if assurance is None else Assurance(assurance),
            improvement=self.improvement,
            target=optional_float(float(self.targets[i])),
        )

    def charts(self) -> Iterator[tuple[Hashable, XmRChart]]:
        """Every series as ``(id, chart)``, in id order (slow: builds objects)."""
        for series_id in self.series_ids.tolist():
            yield series_id, self.chart(series_id)

    def to_records(self) -> list[dict[str, object]]:
        """One dict per point (with its ``id``), for a table, CSV or JSON."""
        labels = to_labels(self.dates)
        return [
            {
                "id": series_id,
                "date": date_text(labels[j]),
                "value": optional_float(value),
                "mean": optional_float(mean),
                "lpl": optional_float(lpl),
                "upl": optional_float(upl),
                "special_cause_type": special,
                "point_type": point,
                "rebase_group": group,
            }
            for j, (series_id, value, mean, lpl, upl, special, point, group) in (
                enumerate(
                    zip(
                        self.ids.tolist(),
                        self.values.tolist(),
                        self.mean.tolist(),
                        self.lpl.tolist(),
                        self.upl.tolist(),
                        self.special_cause_type.tolist(),
                        self.point_type.tolist(),
                        self.rebase_group.tolist(),
                        strict=True,
                    )
                )
            )
        ]

    def series_records(self) -> list[dict[str, object]]:
        """One dict per series: id, icons, target and latest limits."""
        n_series = self.series_starts.shape[0]
        last = np.append(self.series_starts[1:], len(self.values))[:n_series] - 1
        return [
            {
                "id": series_id,
                "n_points": int(n),
                "variation": variation,
                "assurance": assurance,
                "target": optional_float(target),
                "mean": optional_float(mean),
                "lpl": optional_float(lpl),
                "upl": optional_float(upl),
            }
            for series_id, n, variation, assurance, target, mean, lpl, upl in zip(
                self.series_ids.tolist(),
                np.diff(last, prepend=-1).tolist(),
                self.variation.tolist(),
                self.assurance.tolist(),
                self.targets.tolist(),
                self.mean[last].tolist(),
                self.lpl[last].tolist(),
                self.upl[last].tolist(),
                strict=True,
            )
        ]


def xmr(
    values: Values,
    dates: Dates = None,
    *,
    improvement: str = "increase",
    target: float | None = None,
    rebase: Rebase = (),
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
    run_length: int = 7,
    trend_length: int = 7,
    two_in_three_beyond_limits: bool = False,
) -> XmRChart:
    """An XmR chart of one series, by NHSRplotthedots' (0.2.x) method.

    ``values`` may hold ``None``/NaN for missing values. ``dates`` (dates,
    datetimes, ISO strings or a ``datetime64`` array) order the points; without
    them the points keep their order and are labelled 0..n-1. ``rebase`` dates
    (positions, without ``dates``) start a new set of limits; ones not in the
    data are ignored. ``run_length``, ``trend_length`` (6 in some Making Data
    Count tools) and ``two_in_three_beyond_limits`` (the 2023/24 Making Data
    Count rule) are off by default, matching NHSRplotthedots.
    """
    vals = parse_values(values, "values")
    if vals.shape[0] == 0:
        raise SPCInputError("values must contain at least one value")
    result = _compute(
        np.zeros(vals.shape[0], dtype=np.int64),
        dates,
        vals,
        improvement=improvement,
        targets=parse_target(target),
        rebase=rebase,
        options=parse_options(
            fix_after_n_points=fix_after_n_points,
            screen_outliers=screen_outliers,
            run_length=run_length,
            trend_length=trend_length,
            two_in_three_beyond_limits=two_in_three_beyond_limits,
        ),
        single=True,
    )
    return result.chart(0)


def xmr_many(
    ids: npt.ArrayLike,
    dates: Dates,
    values: Values,
    *,
    improvement: str = "increase",
    target: float | Mapping[Any, float] | None = None,
    rebase: Rebase | Mapping[Any, Rebase] = (),
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
    run_length: int = 7,
    trend_length: int = 7,
    two_in_three_beyond_limits: bool = False,
) -> XmRMany:
    """XmR charts of many series at once, from long-format columns.

    ``ids``, ``dates`` and ``values`` are equal-length columns, one row per
    point, in any order (``dates=None``: each series keeps its row order).
    ``target`` and ``rebase`` apply to every series, or are mappings from id
    to that series' target or rebase dates (ids not in the data are ignored).
    Other options are as for :func:`xmr`; each series gets the same numbers
    as :func:`xmr` would give it.
    """
    vals = parse_values(values, "values")
    id_array = np.asarray(ids)
    if id_array.ndim != 1 or id_array.shape[0] != vals.shape[0]:
        raise SPCInputError(
            f"ids must be one-dimensional with one entry per value ({vals.shape[0]})"
        )
    return _compute(
        id_array,
        dates,
        vals,
        improvement=improvement,
        targets=target if isinstance(target, Mapping) else parse_target(target),
        rebase=rebase,
        options=parse_options(
            fix_after_n_points=fix_after_n_points,
            screen_outliers=screen_outliers,
            run_length=run_length,
            trend_length=trend_length,
            two_in_three_beyond_limits=two_in_three_beyond_limits,
        ),
        single=False,
    )


def _rebase_flags(
    rebase: Rebase | Mapping[Any, Rebase],
    series_ids: npt.NDArray[Any],
    series_index: IntArray,
    match_keys: IntArray,
    have_dates: bool,
) -> npt.NDArray[np.bool_]:
    """True at each row whose date is a rebase date of its series."""
    if not isinstance(rebase, Mapping):
        return np.isin(match_keys, rebase_keys(rebase, have_dates))
    owners: list[IntArray] = []
    keys: list[IntArray] = []
    for series_id, series_rebase in rebase.items():
        i = int(np.searchsorted(series_ids, series_id))
        found = rebase_keys(series_rebase, have_dates, f"rebase[{series_id!r}]")
        if i < series_ids.shape[0] and series_ids[i] == series_id:
            owners.append(np.full(found.shape[0], i, dtype=np.int64))
            keys.append(found)
    if not keys:
        return np.zeros(match_keys.shape[0], dtype=bool)
    # Rank all keys together so that (series, key) fits in one int64.
    all_keys = np.concatenate([match_keys, *keys])
    _, rank = np.unique(all_keys, return_inverse=True)
    width = int(rank.max()) + 1
    row_pairs = series_index * width + rank[: match_keys.shape[0]]
    rebase_pairs = np.concatenate(owners) * width + rank[match_keys.shape[0] :]
    return np.isin(row_pairs, rebase_pairs)


def _targets(
    targets: float | Mapping[Any, float] | None, series_ids: npt.NDArray[Any]
) -> FloatArray:
    """One target per series, NaN where there is none."""
    out = np.full(series_ids.shape[0], np.nan)
    if isinstance(targets, Mapping):
        for series_id, value in targets.items():
            checked = parse_target(value, f"target[{series_id!r}]")
            i = int(np.searchsorted(series_ids, series_id))
            if i < series_ids.shape[0] and series_ids[i] == series_id:
                out[i] = np.nan if checked is None else checked
    elif targets is not None:
        out[:] = targets
    return out


def _compute(
    ids: npt.NDArray[Any],
    dates: Dates,
    vals: FloatArray,
    *,
    improvement: str,
    targets: float | Mapping[Any, float] | None,
    rebase: Rebase | Mapping[Any, Rebase],
    options: RuleOptions,
    single: bool,
) -> XmRMany:
    direction = parse_improvement(improvement)
    n = vals.shape[0]
    if single:
        series_ids, codes = np.zeros(1, dtype=np.int64), np.zeros(n, dtype=np.int64)
    else:
        try:
            series_ids, codes = np.unique(ids, return_inverse=True)
        except TypeError:
            raise SPCInputError("ids must be all of one sortable type") from None
        codes = codes.astype(np.int64).reshape(-1)
    if dates is None:
        keys: IntArray = np.arange(n, dtype=np.int64)
        labels: npt.NDArray[Any] | None = None
    else:
        keys, labels = parse_dates(dates, n)

    order = np.lexsort((keys, codes))
    codes = codes[order]
    keys = keys[order]
    vals = vals[order]
    is_start = np.ones(n, dtype=bool)
    is_start[1:] = codes[1:] != codes[:-1]
    series_starts = np.flatnonzero(is_start)
    series_index = np.cumsum(is_start) - 1
    position = np.arange(n) - series_starts[series_index]

    duplicate = np.flatnonzero(~is_start[1:] & (keys[1:] == keys[:-1]))
    if duplicate.size and labels is not None:
        j = int(order[duplicate[0] + 1])
        where = "" if single else f" for id {ids[j]!r}"
        raise SPCInputError(f"dates has a duplicate date{where}: {labels[j]}")

    have_dates = labels is not None
    sorted_labels = labels[order] if labels is not None else position
    flags = _rebase_flags(
        rebase, series_ids, series_index, keys if have_dates else position, have_dates
    )
    new_group = is_start | flags
    group_number = np.cumsum(new_group) - 1
    rebase_group = group_number - group_number[series_starts][series_index]

    result = compute_groups(vals, np.flatnonzero(new_group), options)

    orientation = _ORIENTATION[result.code]
    sign = _DIRECTION[direction]
    if sign == 0:
        point_code = np.where(orientation > 0, 3, np.where(orientation < 0, 4, 0))
    else:
        oriented = orientation * sign
        point_code = np.where(oriented > 0, 1, np.where(oriented < 0, 2, 0))

    last = np.append(series_starts[1:], n)[: series_starts.shape[0]] - 1
    series_targets = _targets(targets, series_ids)
    assurance = np.full(series_ids.shape[0], None, dtype=object)
    if sign != 0:
        target_above = series_targets > result.upl[last]
        target_below = series_targets < result.lpl[last]
        has_target = ~np.isnan(series_targets)
        good, bad = (
            ("consistent_pass", "consistent_fail")
            if sign > 0
            else ("consistent_fail", "consistent_pass")
        )
        assurance[has_target] = "inconsistent"
        assurance[has_target & target_below] = good
        assurance[has_target & target_above] = bad

    return XmRMany(
        ids=series_ids[codes],
        dates=sorted_labels,
        values=vals,
        mean=result.mean,
        lpl=result.lpl,
        upl=result.upl,
        rebase_group=rebase_group,
        special_cause_type=_SPECIAL[result.code],
        point_type=_POINT[point_code],
        series_ids=series_ids,
        series_starts=series_starts,
        variation=_VARIATION[direction][point_code[last]],
        assurance=assurance,
        targets=series_targets,
        improvement=direction,
    )
