"""Reading CSV text and its cells: shared by both file formats."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator

from .rows import ParsedFile

# Fingertips ICB and GP files run to hundreds of thousands of rows; a cell
# longer than this is not data.
csv.field_size_limit(1_000_000)


class NotText(Exception):
    """The bytes are not UTF-8 text."""


def decode(content: bytes) -> str:
    """UTF-8 text, with or without the byte-order mark Excel writes."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotText(
            "The file is not UTF-8 text. Save it as \"CSV UTF-8 (comma delimited)\" "
            f"and upload it again (byte {error.start + 1} is not UTF-8)"
        ) from error


def records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(row number as a spreadsheet shows it, cells), the header being row 1.

    Blank lines are skipped but still counted.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    for number, record in enumerate(reader, start=1):
        if not any(cell.strip() for cell in record):
            continue
        yield number, record


def count_data_rows(content: bytes) -> int:
    """A quick upper bound on the data rows: lines after the header."""
    lines = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
    return max(lines - 1, 0)


def number(
    parsed: ParsedFile, row: int, field: str, text: str, *, minimum: float | None = None
) -> float | None:
    """The cell as a float; None when blank; a problem (and None) otherwise."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        result = float(cleaned)
    except ValueError:
        parsed.problem(row, field, f"Enter a number or leave it blank, not {text.strip()!r}")
        return None
    if not math.isfinite(result):
        parsed.problem(row, field, f"Enter a number or leave it blank, not {text.strip()!r}")
        return None
    if minimum is not None and result < minimum:
        parsed.problem(row, field, f"Must be {minimum:g} or more, not {text.strip()}")
        return None
    return result


def whole_number(parsed: ParsedFile, row: int, field: str, text: str) -> int | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        return int(cleaned)
    except ValueError:
        parsed.problem(row, field, f"Enter a whole number, not {cleaned!r}")
        return None


def check_limits(
    parsed: ParsedFile, row: int, lower: float | None, upper: float | None, level: str
) -> None:
    if lower is not None and upper is not None and lower > upper:
        parsed.problem(
            row,
            f"Lower CI {level} limit",
            f"The lower {level}% limit ({lower:g}) is above the upper limit ({upper:g})",
        )
