"""GP practice names and details from the NHS ODS practice file (``epraccur``).

``epraccur.csv`` (inside ``epraccur.zip``) is headerless, one practice or
prescribing cost centre a row, 27 fields at fixed positions (NHS England ODS
"GP and GP practice related data"; OpenPrescribing's ``import_practices`` reads
the same positions). The fields read here:

====  ===========================  ==========================================
 #    Field                        Checked
====  ===========================  ==========================================
 1    Organisation code            letter then 4-7 letters or digits, unique
 2    Name                         present, at most 100 characters
 10   Postcode                     as given
 11   Open date                    ``YYYYMMDD``
 12   Close date                   blank or ``YYYYMMDD``, not before opening
 13   Status code                  A active, C closed, D dormant, P proposed
 24   Provider/purchaser           the sub-ICB location (as given)
 26   Prescribing setting          a number (4 = GP practice)
====  ===========================  ==========================================

A file is loaded whole or not at all: every problem is reported, naming its
row and field, and nothing is written. Loaded practices are kept in the store
(``practices.csv``) and replace any loaded before.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .store import Store

FIELDS = 27
#: 0-based positions of the fields read.
CODE, NAME, POSTCODE, OPENED, CLOSED, STATUS, SUB_ICB, SETTING = (
    0,
    1,
    9,
    10,
    11,
    12,
    23,
    25,
)
STATUSES = {"A": "Active", "C": "Closed", "D": "Dormant", "P": "Proposed"}
#: The prescribing setting of a GP practice (others: out of hours, walk-in...).
GP_PRACTICE = 4
MAX_NAME = 100
MAX_PROBLEMS = 20
CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{4,7}$")
DATE_PATTERN = re.compile(r"^[0-9]{8}$")
SETTING_PATTERN = re.compile(r"^[0-9]{1,2}$")
STORED = (
    "code",
    "name",
    "postcode",
    "opened",
    "closed",
    "status",
    "sub_icb",
    "setting",
)
#: Words kept in capitals, and small words kept lower case, in readable names.
CAPITALS = frozenset(
    {"NHS", "GP", "GPS", "PCN", "UK", "HMP", "YOI", "OOH", "PMS", "APMS"}
)
SMALL = frozenset({"and", "of", "the", "at", "on", "in", "for", "by", "upon"})


@dataclass(frozen=True, slots=True)
class Practice:
    """One row of ``epraccur``: a practice or prescribing cost centre."""

    code: str
    name: str
    """As ODS publishes it, in capitals."""
    postcode: str
    opened: dt.date
    closed: dt.date | None
    status: str
    sub_icb: str
    setting: int

    @property
    def display_name(self) -> str:
        """The name for reading: "THE DENSHAM SURGERY" -> "The Densham Surgery"."""
        return readable(self.name)


def readable(name: str) -> str:
    """A capitalised ODS name in title case, keeping acronyms and small words."""
    words = name.split()
    out = []
    for i, word in enumerate(words):
        bare = word.strip("().,&'-")
        if bare.upper() in CAPITALS or any(ch.isdigit() for ch in word):
            out.append(word.upper())
        elif i > 0 and word.lower() in SMALL:
            out.append(word.lower())
        else:
            out.append(
                "-".join(
                    part[:1].upper() + part[1:].lower() for part in word.split("-")
                )
            )
    return " ".join(out)


def _text(path: Path) -> str:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if len(names) != 1:
                raise InputError(
                    str(path), "the zip file must hold exactly one .csv file"
                )
            raw = archive.read(names[0])
    else:
        raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict")


def _date(text: str) -> dt.date:
    if not DATE_PATTERN.match(text):
        raise ValueError(text)
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))


def parse_epraccur(text: str, source: str) -> list[Practice]:
    """Every practice in ``epraccur`` text, or :class:`InputError` naming each
    bad row and field (the first 20)."""
    problems: list[str] = []
    practices: list[Practice] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(problems) >= MAX_PROBLEMS:
            break
        if len(row) != FIELDS:
            problems.append(
                f"row {number}: has {len(row)} fields, not the {FIELDS} of the "
                "NHS ODS epraccur layout (no heading row)"
            )
            continue
        cells = [cell.strip() for cell in row]
        before = len(problems)

        def problem(field: str, message: str, row_number: int = number) -> None:
            problems.append(f"row {row_number}, {field}: {message}")

        code, name = cells[CODE], cells[NAME]
        if not CODE_PATTERN.match(code):
            problem("organisation code (field 1)", f"{code!r} is not an ODS code")
        elif code in seen:
            problem(
                "organisation code (field 1)", f"{code} is already on row {seen[code]}"
            )
        else:
            seen[code] = number
        if not name:
            problem("name (field 2)", "missing")
        elif len(name) > MAX_NAME:
            problem("name (field 2)", f"longer than {MAX_NAME} characters")
        opened = closed = None
        try:
            opened = _date(cells[OPENED])
        except ValueError:
            problem(
                "open date (field 11)", f"{cells[OPENED]!r} is not a date as YYYYMMDD"
            )
        if cells[CLOSED]:
            try:
                closed = _date(cells[CLOSED])
            except ValueError:
                problem(
                    "close date (field 12)",
                    f"{cells[CLOSED]!r} is not a date as YYYYMMDD",
                )
            else:
                if opened is not None and closed < opened:
                    problem("close date (field 12)", "is before the open date")
        if cells[STATUS] not in STATUSES:
            problem(
                "status code (field 13)",
                f"{cells[STATUS]!r} is not one of {', '.join(STATUSES)}",
            )
        if not SETTING_PATTERN.match(cells[SETTING]):
            problem(
                "prescribing setting (field 26)", f"{cells[SETTING]!r} is not a number"
            )
        if len(problems) > before or opened is None:
            continue
        practices.append(
            Practice(
                code=code,
                name=name,
                postcode=cells[POSTCODE],
                opened=opened,
                closed=closed,
                status=cells[STATUS],
                sub_icb=cells[SUB_ICB],
                setting=int(cells[SETTING]),
            )
        )
    if problems:
        raise InputError(source, "\n".join(problems))
    if not practices:
        raise InputError(source, "has no practices")
    return practices


def read_epraccur(path: Path | str) -> list[Practice]:
    """The practices of an ``epraccur.csv`` or ``epraccur.zip`` file."""
    path = Path(path)
    return parse_epraccur(_text(path), path.name)


def load_practices(store: Store, path: Path | str) -> list[Practice]:
    """Check the whole file, then make its practices the store's."""
    practices = read_epraccur(path)
    with store.transaction() as tx:
        staged = tx.directory / "practices.csv"
        write_practices(staged, practices)
        tx.practices = staged
    return practices


def write_practices(path: Path, practices: Iterable[Practice]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(STORED)
        for p in practices:
            writer.writerow(
                [
                    p.code,
                    p.name,
                    p.postcode,
                    p.opened.isoformat(),
                    p.closed.isoformat() if p.closed else "",
                    p.status,
                    p.sub_icb,
                    p.setting,
                ]
            )


def stored_practices(store: Store) -> list[Practice]:
    """The practices last loaded into the store (none if never)."""
    path = store.practices_path()
    if path is None:
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Practice(
                code=row["code"],
                name=row["name"],
                postcode=row["postcode"],
                opened=dt.date.fromisoformat(row["opened"]),
                closed=dt.date.fromisoformat(row["closed"]) if row["closed"] else None,
                status=row["status"],
                sub_icb=row["sub_icb"],
                setting=int(row["setting"]),
            )
            for row in csv.DictReader(handle)
        ]


def practice_names(store: Store) -> dict[str, str]:
    """Each loaded practice's readable name by its code."""
    return {p.code: p.display_name for p in stored_practices(store)}
