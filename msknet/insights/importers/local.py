"""msknet's long CSV for local figures (see docs/insights-local-csv.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from msknet.analytics.indicators import parse_period

from ..models import Polarity, ValueType
from .csvfile import check_limits, number, records
from .rows import IndicatorSpec, ParsedFile, Progress, ValueRow

REQUIRED = ("indicator", "area_code", "period")
OPTIONAL = (
    "value",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "count",
    "denominator",
    "sex",
    "age",
    "category_type",
    "category",
    "value_note",
    # Only used to create an indicator msknet does not know yet.
    "value_type",
    "multiplier",
    "unit",
    "polarity",
)
NEW_INDICATOR_FIELDS = ("value_type", "multiplier", "unit", "polarity")
VALUE_TYPES = [v for v in ValueType.values if v != ValueType.UNKNOWN]
DEFAULT_MULTIPLIER = {"proportion": 100.0, "rate": 100000.0, "ratio": 1.0, "mean": 1.0}


def check_header(header: list[str], parsed: ParsedFile) -> dict[str, int] | None:
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    unknown = [h.strip() for h, n in zip(header, names, strict=True)
               if n not in REQUIRED + OPTIONAL]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if missing:
        parsed.problem(1, "", "The header is missing the column(s): " + ", ".join(missing))
    if unknown:
        parsed.problem(1, "", "The header has column(s) msknet does not know: "
                       + ", ".join(repr(c) for c in unknown)
                       + ". See the local CSV guide for the columns")
    if repeated:
        parsed.problem(1, "", "The header repeats the column(s): " + ", ".join(repeated))
    if parsed.problems:
        return None
    return {n: i for i, n in enumerate(names)}


def read_local(text: str, progress: Progress | None = None) -> ParsedFile:
    parsed = ParsedFile()
    rows = records(text)
    first = next(rows, None)
    if first is None:
        parsed.problem(None, "", "The file is empty")
        return parsed
    columns = check_header(first[1], parsed)
    if columns is None:
        return parsed
    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    for count, (row, record) in enumerate(rows, start=1):
        parsed.rows_read = count
        if progress and count % 1000 == 0:
            progress(count)
        if len(record) != len(columns):
            parsed.problem(row, "", f"The row has {len(record)} columns; the header "
                           f"has {len(columns)}")
            continue
        cell = {c: record[i].strip() for c, i in columns.items()}

        def get(name: str, cell: dict[str, str] = cell) -> str:
            return cell.get(name, "")

        before = len(parsed.problems)
        for name in REQUIRED:
            if not get(name):
                parsed.problem(row, name, f"Enter the {name.replace('_', ' ')}")
        period = parse_period(get("period")) if get("period") else None
        if get("period") and period is None:
            parsed.problem(row, "period",
                           f"{get('period')!r} is not a period msknet recognises: write "
                           "it like 2023, 2022/23, 2020 - 22, 2022/23 Q1, 2023 Q1, "
                           "2023-04 or Apr 2023")
        if bool(get("category_type")) != bool(get("category")):
            parsed.problem(row, "category", "Give both the category type and the "
                           "category, or neither")
        values = {
            name: number(parsed, row, name, get(name))
            for name in ("value", "lower_95", "upper_95", "lower_998", "upper_998")
        }
        count_ = number(parsed, row, "count", get("count"), minimum=0)
        denominator = number(parsed, row, "denominator", get("denominator"), minimum=0)
        if values["value"] is None and (count_ is None or denominator is None) and (
            not get("value")
        ):
            parsed.problem(row, "value", "Enter the value, or the count and denominator "
                           "to compute it from")
        check_limits(parsed, row, values["lower_95"], values["upper_95"], "95")
        check_limits(parsed, row, values["lower_998"], values["upper_998"], "99.8")
        spec_fields = read_indicator_fields(parsed, row, get)
        if len(parsed.problems) > before or period is None:
            continue
        value_row = ValueRow(
            row=row,
            indicator_key=get("indicator"),
            area_code=get("area_code").upper(),
            period=get("period"),
            period_sortable=period.sortable,
            period_start=period.start,
            period_end=period.end,
            sex=get("sex") or "Persons",
            age=get("age") or "All ages",
            category_type=get("category_type"),
            category=get("category"),
            count=count_,
            denominator=denominator,
            value_note=get("value_note"),
            **values,
        )
        key = (value_row.indicator_key.lower(), value_row.breakdown)
        if key in seen:
            parsed.problem(row, "", f"The row repeats row {seen[key]} (same indicator, "
                           "area, period, sex, age and category)")
            continue
        seen[key] = row
        parsed.rows.append(value_row)
        spec = parsed.indicators.get(value_row.indicator_key)
        if spec is None:
            spec = parsed.indicators[value_row.indicator_key] = IndicatorSpec(
                key=value_row.indicator_key, name=value_row.indicator_key,
                first_row=row, **spec_fields,
            )
        else:
            for name, given in spec_fields.items():
                if given not in (None, "") and getattr(spec, name) not in (None, "", given):
                    parsed.problem(row, name, f"{value_row.indicator_key!r} has "
                                   f"{name} {getattr(spec, name)!r} in row "
                                   f"{spec.first_row}, not {given!r}")
                elif given not in (None, ""):
                    setattr(spec, name, given)
        spec.period_types.add(period.type)
    if not parsed.rows_read and not parsed.problems:
        parsed.problem(None, "", "The file has a header but no rows")
    return parsed


def read_indicator_fields(
    parsed: ParsedFile, row: int, read: Callable[[str], str]
) -> dict[str, Any]:
    """The optional new-indicator columns of one row, checked."""
    fields: dict[str, Any] = {"value_type": None, "multiplier": None, "unit": "",
                                 "polarity": None}
    value_type = read("value_type").lower()
    if value_type:
        if value_type in VALUE_TYPES:
            fields["value_type"] = value_type
        else:
            parsed.problem(row, "value_type", f"Enter one of {', '.join(VALUE_TYPES)}, "
                           f"not {value_type!r}")
    multiplier = number(parsed, row, "multiplier", read("multiplier"))
    if multiplier is not None and multiplier <= 0:
        parsed.problem(row, "multiplier", "The multiplier must be more than 0")
    elif multiplier is not None:
        fields["multiplier"] = multiplier
    fields["unit"] = read("unit")
    polarity = read("polarity").lower()
    if polarity:
        if polarity in Polarity.values:
            fields["polarity"] = polarity
        else:
            parsed.problem(row, "polarity", f"Enter one of {', '.join(Polarity.values)}, "
                           f"not {polarity!r}")
    return fields
