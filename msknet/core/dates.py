"""Working days in England: weekdays that are not bank holidays.

Used where the site (or its demo) puts a meeting or event on a date, so that
nothing lands on a weekend or a bank holiday.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def easter_sunday(year: int) -> date:
    """Western Easter (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=day.weekday())


@cache
def england_bank_holidays(year: int) -> frozenset[date]:
    """The usual bank holidays in England and Wales, with weekend substitutes.

    One-off holidays (jubilees, coronations, state funerals) are not included.
    """
    easter = easter_sunday(year)
    new_year = date(year, 1, 1)
    if new_year.weekday() >= 5:
        new_year += timedelta(days=7 - new_year.weekday())
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: Monday and Tuesday off
        christmas, boxing = date(year, 12, 27), date(year, 12, 28)
    elif christmas.weekday() == 6:  # Sunday: Boxing Day Monday, Tuesday for Christmas
        christmas = date(year, 12, 27)
    elif boxing.weekday() == 5:  # Boxing Day on Saturday: Monday off
        boxing = date(year, 12, 28)
    return frozenset({
        new_year,
        easter - timedelta(days=2),  # Good Friday
        easter + timedelta(days=1),  # Easter Monday
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
        christmas,
        boxing,
    })


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in england_bank_holidays(day.year)


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day
