"""Published column layouts of the prescribing inputs, and their detection.

Columns are mapped by name through an alias table, never by position, and an
unknown layout fails loudly (docs/reference: the 2025 renames are
third-party reports, so the aliases are the single place to fix them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import InputError

#: Canonical EPD field -> header names it may carry, in published order.
EPD_ALIASES: dict[str, tuple[str, ...]] = {
    "year_month": ("YEAR_MONTH",),
    "region_code": ("REGIONAL_OFFICE_CODE",),
    "icb_code": ("ICB_CODE", "STP_CODE", "AREA_TEAM_CODE"),
    "pco_code": ("PCO_CODE",),
    "practice_name": ("PRACTICE_NAME",),
    "practice_code": ("PRACTICE_CODE",),
    "bnf_code": ("BNF_CODE", "BNF_PRESENTATION_CODE"),
    "bnf_description": ("BNF_DESCRIPTION", "BNF_PRESENTATION_NAME"),
    "quantity": ("QUANTITY",),
    "items": ("ITEMS",),
    "total_quantity": ("TOTAL_QUANTITY",),
    "nic": ("NIC",),
    "actual_cost": ("ACTUAL_COST",),
    "unidentified": ("UNIDENTIFIED",),
    "snomed_code": ("SNOMED_CODE",),
}

#: Fields an EPD file must have; the rest are optional.
EPD_REQUIRED = (
    "year_month",
    "region_code",
    "icb_code",
    "pco_code",
    "practice_code",
    "bnf_code",
    "bnf_description",
    "quantity",
    "items",
    "total_quantity",
    "nic",
    "actual_cost",
)

#: Numeric EPD fields: text in any of them refuses the file.
EPD_NUMERIC = ("quantity", "items", "total_quantity", "nic", "actual_cost")

LIST_SIZE_REQUIRED = (
    "EXTRACT_DATE",
    "ORG_CODE",
    "SEX",
    "AGE_GROUP_5",
    "NUMBER_OF_PATIENTS",
)

EPD = "epd"
"""Legacy EPD (Jan 2014 - Jun 2025): no SNOMED_CODE."""
EPD_SNOMED = "epd_snomed"
"""EPD with SNOMED code, legacy names (`BNF_CODE`), SNOMED_CODE last."""
EPD_SNOMED_RENAMED = "epd_snomed_renamed"
"""EPD with SNOMED code and the 2025 names (`BNF_PRESENTATION_CODE`, ...)."""
LIST_SIZE = "list_size"
"""NHS Digital "Patients registered at a GP practice" (practice rows)."""


@dataclass(frozen=True, slots=True)
class EPDLayout:
    """A detected EPD layout: its name and each canonical field's header."""

    name: str
    columns: dict[str, str]


def detect_epd_layout(header: Sequence[str], source: str) -> EPDLayout:
    """The EPD layout of a file with this header, or :class:`InputError`."""
    present = {h.strip().upper(): h for h in header}
    columns: dict[str, str] = {}
    for field, aliases in EPD_ALIASES.items():
        found = [present[a] for a in aliases if a in present]
        if len(found) > 1:
            raise InputError(source, f"columns {found} are aliases of one field")
        if found:
            columns[field] = found[0]
    missing = [EPD_ALIASES[f][0] for f in EPD_REQUIRED if f not in columns]
    if missing:
        if "ORG_CODE" in present and "NUMBER_OF_PATIENTS" in present:
            raise InputError(source, "is a list-size file; pass it with --list-sizes")
        raise InputError(source, f"missing column(s): {', '.join(missing)}")
    if "snomed_code" not in columns:
        name = EPD
    elif columns["bnf_code"].upper() == "BNF_PRESENTATION_CODE":
        name = EPD_SNOMED_RENAMED
    else:
        name = EPD_SNOMED
    return EPDLayout(name=name, columns=columns)


def check_list_size_layout(header: Sequence[str], source: str) -> dict[str, str]:
    """Map the list-size fields to this file's headers, or :class:`InputError`."""
    present = {h.strip().upper(): h for h in header}
    missing = [c for c in LIST_SIZE_REQUIRED if c not in present]
    if missing:
        raise InputError(source, f"missing column(s): {', '.join(missing)}")
    columns = {c: present[c] for c in LIST_SIZE_REQUIRED}
    if "ORG_TYPE" in present:
        columns["ORG_TYPE"] = present["ORG_TYPE"]
    return columns
