"""Statistical process control (SPC) by NHS England's Making Data Count method.

``xmr`` draws an XmR chart of one series and ``xmr_many`` of thousands at
once, both exactly as NHSRplotthedots 0.2.x does by default; ``run_chart``
draws a run chart for series too short for limits. See ``docs/methods/``.

    >>> from msknet.analytics import spc
    >>> chart = spc.xmr([3, 4, 3, 5, 4, 9], improvement="decrease")
    >>> chart.variation
    <Variation.COMMON_CAUSE: 'common_cause'>
"""

from ._core import LIMIT, LIMIT_CLOSE, SCREEN
from ._inputs import SPCInputError
from ._types import (
    Assurance,
    Improvement,
    PointType,
    SpecialCauseType,
    Variation,
    XmRChart,
    XmRPoint,
)
from .run_chart import RunChart, RunChartPoint, RunChartSignal, run_chart
from .xmr import XmRMany, xmr, xmr_many

__all__ = [
    "LIMIT",
    "LIMIT_CLOSE",
    "SCREEN",
    "Assurance",
    "Improvement",
    "PointType",
    "RunChart",
    "RunChartPoint",
    "RunChartSignal",
    "SPCInputError",
    "SpecialCauseType",
    "Variation",
    "XmRChart",
    "XmRMany",
    "XmRPoint",
    "run_chart",
    "xmr",
    "xmr_many",
]
