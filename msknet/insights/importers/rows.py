"""What a parsed file holds before it touches the database."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

#: Fields compared to decide whether a value changed on re-import.
VALUE_FIELDS = (
    "value",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "count",
    "denominator",
    "value_note",
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: the row (as a spreadsheet numbers it), field, what."""

    row: int | None
    field: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "File"
        return f"{where}, {self.field}: {self.message}" if self.field else (
            f"{where}: {self.message}"
        )


@dataclass
class IndicatorSpec:
    """An indicator as a file names it: found in the database or created from this."""

    key: str  # Fingertips ID as text, or the local file's slug or name
    name: str
    first_row: int
    fingertips_id: int | None = None
    value_type: str | None = None
    multiplier: float | None = None
    polarity: str | None = None
    unit: str = ""
    period_types: set[str] = field(default_factory=set)


@dataclass
class AreaSpec:
    """An area a Fingertips file names, created if it is a GP practice or finer."""

    code: str
    name: str
    area_type: str
    parent_code: str
    first_row: int


@dataclass
class ValueRow:
    row: int
    indicator_key: str
    area_code: str
    period: str
    period_sortable: int
    period_start: date | None
    period_end: date | None
    sex: str
    age: str
    category_type: str
    category: str
    value: float | None = None
    lower_95: float | None = None
    upper_95: float | None = None
    lower_998: float | None = None
    upper_998: float | None = None
    count: float | None = None
    denominator: float | None = None
    value_note: str = ""
    limits_computed: bool = False

    @property
    def breakdown(self) -> tuple[str, str, str, str, str, str]:
        """Everything but the indicator that makes a value unique."""
        return (self.area_code, self.period, self.sex, self.age,
                self.category_type, self.category)


@dataclass
class ParsedFile:
    rows: list[ValueRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    indicators: dict[str, IndicatorSpec] = field(default_factory=dict)
    areas: dict[str, AreaSpec] = field(default_factory=dict)
    rows_read: int = 0

    def problem(self, row: int | None, field_name: str, message: str) -> None:
        self.problems.append(Problem(row, field_name, message))


Progress = Callable[[int], None]


def same(a: object, b: object) -> bool:
    """Equal, treating two NaNs or two Nones as the same."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b
