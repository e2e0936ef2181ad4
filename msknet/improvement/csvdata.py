"""Reading a measure's data points from CSV: `period,value[,quintile][,annotation]`.

The whole file is checked before anything is saved: `parse_points` returns
every row it could read and every problem, naming the row (as a spreadsheet
numbers it, the headings being row 1) and the field. No side effects.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from msknet.insights.importers.csvfile import NotText, decode, records
from msknet.insights.importers.rows import Problem

COLUMNS = ("period", "value", "quintile", "annotation")
REQUIRED = ("period", "value")
MAX_ROWS = 5000
MAX_ANNOTATION = 200
# ASCII digits only: `\d`, int() and float() also take other scripts' digits
# ('١٢') and underscores ('1_000'), which no spreadsheet means.
MONTH = re.compile(r"^([0-9]{4})-([0-9]{1,2})$")
DAY = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
NUMBER = re.compile(
    r"^[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]+)?(?:[eE][+-]?[0-9]{1,3})?$"
)
FIRST_YEAR, LAST_YEAR = 1900, 2100
EXAMPLE = "period,value,quintile,annotation\n2025-04,42.5,,New triage form\n"


@dataclass(frozen=True)
class PointRow:
    row: int
    period: dt.date
    value: float
    quintile: int | None
    annotation: str


@dataclass
class ParsedPoints:
    rows: list[PointRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, row: int | None, field: str, message: str) -> None:
        self.problems.append(Problem(row, field, message))

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_period(text: str) -> dt.date:
    """'2025-04' (a month) or '2025-04-01' as a date, in ASCII digits and
    between 1900 and 2100; ValueError otherwise."""
    text = text.strip()
    month, day = MONTH.match(text), DAY.match(text)
    if month:
        period = dt.date(int(month.group(1)), int(month.group(2)), 1)
    elif day:
        period = dt.date(*(int(part) for part in day.groups()))
    else:
        raise ValueError(f"not a period: {text!r}")
    if not FIRST_YEAR <= period.year <= LAST_YEAR:
        raise ValueError(f"the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    return period


def parse_number(text: str) -> float:
    """A finite number in ASCII digits, such as 42, -3.5, 1,250 or 1.2E+03
    (commas only between thousands); ValueError otherwise."""
    text = text.strip()
    if not text or not any(c.isdigit() for c in text) or not NUMBER.match(text):
        raise ValueError(f"not a number: {text!r}")
    value = float(text.replace(",", ""))
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def parse_points(content: bytes) -> ParsedPoints:
    parsed = ParsedPoints()
    try:
        text = decode(content)
    except NotText as error:
        parsed.problem(None, "", str(error))
        return parsed
    rows = records(text)
    header = next(rows, None)
    if header is None:
        parsed.problem(None, "", "The file is empty: it needs a row of headings "
                       "(period,value) and at least one row of data")
        return parsed
    header_row, headings = header
    names = [h.strip().lower() for h in headings]
    unknown = [n for n in names if n not in COLUMNS]
    missing = [n for n in REQUIRED if n not in names]
    if missing or unknown or len(set(names)) != len(names):
        parsed.problem(header_row, "headings",
                       "The first row must be the headings period,value and "
                       "optionally quintile and annotation"
                       + (f" (missing: {', '.join(missing)})" if missing else "")
                       + (f" (not known: {', '.join(unknown)})" if unknown else ""))
        return parsed
    seen: dict[tuple[dt.date, int | None], int] = {}
    for number, cells in rows:
        if len(parsed.rows) + len(parsed.problems) >= MAX_ROWS:
            parsed.problem(number, "", f"The file has more than {MAX_ROWS} rows of "
                           "data: split it into smaller files")
            break
        if len(cells) > len(names):
            parsed.problem(number, "", f"The row has {len(cells)} cells but there "
                           f"are {len(names)} headings")
            continue
        cell = dict(zip(names, [c.strip() for c in cells], strict=False))
        point = _row(parsed, number, cell)
        if point is None:
            continue
        key = (point.period, point.quintile)
        if key in seen:
            parsed.problem(number, "period", f"{point.period:%B %Y} is already on row "
                           f"{seen[key]}" + (f" for quintile {point.quintile}"
                                              if point.quintile else ""))
            continue
        seen[key] = number
        parsed.rows.append(point)
    if parsed.ok and not parsed.rows:
        parsed.problem(None, "", "The file has headings but no rows of data")
    return parsed


def _row(parsed: ParsedPoints, number: int, cell: dict[str, str]) -> PointRow | None:
    before = len(parsed.problems)
    period = value = quintile = None
    text = cell.get("period", "")
    if not text:
        parsed.problem(number, "period", "Enter the period, such as 2025-04")
    else:
        try:
            period = parse_period(text)
        except ValueError:
            parsed.problem(number, "period", f"Enter the period as a month (2025-04) "
                           f"or a date (2025-04-01) between {FIRST_YEAR} and "
                           f"{LAST_YEAR}, in the digits 0 to 9, not {text!r}")
    text = cell.get("value", "")
    if not text:
        parsed.problem(number, "value", "Enter a value")
    else:
        try:
            value = parse_number(text)
        except ValueError:
            parsed.problem(number, "value", f"Enter a number, not {text!r}: use "
                           "the digits 0 to 9, such as 42.5 or 1,250")
    text = cell.get("quintile", "")
    if text:
        if text in {"1", "2", "3", "4", "5"}:
            quintile = int(text)
        else:
            parsed.problem(number, "quintile", "Enter a deprivation quintile from 1 "
                           f"(most deprived) to 5 (least), or leave it blank, not "
                           f"{text!r}")
    annotation = cell.get("annotation", "")
    if len(annotation) > MAX_ANNOTATION:
        parsed.problem(number, "annotation", f"The annotation must be "
                       f"{MAX_ANNOTATION} characters or fewer")
    if "\x00" in annotation:
        parsed.problem(number, "annotation", "Remove the null character")
    if len(parsed.problems) > before or period is None or value is None:
        return None
    return PointRow(number, period, value, quintile, annotation)
