"""Django-free analytics for msknet: SPC, public-health statistics, prescribing.

Nothing in this package may import Django: outside analysts use it directly,
and the web modules call it as a library.

    from msknet.analytics import spc, phe
"""

from . import phe, spc

__all__ = ["phe", "spc"]
