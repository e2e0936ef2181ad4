"""The prescribing engine: NHSBSA English Prescribing Dataset to measures.

    from msknet.analytics.prescribing import Store, import_files, compute
    store = Store("var/data/prescribing")
    import_files(store, ["EPD_SNOMED_202401.csv.gz"], ["gp-reg-pat-prac-all.csv"])
    result = compute(store, "opioid_ome", "icb")   # month, org_code, numerator, ...

Django-free. Methods in ``docs/methods/prescribing-ome.md``.
"""

from typing import Any

from .engine import LEVELS, MeasureResult, compute, practice_values
from .errors import InputError, MeasureError, PrescribingError
from .importer import ImportSummary, import_files
from .measures import Measure, all_measures, load_measure, measure_ids
from .store import Store, default_store_dir

__all__ = [
    "LEVELS",
    "Funnel",
    "FunnelPoint",
    "ImportSummary",
    "InputError",
    "Measure",
    "MeasureError",
    "MeasureResult",
    "PrescribingError",
    "Reduction",
    "SPCChange",
    "Store",
    "all_measures",
    "compute",
    "deciles",
    "default_store_dir",
    "funnel",
    "funnel_outliers",
    "import_files",
    "load_measure",
    "measure_ids",
    "percentiles",
    "potential_reductions",
    "practice_values",
    "spc_changes",
]

# The outlier and change finders need SciPy (through the statistics library);
# load them when first used, so importing and measuring stay quick to start.
_ANALYSIS = {
    "Funnel",
    "FunnelPoint",
    "Reduction",
    "SPCChange",
    "deciles",
    "funnel",
    "funnel_outliers",
    "percentiles",
    "potential_reductions",
    "spc_changes",
}


def __getattr__(name: str) -> Any:
    if name in _ANALYSIS:
        from . import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
