"""The innovation catalogue as CSV: one row per innovation, every public field.

The page (`innovation-catalogue-csv`) writes what its reader may see; the
`msknet innovations export` command writes every reviewed innovation.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

from msknet.core.charts import csv_safe

from .models import IN_USE, Innovation

COLUMNS: list[tuple[str, str]] = [
    ("id", "ID"),
    ("name", "Name"),
    ("kind", "Kind"),
    ("stage", "Stage"),
    ("summary", "Summary"),
    ("problem", "Problem it solves"),
    ("who_for", "Who it is for"),
    ("description", "How it works"),
    ("evidence_summary", "Evidence"),
    ("evidence_strength", "Strength of evidence"),
    ("nice_status", "NICE"),
    ("nice_reference", "NICE reference"),
    ("dtac_status", "DTAC"),
    ("marking", "UKCA or CE marking"),
    ("dcb0129_status", "DCB0129"),
    ("dcb0160_status", "DCB0160"),
    ("cost", "Cost"),
    ("resources_needed", "Resources needed"),
    ("owner", "Owner or supplier"),
    ("contacts", "Contacts"),
    ("serves", "Strategic priorities it serves"),
    *((f"sites_{status.value}", f"Sites {status.label.lower()}") for status in IN_USE),
    ("sites_in_use", "Sites using it"),
    ("url", "Page"),
]
CHOICE_FIELDS = {"kind", "stage", "evidence_strength", "nice_status", "dtac_status",
                 "marking", "dcb0129_status", "dcb0160_status"}


def row(innovation: Innovation, site_url: str = "") -> list[Any]:
    values: list[Any] = []
    for key, _ in COLUMNS:
        if key in CHOICE_FIELDS:
            value: Any = getattr(innovation, f"get_{key}_display")()
        elif key == "serves":
            value = "; ".join(p.title for p in innovation.serves.all())
        elif key == "url":
            value = site_url + innovation.get_absolute_url()
        else:
            value = getattr(innovation, key)
        values.append(csv_safe(value))
    return values


def write(out: IO[str], innovations: Iterable[Innovation], site_url: str = "") -> int:
    """Write the header and a row each; how many rows were written."""
    writer = csv.writer(out)
    writer.writerow([label for _, label in COLUMNS])
    count = 0
    for innovation in innovations:
        writer.writerow(row(innovation, site_url))
        count += 1
    return count
