"""Fingertips (OHID) indicator-data CSV, exactly as Fingertips exports it.

The header must be the 26 columns Fingertips writes, in its order
(`CsvBuilderIndicatorDataHeaderWriter` in fingertips-open), with the one
dynamic column `Compared to <parent area type> value or percentiles` (or
`Compared to percentiles`), optionally followed by `Time period range`
(current exports). Older exports call `Compared to goal` `Target data`; both
are accepted. The comparison, trend and "New data" columns are read and
ignored: msknet computes its own comparisons.
"""

from __future__ import annotations

import re

from msknet.analytics.indicators import parse_period

from ..models import AreaType
from .csvfile import check_limits, number, records, whole_number
from .rows import AreaSpec, IndicatorSpec, ParsedFile, Progress, ValueRow

ENGLAND_COMPARISON = "Compared to England value or percentiles"
PARENT_COMPARISON = "Compared to <parent area type> value or percentiles"
GOAL = "Compared to goal"
OLD_GOAL = "Target data"
RANGE = "Time period range"
COLUMNS = (
    "Indicator ID",
    "Indicator Name",
    "Parent Code",
    "Parent Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Lower CI 99.8 limit",
    "Upper CI 99.8 limit",
    "Count",
    "Denominator",
    "Value note",
    "Recent Trend",
    ENGLAND_COMPARISON,
    PARENT_COMPARISON,
    "Time period Sortable",
    "New data",
    GOAL,
)
DYNAMIC = re.compile(r"^Compared to (.+ value or percentiles|percentiles)$")
NUMBER_FIELDS = {
    "Value": "value",
    "Lower CI 95.0 limit": "lower_95",
    "Upper CI 95.0 limit": "upper_95",
    "Lower CI 99.8 limit": "lower_998",
    "Upper CI 99.8 limit": "upper_998",
}
REQUIRED_TEXT = ("Indicator Name", "Area Code", "Area Name", "Area Type", "Sex", "Age",
                 "Time period")


def area_type_from(text: str) -> str | None:
    """Our area type for Fingertips' area type name, or None if we do not keep it."""
    t = text.lower()
    if t == "england":
        return AreaType.ENGLAND
    if "sub-icb" in t or "sub icb" in t or "sicbl" in t:
        return AreaType.SUB_ICB
    if "region" in t:
        return AreaType.REGION
    if t.startswith("icb") or "integrated care board" in t:
        return AreaType.ICB
    if t.startswith("gp"):
        return AreaType.GP_PRACTICE
    if any(w in t for w in ("count", "district", "ua", "local authorit", "utla", "ltla")):
        return AreaType.LOCAL_AUTHORITY
    return None


def check_header(header: list[str], parsed: ParsedFile) -> dict[str, int] | None:
    """Column positions by Fingertips name, or None with the problems recorded."""
    names = [h.strip() for h in header]
    dynamic = [n for n in names if DYNAMIC.match(n) and n != ENGLAND_COMPARISON]
    expected = list(COLUMNS)
    if dynamic:
        expected[expected.index(PARENT_COMPARISON)] = dynamic[0]
    if OLD_GOAL in names and GOAL not in names:
        expected[expected.index(GOAL)] = OLD_GOAL
    allowed = [*expected, RANGE]
    missing = [c for c in expected if c not in names]
    unknown = [n for n in names if n not in allowed]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if missing:
        parsed.problem(1, "", "The header is missing the Fingertips column(s): "
                       + ", ".join(repr(c) for c in missing))
    if unknown:
        parsed.problem(1, "", "The header has column(s) Fingertips does not export: "
                       + ", ".join(repr(c) for c in unknown))
    if repeated:
        parsed.problem(1, "", "The header repeats the column(s): "
                       + ", ".join(repr(c) for c in repeated))
    if not (missing or unknown or repeated):
        in_order = [n for n in names if n != RANGE] == expected and (
            RANGE not in names or names[-1] == RANGE
        )
        if not in_order:
            parsed.problem(1, "", "The columns are not in the order Fingertips exports "
                           "them: " + ", ".join(allowed))
    if parsed.problems:
        return None
    return {n: i for i, n in enumerate(names)}


