from .areas import Area, AreaType
from .imports import ImportRun, ImportStatus, SourceKind
from .indicators import Indicator, IndicatorValue, PeriodType, Polarity, ValueType

__all__ = [
    "Area",
    "AreaType",
    "ImportRun",
    "ImportStatus",
    "Indicator",
    "IndicatorValue",
    "PeriodType",
    "Polarity",
    "SourceKind",
    "ValueType",
]
