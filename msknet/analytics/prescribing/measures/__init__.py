"""Measure definitions: one reviewed TOML file per measure, its SQL beside it.

    >>> from msknet.analytics.prescribing.measures import load_measure
    >>> load_measure("opioid_ome").unit
    'mg OME per 1,000 patients'
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ..errors import MeasureError

POLARITIES = ("lower_is_better", "higher_is_better", "neutral")
STRENGTHS = ("none", "opioid", "plain")
_PACKAGE = "msknet.analytics.prescribing.measures"


@dataclass(frozen=True, slots=True)
class Measure:
    """A reviewed measure definition (see ``measures/*.toml``)."""

    id: str
    title: str
    description: str
    unit: str
    per: int
    polarity: str
    sql: str
    numerator_description: str
    bnf_codes: tuple[str, ...]
    exclude_bnf_codes: tuple[str, ...]
    strength: str
    denominator_description: str
    denominator_type: str
    authored_by: str
    checked_by: str
    date_reviewed: dt.date
    next_review: dt.date
    caveats: str = ""
    references: tuple[str, ...] = ()
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def sql_text(self) -> str:
        """The measure's numerator SQL."""
        return resources.files(_PACKAGE).joinpath(self.sql).read_text(encoding="utf-8")

    @property
    def reviewed(self) -> bool:
        """Whether a reviewer has checked the definition: ``checked_by`` names
        one, rather than a ``PENDING: ...`` note of the review awaited."""
        pending = self.checked_by.upper().startswith("PENDING")
        return bool(self.checked_by) and not pending

    @property
    def improvement(self) -> str:
        """The SPC improvement direction for this polarity."""
        return {"lower_is_better": "decrease", "higher_is_better": "increase"}.get(
            self.polarity, "neutral"
        )

    def includes(self, bnf_code: str) -> bool:
        """Whether a presentation belongs to the numerator."""
        return bnf_code.startswith(self.bnf_codes) and not bnf_code.startswith(
            self.exclude_bnf_codes or ("\0",)
        )


def _need(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in data:
        raise MeasureError(f"{where}: missing {key!r}")
    value = data[key]
    if not isinstance(value, kind):
        raise MeasureError(f"{where}: {key!r} must be {kind.__name__}")
    return value


def parse_measure(text: str, where: str) -> Measure:
    """A :class:`Measure` from TOML text, checked field by field."""
    data = tomllib.loads(text)
    num = _need(data, "numerator", dict, where)
    den = _need(data, "denominator", dict, where)
    polarity = _need(data, "polarity", str, where)
    if polarity not in POLARITIES:
        raise MeasureError(f"{where}: polarity must be one of {POLARITIES}")
    strength = _need(num, "strength", str, where)
    if strength not in STRENGTHS:
        raise MeasureError(f"{where}: numerator.strength must be one of {STRENGTHS}")
    if _need(den, "type", str, where) != "list_size":
        raise MeasureError(f"{where}: only denominator.type = 'list_size' is supported")
    reviewed = _need(data, "date_reviewed", dt.date, where)
    next_review = _need(data, "next_review", dt.date, where)
    if next_review <= reviewed:
        raise MeasureError(f"{where}: next_review must follow date_reviewed")
    codes = tuple(_need(num, "bnf_codes", list, where))
    if not codes or not all(isinstance(c, str) and c for c in codes):
        raise MeasureError(f"{where}: numerator.bnf_codes must be non-empty strings")
    return Measure(
        id=_need(data, "id", str, where),
        title=_need(data, "title", str, where),
        description=" ".join(_need(data, "description", str, where).split()),
        unit=_need(data, "unit", str, where),
        per=_need(data, "per", int, where),
        polarity=polarity,
        sql=_need(data, "sql", str, where),
        numerator_description=_need(num, "description", str, where),
        bnf_codes=codes,
        exclude_bnf_codes=tuple(num.get("exclude_bnf_codes", [])),
        strength=strength,
        denominator_description=_need(den, "description", str, where),
        denominator_type="list_size",
        authored_by=_need(data, "authored_by", str, where),
        checked_by=_need(data, "checked_by", str, where),
        date_reviewed=reviewed,
        next_review=next_review,
        caveats=str(data.get("caveats", "")),
        references=tuple(data.get("references", [])),
        parameters=dict(data.get("parameters", {})),
    )


@cache
def measure_ids() -> tuple[str, ...]:
    """The ids of the packaged measures, sorted."""
    return tuple(
        sorted(
            p.name.removesuffix(".toml")
            for p in resources.files(_PACKAGE).iterdir()
            if p.name.endswith(".toml")
        )
    )


@cache
def load_measure(measure_id: str) -> Measure:
    """The packaged measure ``measure_id`` (:class:`MeasureError` if unknown)."""
    if measure_id not in measure_ids():
        raise MeasureError(
            f"unknown measure {measure_id!r}; known: {', '.join(measure_ids())}"
        )
    path = resources.files(_PACKAGE).joinpath(f"{measure_id}.toml")
    measure = parse_measure(path.read_text(encoding="utf-8"), f"{measure_id}.toml")
    if measure.id != measure_id:
        raise MeasureError(f"{measure_id}.toml: id is {measure.id!r}")
    return measure


def all_measures() -> list[Measure]:
    """Every packaged measure."""
    return [load_measure(i) for i in measure_ids()]


@cache
def import_prefixes() -> tuple[str, ...]:
    """The BNF code prefixes an import keeps: every packaged measure's
    ``numerator.bnf_codes``, less any that a shorter one covers.

    Rows with other BNF codes are counted at import but not stored, so a new
    measure file extends this list, and months imported before it need
    importing again (the engine says so; ``loads.json`` records each month's
    prefixes).

    >>> import_prefixes()[:2]
    ('0407010F0', '0407010N0')
    """
    kept: list[str] = []
    for code in sorted({c for m in all_measures() for c in m.bnf_codes}, key=len):
        if not code.startswith(tuple(kept)):
            kept.append(code)
    return tuple(sorted(kept))
