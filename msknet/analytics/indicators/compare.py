"""Compare areas with a benchmark the way Fingertips does.

Fingertips ("compared with benchmark", confidence-interval overlap method)
asks whether the benchmark's value lies outside the area's confidence
interval: the area is significantly higher when its lower limit is above the
benchmark, lower when its upper limit is below it, and similar otherwise. A
limit that exactly touches the benchmark is *similar*: the benchmark is inside
the closed interval, so the difference is not significant at that level (the
comparisons are strict, as in Fingertips' comparer).

Higher and lower become better and worse through the indicator's polarity;
indicators with no judgement stay higher, similar or lower. With the 99.8%
limits too (Fingertips' two-level option) significant results carry the level:
``"better 99.8%"`` when even the 99.8% interval excludes the benchmark,
``"better 95%"`` when only the 95% one does. Where the 99.8% limits are
missing the 95% result is given at 95%.

Anything missing (either 95% limit, or the benchmark) gives ``"not compared"``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

BETTER = "better"
SIMILAR = "similar"
WORSE = "worse"
HIGHER = "higher"
LOWER = "lower"
NOT_COMPARED = "not compared"
#: Every outcome of a one-level comparison.
OUTCOMES = (BETTER, SIMILAR, WORSE, HIGHER, LOWER, NOT_COMPARED)
POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")

Numbers = float | int | None | npt.ArrayLike


def _as_floats(values: Any) -> npt.NDArray[np.float64]:
    """Floats with None as NaN, keeping the shape (0-d for a scalar)."""
    array = np.asarray(values, dtype=object)
    flat = [np.nan if v is None else float(v) for v in array.ravel()]
    return np.array(flat, dtype=np.float64).reshape(array.shape)


def _direction_words(polarity: str) -> tuple[str, str]:
    """What a significantly higher and a significantly lower value are called."""
    if polarity == "higher_is_better":
        return BETTER, WORSE
    if polarity == "lower_is_better":
        return WORSE, BETTER
    if polarity == "no_judgement":
        return HIGHER, LOWER
    raise ValueError(f"polarity must be one of {', '.join(POLARITIES)}, not {polarity!r}")


def compare(
    lower: Numbers,
    upper: Numbers,
    benchmark: Numbers,
    *,
    polarity: str,
    lower_998: Numbers = None,
    upper_998: Numbers = None,
) -> Any:
    """Each area's outcome against the benchmark: a string, or an array of them.

    ``lower``/``upper`` are the area's 95% limits (scalars or arrays, one per
    area); ``benchmark`` is one value or one per area. Pass ``lower_998`` and
    ``upper_998`` for the two-level comparison.
    """
    above_word, below_word = _direction_words(polarity)
    lo, hi, bench = np.broadcast_arrays(
        _as_floats(lower), _as_floats(upper), _as_floats(benchmark)
    )
    comparable = np.isfinite(lo) & np.isfinite(hi) & np.isfinite(bench)
    with np.errstate(invalid="ignore"):
        above = comparable & (lo > bench)
        below = comparable & (hi < bench)
    outcome = np.full(lo.shape, SIMILAR, dtype=object)
    outcome[~comparable] = NOT_COMPARED
    two_level = lower_998 is not None or upper_998 is not None
    if not two_level:
        outcome[above] = above_word
        outcome[below] = below_word
    else:
        lo3, hi3 = np.broadcast_arrays(
            _as_floats(lower_998), _as_floats(upper_998), lo
        )[:2]
        with np.errstate(invalid="ignore"):
            above3 = above & np.isfinite(lo3) & (lo3 > bench)
            below3 = below & np.isfinite(hi3) & (hi3 < bench)
        outcome[above] = f"{above_word} 95%"
        outcome[below] = f"{below_word} 95%"
        outcome[above3] = f"{above_word} 99.8%"
        outcome[below3] = f"{below_word} 99.8%"
    if outcome.ndim == 0:
        return str(outcome[()])
    return outcome