def read_fingertips(text: str, progress: Progress | None = None) -> ParsedFile:
    parsed = ParsedFile()
    rows = records(text)
    first = next(rows, None)
    if first is None:
        parsed.problem(None, "", "The file is empty")
        return parsed
    columns = check_header(first[1], parsed)
    if columns is None:
        return parsed
    names: dict[int, tuple[str, int]] = {}
    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    for count, (row, record) in enumerate(rows, start=1):
        parsed.rows_read = count
        if progress and count % 1000 == 0:
            progress(count)
        if len(record) != len(columns):
            parsed.problem(row, "", f"The row has {len(record)} columns; the header "
                           f"has {len(columns)}")
            continue
        cell = {name: record[i].strip() for name, i in columns.items()}
        before = len(parsed.problems)
        for name in REQUIRED_TEXT:
            if not cell[name]:
                parsed.problem(row, name, f"Enter the {name.lower()}")
        indicator_id = whole_number(parsed, row, "Indicator ID", cell["Indicator ID"])
        if not cell["Indicator ID"]:
            parsed.problem(row, "Indicator ID", "Enter the indicator ID")
        if indicator_id is not None and cell["Indicator Name"]:
            first_name = names.setdefault(indicator_id, (cell["Indicator Name"], row))
            if first_name[0] != cell["Indicator Name"]:
                parsed.problem(row, "Indicator Name",
                               f"Indicator {indicator_id} is called "
                               f"{first_name[0]!r} in row {first_name[1]}, not "
                               f"{cell['Indicator Name']!r}")
        area_type = area_type_from(cell["Area Type"]) if cell["Area Type"] else None
        if cell["Area Type"] and area_type is None:
            parsed.problem(row, "Area Type",
                           f"msknet does not keep {cell['Area Type']!r} areas: use "
                           "England, NHS regions, ICBs, sub-ICBs, local authorities "
                           "or GPs")
        if bool(cell["Category Type"]) != bool(cell["Category"]):
            parsed.problem(row, "Category", "Give both the category type and the "
                           "category, or neither")
        sortable = whole_number(parsed, row, "Time period Sortable",
                                cell["Time period Sortable"])
        period = parse_period(cell["Time period"]) if cell["Time period"] else None
        if sortable is None and period is None and cell["Time period"]:
            parsed.problem(row, "Time period",
                           f"{cell['Time period']!r} is not a time period msknet "
                           "recognises, and the row has no Time period Sortable")
        numbers = {
            attr: number(parsed, row, name, cell[name])
            for name, attr in NUMBER_FIELDS.items()
        }
        count_ = number(parsed, row, "Count", cell["Count"], minimum=0)
        denominator = number(parsed, row, "Denominator", cell["Denominator"], minimum=0)
        check_limits(parsed, row, numbers["lower_95"], numbers["upper_95"], "95.0")
        check_limits(parsed, row, numbers["lower_998"], numbers["upper_998"], "99.8")
        if len(parsed.problems) > before or indicator_id is None or area_type is None:
            continue
        value_row = ValueRow(
            row=row,
            indicator_key=str(indicator_id),
            area_code=cell["Area Code"].upper(),
            period=cell["Time period"],
            period_sortable=sortable if sortable is not None else period.sortable,  # type: ignore[union-attr]
            period_start=period.start if period else None,
            period_end=period.end if period else None,
            sex=cell["Sex"],
            age=cell["Age"],
            category_type=cell["Category Type"],
            category=cell["Category"],
            count=count_,
            denominator=denominator,
            value_note=cell["Value note"],
            **numbers,
        )
        key = (value_row.indicator_key, value_row.breakdown)
        if key in seen:
            parsed.problem(row, "", f"The row repeats row {seen[key]} (same indicator, "
                           "area, period, sex, age and category)")
            continue
        seen[key] = row
        parsed.rows.append(value_row)
        spec = parsed.indicators.setdefault(
            value_row.indicator_key,
            IndicatorSpec(key=value_row.indicator_key, name=cell["Indicator Name"],
                          first_row=row, fingertips_id=indicator_id),
        )
        spec.period_types.add(period.type if period else "other")
        area = parsed.areas.setdefault(
            value_row.area_code,
            AreaSpec(code=value_row.area_code, name=cell["Area Name"],
                     area_type=area_type, parent_code=cell["Parent Code"].upper(),
                     first_row=row),
        )
        if area.area_type != area_type:
            parsed.problem(row, "Area Type", f"{area.code} has another area type in "
                           f"row {area.first_row}")
    if not parsed.rows_read and not parsed.problems:
        parsed.problem(None, "", "The file has a header but no rows")
    return parsed
