"""Checking and converting the arguments of the SPC functions.

Every error is a ``ValueError`` whose message starts with the argument's name.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ._core import FloatArray, IntArray, RuleOptions
from ._types import DateLabel, Improvement

DateLike = dt.date | dt.datetime | str | np.datetime64
"""What a caller may pass as a date."""


class SPCInputError(ValueError):
    """An argument of an SPC function is invalid; the message names it."""


_EPOCH = dt.datetime(1970, 1, 1)
_EPOCH_UTC = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_DAY_US = 86_400_000_000
_MIN_FIX = 12


def parse_values(
    values: Iterable[float | None] | npt.ArrayLike, name: str
) -> FloatArray:
    """Values as a float array, NaN for ``None``/NaN; infinities are refused."""
    if isinstance(values, str | bytes):
        raise SPCInputError(f"{name} must be a sequence of numbers, not a string")
    if not isinstance(values, np.ndarray | Sequence):
        values = list(values)  # type: ignore[arg-type,assignment]
    try:
        arr = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SPCInputError(f"{name} must contain only numbers or None") from exc
    if arr.ndim != 1:
        raise SPCInputError(f"{name} must be one-dimensional")
    if np.isinf(arr).any():
        raise SPCInputError(f"{name} must not contain infinite values")
    return arr


def parse_improvement(improvement: str) -> Improvement:
    """The improvement direction, checked."""
    try:
        return Improvement(improvement)
    except ValueError:
        choices = ", ".join(repr(str(i)) for i in Improvement)
        raise SPCInputError(
            f"improvement must be one of {choices}, not {improvement!r}"
        ) from None


def parse_target(target: float | None, name: str = "target") -> float | None:
    """A finite number or None."""
    if target is None:
        return None
    if isinstance(target, bool) or not isinstance(target, numbers.Real):
        raise SPCInputError(f"{name} must be a number or None, not {target!r}")
    value = float(target)
    if not math.isfinite(value):
        raise SPCInputError(f"{name} must be a finite number, not {target!r}")
    return value


def _check_int(value: object, name: str, minimum: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or int(value) < minimum
    ):
        raise SPCInputError(f"{name} must be a whole number of at least {minimum}")
    return int(value)


def parse_options(
    *,
    fix_after_n_points: int | None,
    screen_outliers: bool,
    run_length: int,
    trend_length: int,
    two_in_three_beyond_limits: bool,
) -> RuleOptions:
    """The method's options, checked."""
    fix = None
    if fix_after_n_points is not None:
        fix = _check_int(fix_after_n_points, "fix_after_n_points", _MIN_FIX)
    if not isinstance(screen_outliers, bool):
        raise SPCInputError("screen_outliers must be True or False")
    if not isinstance(two_in_three_beyond_limits, bool):
        raise SPCInputError("two_in_three_beyond_limits must be True or False")
    return RuleOptions(
        fix_after_n_points=fix,
        screen_outliers=screen_outliers,
        run_length=_check_int(run_length, "run_length", 2),
        trend_length=_check_int(trend_length, "trend_length", 2),
        two_in_three_beyond_limits=two_in_three_beyond_limits,
    )


def _parse_one(d: object, name: str) -> dt.date:
    """One date-like value as a date or datetime."""
    if isinstance(d, np.datetime64):
        if np.isnat(d):
            raise SPCInputError(f"{name} must not contain missing dates (NaT)")
        unit = np.datetime_data(d.dtype)[0]
        coarse = unit in ("Y", "M", "W", "D")
        out = d.astype("datetime64[D]" if coarse else "datetime64[us]").item()
        assert isinstance(out, dt.date)
        return out
    if isinstance(d, dt.date):  # includes datetime
        return d
    if isinstance(d, str):
        try:
            if len(d) == 10:
                return dt.date.fromisoformat(d)
            return dt.datetime.fromisoformat(d)
        except ValueError:
            raise SPCInputError(f"{name} has {d!r}, which is not an ISO date") from None
    raise SPCInputError(f"{name} must hold dates, datetimes or ISO strings, not {d!r}")


def _key(d: dt.date) -> int:
    """Microseconds since 1970 (UTC for aware datetimes, midnight for dates)."""
    if isinstance(d, dt.datetime):
        epoch = _EPOCH if d.tzinfo is None else _EPOCH_UTC
        return (d - epoch) // dt.timedelta(microseconds=1)
    return (d - _EPOCH.date()).days * _DAY_US


def parse_dates(
    dates: Iterable[DateLike] | npt.NDArray[Any], n: int, name: str = "dates"
) -> tuple[IntArray, npt.NDArray[Any]]:
    """Sort keys (int64) and labels for ``n`` dates.

    Labels are a ``datetime64`` array when a ``datetime64`` array was given
    (turned into Python dates only when a chart is built), else an object
    array of ``date``/``datetime``.
    """
    if isinstance(dates, str | bytes):
        raise SPCInputError(f"{name} must be a sequence of dates, not a string")
    if isinstance(dates, np.ndarray) and np.issubdtype(dates.dtype, np.datetime64):
        if dates.ndim != 1 or dates.shape[0] != n:
            raise SPCInputError(f"{name} must be one-dimensional with {n} entries")
        if np.isnat(dates).any():
            raise SPCInputError(f"{name} must not contain missing dates (NaT)")
        unit = np.datetime_data(dates.dtype)[0]
        labels = dates.astype(
            "datetime64[D]" if unit in ("Y", "M", "W", "D") else "datetime64[us]"
        )
        keys: IntArray = labels.astype("datetime64[us]").astype(np.int64)
        return keys, labels
    parsed = [_parse_one(d, name) for d in dates]
    if len(parsed) != n:
        raise SPCInputError(
            f"{name} must have one entry per value ({n}), not {len(parsed)}"
        )
    aware = {
        isinstance(d, dt.datetime) and d.tzinfo is not None
        for d in parsed
        if isinstance(d, dt.datetime)
    }
    if len(aware) > 1:
        raise SPCInputError(f"{name} mixes timezone-aware and naive datetimes")
    keys = np.array([_key(d) for d in parsed], dtype=np.int64)
    obj = np.empty(n, dtype=object)
    obj[:] = parsed
    return keys, obj


def rebase_keys(
    rebase: Iterable[DateLike | int], have_dates: bool, name: str = "rebase"
) -> IntArray:
    """Keys of rebase dates (or positions, when the chart has no dates)."""
    if isinstance(rebase, str | bytes):
        raise SPCInputError(f"{name} must be a sequence of dates, not a string")
    items = list(rebase)
    if not have_dates:
        for r in items:
            if isinstance(r, bool) or not isinstance(r, numbers.Integral):
                raise SPCInputError(
                    f"{name} must hold positions (integers) when no dates are given"
                )
        return np.array(items, dtype=np.int64)
    if isinstance(rebase, np.ndarray) and np.issubdtype(rebase.dtype, np.datetime64):
        return parse_dates(rebase, len(items), name)[0]
    return np.array([_key(_parse_one(r, name)) for r in items], dtype=np.int64)


def to_labels(labels: npt.NDArray[Any]) -> list[DateLabel]:
    """Python dates from parsed labels (see :func:`parse_dates`)."""
    if labels.dtype == object:
        return list(labels)
    out: list[DateLabel] = labels.tolist()
    return out
