"""Loading areas' populations (for example ONS mid-year estimates) into
AreaPopulation: the denominators for rates per 100,000 people, such as an
ICB's MSK workforce.

The file is CSV with a header row naming three columns:

    area_code,year,persons
    E54000027,2023,2875126
    QMJ,2023,2875126

`area_code` is an area's ONS code (E92 England, E40 NHS region, E54 ICB, and
any other area msknet knows) or an ICB's ODS code. Every row is checked
before anything is written: a file with any problem writes nothing and the
problems name their row (the header is row 1) and column. A year an area
already has is updated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db import transaction

from .models import Area, AreaPopulation

COLUMNS = ("area_code", "year", "persons")
MAX_BYTES = 5 * 1024 * 1024


class PopulationsRefused(Exception):
    """The file has problems; `errors` lists each, naming row and column."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} problem{'s' if len(errors) != 1 else ''}: "
                         "nothing was loaded")
        self.errors = errors


@dataclass
class Loaded:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def summary(self) -> str:
        return (f"{self.added} population{'s' if self.added != 1 else ''} added, "
                f"{self.updated} updated, {self.unchanged} unchanged")


def load_bytes(data: bytes, *, source: str) -> Loaded:
    if len(data) > MAX_BYTES:
        raise PopulationsRefused([(f"The file must be smaller than "
                                  f"{MAX_BYTES // (1024 * 1024)} MB")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PopulationsRefused(["The file must be saved as CSV UTF-8"]) from None
    return load_text(text, source=source)


def load_text(text: str, *, source: str) -> Loaded:
    """Load every row, or raise PopulationsRefused and write nothing."""
    source = source.strip()
    errors: list[str] = []
    if not source:
        errors.append("Say where the figures come from (the source)")
    elif len(source) > 200:
        errors.append("The source must be at most 200 characters")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [c.strip().lower() for c in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise PopulationsRefused(errors + [
            (f"Row 1: the {', '.join(repr(c) for c in missing)} column"
            f"{'s are' if len(missing) > 1 else ' is'} missing (the columns are "
            "area_code, year, persons)")])
    at = {c: header.index(c) for c in COLUMNS}
    areas = {a.code.upper(): a for a in Area.objects.all()}
    areas.update({a.icb.ods_code.upper(): a for a in
                  Area.objects.filter(icb__isnull=False).select_related("icb")})
    rows: dict[tuple[int, int], tuple[int, int]] = {}
    this_year = dt.date.today().year
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        cells = [c.strip() for c in cells] + [""] * len(header)
        code, year_text, persons_text = (cells[at[c]] for c in COLUMNS)
        area = areas.get(code.upper())
        if not code:
            errors.append(f"Row {number}, area_code: is required")
        elif area is None:
            errors.append(f"Row {number}, area_code: '{code}' is not an area msknet "
                          "knows (use an ONS code such as E54000027, or an ICB's ODS "
                          "code such as QMJ)")
        year = _whole(year_text)
        if year is None or not 1900 <= year <= this_year + 1:
            errors.append(f"Row {number}, year: '{year_text}' is not a year "
                          "(like 2023)")
        persons = _whole(persons_text.replace(",", ""))
        if persons is None or persons <= 0:
            errors.append(f"Row {number}, persons: '{persons_text}' is not a number "
                          "of people (a whole number above 0)")
        if area is None or year is None or persons is None or persons <= 0:
            continue
        key = (area.pk, year)
        if key in rows:
            errors.append(f"Row {number}, area_code: {area.name} in {year} repeats "
                          f"row {rows[key][0]}")
            continue
        rows[key] = (number, persons)
    if not rows and not errors:
        errors.append("The file has no populations in it")
    if errors:
        raise PopulationsRefused(errors)
    return _write(rows, source)


def _whole(text: str) -> int | None:
    return int(text) if text.isdigit() else None


@transaction.atomic
def _write(rows: dict[tuple[int, int], tuple[int, int]], source: str) -> Loaded:
    loaded = Loaded()
    existing = {(p.area_id, p.year): p for p in AreaPopulation.objects.filter(
        area_id__in={area for area, _ in rows})}
    for (area, year), (_, persons) in rows.items():
        found = existing.get((area, year))
        if found is None:
            AreaPopulation.objects.create(area_id=area, year=year, persons=persons,
                                          source=source)
            loaded.added += 1
        elif (found.persons, found.source) == (persons, source):
            loaded.unchanged += 1
        else:
            found.persons, found.source = persons, source
            found.save(update_fields=["persons", "source"])
            loaded.updated += 1
    return loaded
