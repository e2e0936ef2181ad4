"""Known metadata for Fingertips indicators, which Fingertips' data exports lack.

The facts live in `msknet/insights/data/fingertips_indicators.csv`; its README
says where each comes from. The importer uses them only when it creates an
indicator it has not seen.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..models import Polarity, ValueType

METADATA_FILE = Path(__file__).resolve().parent.parent / "data" / "fingertips_indicators.csv"


@dataclass(frozen=True)
class KnownIndicator:
    fingertips_id: int
    name: str
    value_type: str
    multiplier: float
    unit: str
    polarity: str
    method: str
    source: str


class BadMetadata(ValueError):
    """The metadata file has a row msknet cannot use."""


def parse_metadata(text: str) -> dict[int, KnownIndicator]:
    """The rows by Fingertips ID; BadMetadata names the first bad row."""
    found: dict[int, KnownIndicator] = {}
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for number, row in enumerate(reader, start=2):
        cell = {k: (v or "").strip() for k, v in row.items()}
        try:
            known = KnownIndicator(
                fingertips_id=int(cell["fingertips_id"]),
                name=cell["name"],
                value_type=ValueType(cell["value_type"]),
                multiplier=float(cell["multiplier"]),
                unit=cell["unit"],
                polarity=Polarity(cell["polarity"]),
                method=cell["method"],
                source=cell["source"],
            )
        except (KeyError, ValueError) as error:
            raise BadMetadata(f"Row {number} of {METADATA_FILE.name}: {error}") from error
        if known.value_type == ValueType.UNKNOWN or known.multiplier <= 0 or (
            known.value_type == ValueType.PROPORTION and known.multiplier not in (1, 100)
        ):
            raise BadMetadata(f"Row {number} of {METADATA_FILE.name}: value type "
                              f"{known.value_type} with multiplier {known.multiplier:g}")
        if known.fingertips_id in found:
            raise BadMetadata(f"Row {number} of {METADATA_FILE.name} repeats "
                              f"indicator {known.fingertips_id}")
        found[known.fingertips_id] = known
    return found


@cache
def known_fingertips_indicators() -> dict[int, KnownIndicator]:
    return parse_metadata(METADATA_FILE.read_text(encoding="utf-8"))
