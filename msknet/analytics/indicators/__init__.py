"""Indicator helpers for the insights module: time periods and benchmark comparison.

Pure Python and NumPy: no Django.

>>> from msknet.analytics.indicators import compare, parse_period
>>> str(compare(18.1, 19.3, 17.0, polarity="lower_is_better"))
'worse'
>>> parse_period("2022/23").start.isoformat()
'2022-04-01'
"""

from .compare import (
    BETTER,
    HIGHER,
    LOWER,
    NOT_COMPARED,
    OUTCOMES,
    POLARITIES,
    SIMILAR,
    WORSE,
    compare,
)
from .periods import Period, parse_period

__all__ = [
    "BETTER",
    "HIGHER",
    "LOWER",
    "NOT_COMPARED",
    "OUTCOMES",
    "POLARITIES",
    "SIMILAR",
    "WORSE",
    "Period",
    "compare",
    "parse_period",
]
