"""Shared helpers: confidence levels, input validation and output shaping.

Everything here is private to :mod:`msknet.analytics.phe`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
from scipy import stats

FloatArray: TypeAlias = npt.NDArray[np.float64]
ArrayLike: TypeAlias = (
    float
    | int
    | Sequence[float]
    | Sequence[int]
    | npt.NDArray[np.floating]
    | npt.NDArray[np.integer]
)
Confidence: TypeAlias = float | int | Sequence[float | int]
Value: TypeAlias = float | None | FloatArray
Limit: TypeAlias = Value | tuple[Value, ...]


def confidence_levels(
    confidence: Confidence, *, name: str = "confidence"
) -> tuple[float, ...]:
    """Return the confidence level(s) as proportions, validating each one.

    A level may be given as a proportion (0.9 to 1) or a percentage (90 to 100),
    as in PHEindicatormethods; anything else raises ``ValueError``.
    """
    raw: list[float]
    if isinstance(confidence, int | float | np.floating | np.integer):
        raw = [float(confidence)]
    else:
        raw = [float(c) for c in confidence]
        if not raw:
            raise ValueError(f"{name} must hold at least one confidence level")
    levels: list[float] = []
    for level in raw:
        if not np.isfinite(level) or not (0.9 <= level <= 1 or 90 <= level <= 100):
            raise ValueError(
                f"{name} must be between 0.9 and 1 or between 90 and 100 "
                f"(got {level!r})"
            )
        levels.append(level / 100 if level >= 90 else level)
    return tuple(levels)


def z_value(level: float) -> float:
    """Two-sided standard normal quantile for a confidence level (a proportion)."""
    return float(stats.norm.ppf(level + (1 - level) / 2))


def as_array(values: ArrayLike, name: str) -> FloatArray:
    """Convert input to a float array, rejecting non-numeric and NaN input."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric") from exc
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain missing (NaN) values")
    return arr


def check_non_negative(arr: FloatArray, name: str) -> None:
    if (arr < 0).any():
        raise ValueError(f"{name} must all be greater than or equal to zero")


def check_positive(arr: FloatArray, name: str) -> None:
    if (arr <= 0).any():
        raise ValueError(f"{name} must all be greater than zero")


def check_finite(arr: FloatArray, name: str) -> None:
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite")


def shape_output(arr: FloatArray, scalar: bool) -> Value:
    """Return a plain float (``None`` for NaN) for scalar input, else the array."""
    if scalar:
        number = float(arr)
        return None if np.isnan(number) else number
    return arr


def shape_limits(arrs: list[FloatArray], scalar: bool, multi: bool) -> Limit:
    shaped = tuple(shape_output(a, scalar) for a in arrs)
    return shaped if multi else shaped[0]


def confidence_out(levels: tuple[float, ...]) -> float | tuple[float, ...]:
    return levels if len(levels) > 1 else levels[0]


def jsonable(value: object) -> object:
    """Turn arrays and tuples into lists and NaN into ``None`` for JSON output."""
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, float | np.floating):
        number = float(value)
        return None if np.isnan(number) else number
    return value


def level_label(level: float) -> str:
    """``0.95`` -> ``"95_0"``, ``0.998`` -> ``"99_8"`` (PHEindicatormethods' suffix)."""
    return f"{level * 100:.1f}".replace(".", "_")
