"""The vectorised XmR engine shared by ``xmr`` and ``xmr_many``.

Every chart, single or many, goes through :func:`compute_groups`, so the two
public functions give bit-for-bit the same numbers. A *group* is one series, or
one rebase segment of a series: limits and rules never cross a group boundary.

Groups are laid out as rows of a NaN-padded matrix. Groups of very different
lengths are put in separate matrices (buckets by powers of two) so that one long
series does not pad thousands of short ones. Python loops run over buckets,
rule lengths and summation levels, never over series or points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
CodeArray = npt.NDArray[np.int8]

#: Process limits: mean ± 2.66 × mean moving range (3 / d2, d2 = 1.128).
LIMIT = 2.66
#: "Near" limits, two sigma: two thirds of the process-limit width.
LIMIT_CLOSE = 2 * (LIMIT / 3)
#: Moving ranges not below 3.267 × their mean are screened out (D4, n = 2).
SCREEN = 3.267

# Special-cause codes, in the order of SpecialCauseType in _types.py.
COMMON = 0
ABOVE_UPL = 1
BELOW_LPL = 2
TREND_INCREASING = 3
TREND_DECREASING = 4
TWO_IN_THREE_ABOVE = 5
TWO_IN_THREE_BELOW = 6
RUN_ABOVE = 7
RUN_BELOW = 8


@dataclass(frozen=True)
class RuleOptions:
    """The method's options, already validated."""

    fix_after_n_points: int | None = None
    screen_outliers: bool = True
    run_length: int = 7
    trend_length: int = 7
    two_in_three_beyond_limits: bool = False


@dataclass(frozen=True)
class GroupResult:
    """Per-point results, aligned with the flat input."""

    mean: FloatArray
    lpl: FloatArray
    upl: FloatArray
    code: CodeArray


def row_sums(x: FloatArray) -> FloatArray:
    """Sum each row of a NaN-free matrix with cascaded error-free additions.

    Columns are added pairwise (a binary tree), and the rounding error of every
    addition is recovered exactly (Knuth's TwoSum) and carried in a second
    tree. The result is as accurate as a sum in twice the working precision,
    which for real data is the correctly rounded sum, like ``math.fsum``.
    The tree depends only on column positions, so zero padding on the right
    never changes a row's result.
    """
    s = x
    e = np.zeros_like(x)
    while s.shape[1] > 1:
        if s.shape[1] % 2:
            pad = np.zeros((s.shape[0], 1))
            s = np.concatenate([s, pad], axis=1)
            e = np.concatenate([e, pad], axis=1)
        a = s[:, 0::2]
        b = s[:, 1::2]
        t = a + b
        bv = t - a
        err = (a - (t - bv)) + (b - bv)
        e = (e[:, 0::2] + e[:, 1::2]) + err
        s = t
    if s.shape[1] == 0:
        return np.zeros(s.shape[0])
    out: FloatArray = s[:, 0] + e[:, 0]
    return out


def row_means(x: FloatArray) -> FloatArray:
    """Mean of the non-NaN entries of each row; NaN for a row with none.

    Like R's ``mean()``, a first estimate is refined by the mean of the
    residuals, so that (say) nine copies of 0.1 have a mean of exactly 0.1.
    """
    present = ~np.isnan(x)
    n = present.sum(axis=1)
    safe_n = np.where(n > 0, n, 1).astype(np.float64)
    m0 = row_sums(np.where(present, x, 0.0)) / safe_n
    residual = row_sums(np.where(present, x - m0[:, None], 0.0)) / safe_n
    out: FloatArray = np.where(n > 0, m0 + residual, np.nan)
    return out


def _windows_all(b: BoolArray, k: int) -> BoolArray:
    """``w[:, j]`` is True when ``b[:, j : j + k]`` is all True."""
    width = b.shape[1] - k + 1
    if width <= 0:
        return np.zeros((b.shape[0], 0), dtype=bool)
    w = b[:, :width].copy()
    for offset in range(1, k):
        w &= b[:, offset : offset + width]
    return w


def _part_of(w: BoolArray, k: int, n_cols: int) -> BoolArray:
    """Mark every point covered by a qualifying window of ``k`` points."""
    part = np.zeros((w.shape[0], n_cols), dtype=bool)
    width = w.shape[1]
    if width == 0:
        return part
    for offset in range(k):
        part[:, offset : offset + width] |= w
    return part


