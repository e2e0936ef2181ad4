"""Shared bits for the insights tests: the fixture files and local CSV text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "fingertips"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_rows(name: str = "msk_icbs.csv") -> list[list[str]]:
    return list(csv.reader(io.StringIO(fixture(name).decode("utf-8-sig"), newline="")))


def to_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def local_csv(*rows: str, header: str = "indicator,area_code,period,value,count,denominator"
              ) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")
