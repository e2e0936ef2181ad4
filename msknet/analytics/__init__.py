"""Django-free analytics for msknet: SPC, public-health statistics, prescribing.

Nothing in this package may import Django: outside analysts use it directly,
and the web modules call it as a library.

    from msknet.analytics import spc, phe

Submodules load when first used, so a command that needs only one of them
(the prescribing import, say) does not pay for SciPy.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["indicators", "phe", "prescribing", "spc"]


def __getattr__(name: str) -> ModuleType:
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