def _rules(
    y: FloatArray,
    mean: FloatArray,
    lpl: FloatArray,
    upl: FloatArray,
    amr: FloatArray,
    options: RuleOptions,
) -> CodeArray:
    """Special-cause code for every cell of a (groups × points) matrix."""
    n_cols = y.shape[1]
    m = mean[:, None]
    above = y > m
    below = y < m
    outside = (y > upl[:, None]) | (y < lpl[:, None])
    beyond_two_sigma = (y > (m + LIMIT_CLOSE * amr[:, None])) | (
        y < (m - LIMIT_CLOSE * amr[:, None])
    )
    close = (
        beyond_two_sigma
        if options.two_in_three_beyond_limits
        else (beyond_two_sigma & ~outside)
    )

    # Trend: trend_length points, i.e. trend_length - 1 strict rises (falls).
    rises = y[:, 1:] > y[:, :-1]
    falls = y[:, 1:] < y[:, :-1]
    k = options.trend_length
    part_rising = _part_of(_windows_all(rises, k - 1), k, n_cols)
    part_falling = _part_of(_windows_all(falls, k - 1), k, n_cols)
    # A turning point shared by a falling and a rising trend takes the
    # direction of the trend that starts at it (the step to its right).
    rises_next = np.zeros_like(above)
    rises_next[:, :-1] = rises
    trend_up = part_rising & (~part_falling | rises_next)

    # Two in three: a window of 3 points all on one side of the mean with at
    # least 2 "close" points; only the close points are flagged.
    n_close = np.zeros((y.shape[0], max(n_cols - 2, 0)), dtype=np.int64)
    for offset in range(3):
        n_close += close[:, offset : offset + n_close.shape[1]]
    qualifies = (n_close >= 2) & (_windows_all(above, 3) | _windows_all(below, 3))
    part_two_in_three = _part_of(qualifies, 3, n_cols) & close

    # Run (shift): run_length points strictly on one side of the mean.
    k = options.run_length
    part_run = _part_of(_windows_all(above, k), k, n_cols) | _part_of(
        _windows_all(below, k), k, n_cols
    )

    code: CodeArray = np.select(
        [
            outside & above,
            outside,
            trend_up,
            part_rising | part_falling,
            part_two_in_three & above,
            part_two_in_three,
            part_run & above,
            part_run,
        ],
        [
            ABOVE_UPL,
            BELOW_LPL,
            TREND_INCREASING,
            TREND_DECREASING,
            TWO_IN_THREE_ABOVE,
            TWO_IN_THREE_BELOW,
            RUN_ABOVE,
            RUN_BELOW,
        ],
        COMMON,
    ).astype(np.int8)
    return code


def _limits(
    y: FloatArray, options: RuleOptions
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Centre line, lower and upper limits and mean moving range per row."""
    baseline = y
    n_fix = options.fix_after_n_points
    if n_fix is not None and n_fix < y.shape[1]:
        baseline = y.copy()
        baseline[:, n_fix:] = np.nan
    mean = row_means(baseline)
    moving_range = np.abs(baseline[:, 1:] - baseline[:, :-1])
    amr = row_means(moving_range)
    if options.screen_outliers:
        # Strict "<": a moving range equal to the threshold is dropped, and so
        # is every moving range of a constant series (0 < 0 is false).
        keep = moving_range < SCREEN * amr[:, None]
        amr = row_means(np.where(keep, moving_range, np.nan))
    lpl = mean - LIMIT * amr
    upl = mean + LIMIT * amr
    return mean, lpl, upl, amr


def compute_groups(
    values: FloatArray, group_starts: IntArray, options: RuleOptions
) -> GroupResult:
    """Limits and special-cause codes for consecutive groups of a flat array.

    ``values`` holds all groups one after another (each in date order, NaN for
    a missing value); ``group_starts`` is the index where each group starts.
    """
    n = values.shape[0]
    mean_out = np.full(n, np.nan)
    lpl_out = np.full(n, np.nan)
    upl_out = np.full(n, np.nan)
    code_out = np.zeros(n, dtype=np.int8)
    if n == 0:
        return GroupResult(mean_out, lpl_out, upl_out, code_out)
    lengths = np.diff(np.append(group_starts, n))
    bucket = np.ceil(np.log2(lengths)).astype(np.int64)
    with np.errstate(all="ignore"):
        for b in np.unique(bucket):
            rows = np.flatnonzero(bucket == b)
            starts = group_starts[rows]
            width = int(lengths[rows].max())
            cols = np.arange(width)
            valid = cols[None, :] < lengths[rows][:, None]
            index = np.where(valid, starts[:, None] + cols[None, :], 0)
            y = np.where(valid, values[index], np.nan)
            mean, lpl, upl, amr = _limits(y, options)
            code = _rules(y, mean, lpl, upl, amr, options)
            flat = index[valid]
            mean_out[flat] = np.broadcast_to(mean[:, None], y.shape)[valid]
            lpl_out[flat] = np.broadcast_to(lpl[:, None], y.shape)[valid]
            upl_out[flat] = np.broadcast_to(upl[:, None], y.shape)[valid]
            code_out[flat] = code[valid]
    return GroupResult(mean_out, lpl_out, upl_out, code_out)
