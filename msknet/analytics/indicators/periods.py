"""Time periods as Fingertips writes them, with their dates and sortable number.

``period_sortable`` follows Fingertips' "Time period Sortable":
``year × 10000 + quarter × 100 + month`` where the year is the period's first
(calendar or financial) year, so 2022/23 is 20220000, 2022/23 Q2 is 20220200
and April 2023 is 20230004.

Recognised shapes (the others return ``None``):

=================  ===============  ===========================================
text               type             dates
=================  ===============  ===========================================
``2023``           annual           1 Jan 2023 – 31 Dec 2023
``2022/23``        financial_year   1 Apr 2022 – 31 Mar 2023
``2020 - 22``      rolling_3_year   1 Jan 2020 – 31 Dec 2022 (other spans: other)
``2019/20 - 21/22`` rolling_3_year  1 Apr 2019 – 31 Mar 2022
``2022/23 Q1``     quarterly        1 Apr 2022 – 30 Jun 2022 (financial quarters)
``2023 Q1``        quarterly        1 Jan 2023 – 31 Mar 2023 (calendar quarters)
``2023-04``        monthly          1 Apr 2023 – 30 Apr 2023
``Apr 2023``       monthly          the same (``April 2023`` too)
=================  ===============  ===========================================
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_name) if name}


@dataclass(frozen=True)
class Period:
    text: str
    type: str
    sortable: int
    start: date
    end: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _full_year(start_year: int, two_digits: str) -> int | None:
    """The year ending in `two_digits` that follows `start_year` within a century."""
    end = start_year - start_year % 100 + int(two_digits)
    if end <= start_year:
        end += 100
    return end if end - start_year < 100 else None


def _financial_pair(year: str, next_two: str) -> int | None:
    start = int(year)
    return start if (start + 1) % 100 == int(next_two) else None


def _rolling(text: str, start_year: int, end_year: int | None, financial: bool) -> Period | None:
    if end_year is None or end_year <= start_year:
        return None
    span = end_year - start_year + 1
    kind = "rolling_3_year" if span == 3 else "other"
    if financial:
        return Period(text, kind, start_year * 10000, date(start_year, 4, 1),
                      date(end_year + 1, 3, 31))
    return Period(text, kind, start_year * 10000, date(start_year, 1, 1),
                  date(end_year, 12, 31))


def parse_period(text: str) -> Period | None:
    """The period the text names, or None if it is not a shape we recognise."""
    t = " ".join(text.split())
    if m := re.fullmatch(r"(\d{4})", t):
        y = int(m[1])
        return Period(t, "annual", y * 10000, date(y, 1, 1), date(y, 12, 31))
    if m := re.fullmatch(r"(\d{4})/(\d{2})", t):
        if (fy := _financial_pair(m[1], m[2])) is None:
            return None
        return Period(t, "financial_year", fy * 10000, date(fy, 4, 1),
                      date(fy + 1, 3, 31))
    if m := re.fullmatch(r"(\d{4}) - (\d{2})", t):
        first = int(m[1])
        return _rolling(t, first, _full_year(first, m[2]), financial=False)
    if m := re.fullmatch(r"(\d{4})/(\d{2}) - (\d{2})/(\d{2})", t):
        fy = _financial_pair(m[1], m[2])
        if fy is None or (int(m[3]) + 1) % 100 != int(m[4]):
            return None
        return _rolling(t, fy, _full_year(fy, m[3]), financial=True)
    if m := re.fullmatch(r"(\d{4})/(\d{2}) Q([1-4])", t):
        if (fy := _financial_pair(m[1], m[2])) is None:
            return None
        q = int(m[3])
        first_month = 4 + 3 * (q - 1)
        year = fy if first_month <= 12 else fy + 1
        first_month = (first_month - 1) % 12 + 1
        return Period(t, "quarterly", fy * 10000 + q * 100, date(year, first_month, 1),
                      _month_end(year, first_month + 2))
    if m := re.fullmatch(r"(\d{4}) Q([1-4])", t):
        y, q = int(m[1]), int(m[2])
        return Period(t, "quarterly", y * 10000 + q * 100, date(y, 3 * q - 2, 1),
                      _month_end(y, 3 * q))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", t):
        y, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            return None
        return Period(t, "monthly", y * 10000 + month, date(y, month, 1),
                      _month_end(y, month))
    if m := re.fullmatch(r"([A-Za-z]+) (\d{4})", t):
        named = MONTHS.get(m[1].lower())
        if named is None:
            return None
        y = int(m[2])
        return Period(t, "monthly", y * 10000 + named, date(y, named, 1),
                      _month_end(y, named))
    return None
