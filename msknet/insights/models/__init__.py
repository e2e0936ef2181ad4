from .areas import Area, AreaPopulation, AreaType
from .imports import ImportRun, ImportStatus, SourceKind
from .indicators import Indicator, IndicatorValue, PeriodType, Polarity, ValueType
from .stewards import DataSteward, InsightsAudit

__all__ = [
    "Area",
    "AreaPopulation",
    "AreaType",
    "DataSteward",
    "ImportRun",
    "ImportStatus",
    "Indicator",
    "IndicatorValue",
    "InsightsAudit",
    "PeriodType",
    "Polarity",
    "SourceKind",
    "ValueType",
]
