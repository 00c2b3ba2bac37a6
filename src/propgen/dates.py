"""Date rules: the build's "now", Babel formatting, calendar arithmetic. Pure but for `now_from_env`."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from collections.abc import Mapping
from functools import lru_cache

import babel
from babel.dates import DateTimePattern, get_month_names, parse_pattern
from babel.dates import format_date as babel_format_date


class SourceDateEpochError(ValueError):
    """SOURCE_DATE_EPOCH is set but is not a time."""


def now_from_env(environ: Mapping[str, str] = os.environ) -> dt.datetime:
    """The build's "now": SOURCE_DATE_EPOCH when set (reproducible builds), else the clock."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.datetime.now(tz=dt.UTC)
    if not epoch.isdigit() or int(epoch) > 32503680000:  # year 3000
        raise SourceDateEpochError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not '{epoch}'")
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)


def format_date(value: dt.date, locale: str, style: str = "long") -> str:
    """Babel's date for the locale. Remembered: a list page shows the same event dates that
    every other list page shows, and Babel parses its pattern on each call. A time is not
    remembered: one instant on two clocks compares equal, and can fall on two dates."""
    if isinstance(value, dt.datetime):
        return babel_format_date(value, format=style, locale=locale)
    return _format_day(value, locale, style)


@lru_cache(maxsize=65536)
def _format_day(value: dt.date, locale: str, style: str) -> str:
    parsed, pattern = _day_pattern(locale, style)
    return pattern.apply(value, parsed)


@lru_cache(maxsize=256)
def _day_pattern(locale: str, style: str) -> tuple[babel.Locale, DateTimePattern]:
    """What `babel.dates.format_date` works out at each call before it formats the day: the
    locale parsed, and the style's pattern (half its time; a list of 10,000 cards shows
    thousands of days, each new to the build)."""
    parsed = babel.Locale.parse(locale)
    return parsed, parse_pattern(parsed.date_formats[style] if style in ("full", "long", "medium", "short") else style)


def add_months(value: dt.date, months: int) -> dt.date:
    """Calendar-month arithmetic; a day the target month lacks clamps to its last day."""
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(value.day, last))


def shift(value: dt.date, count: int, unit: str) -> dt.date:
    """`value` moved by `count` units (negative: earlier). Units: days, weeks, months, years."""
    if unit == "days":
        return value + dt.timedelta(days=count)
    if unit == "weeks":
        return value + dt.timedelta(weeks=count)
    if unit == "months":
        return add_months(value, count)
    if unit == "years":
        return add_months(value, 12 * count)
    raise ValueError(f"unknown unit {unit!r}")


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Month names as coordinators write them in Indonesian and English ('5 Mei 2026', 'May 5,
    2026'), wide and abbreviated, from CLDR: a date written so is read back for the hint, never
    accepted. Made when a hint first needs it (loading the two locales took 20 ms of every start)."""
    return {
        name.lower().rstrip("."): number
        for locale in ("en", "id")
        for width in ("wide", "abbreviated")
        for number, name in get_month_names(width, locale=locale).items()
    } | {"agt": 8, "sept": 9}  # common short forms CLDR does not list


_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_UNPADDED = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DAY_MONTH = re.compile(r"(\d{1,2})\.?\s+([^\W\d]+)\.?,?\s+(\d{4})")
_MONTH_DAY = re.compile(r"([^\W\d]+)\.?\s+(\d{1,2}),?\s+(\d{4})")


def written_dates(text: str) -> list[dt.date]:
    """The dates `text` may mean when it is not written YYYY-MM-DD: one, or two for
    '12/05/2026' (12 May or December 5: only the writer knows), or none."""
    dates = []
    for year, month, day in _written_parts(text):
        try:
            dates.append(dt.date(year, month, day))
        except ValueError:
            continue
    return dates


def no_such_day(text: str) -> tuple[str, dt.date, str] | None:
    """Why a date written as a year, a month and a day ('2026-02-30', '30 Februari 2026',
    '2026-13-01') is no day of the calendar, a real day it may have meant, and what that day
    is in words ("" for a mere example); None when it is a day, or not written as one. February's 30th gets the
    month's last day; month 13 with a day of 12 or less, the two swapped (2026-13-01 is
    most likely 13 January written day first), else the same day of December."""
    parts = _written_parts(text)
    if not parts or written_dates(text):
        return None
    year, month, day = next((p for p in parts if 1 <= p[1] <= 12), parts[0])
    if not 1 <= month <= 12:
        reason = f"there is no month {month}"
        if 1 <= day <= 12 and _is_day(year, day, month):
            meant = dt.date(year, day, month)
            return f"{reason} (the month comes before the day)", meant, f"if you meant {format_date(meant, 'en', 'd MMMM')}"
        meant = dt.date(year, 12 if month > 12 else 1, min(max(day, 1), 31))
        return f"{reason}: months go from 1 to 12", meant, ""
    last = calendar.monthrange(year, month)[1]
    first = dt.date(year, month, 1)
    if day < 1:
        return (
            f"the days of {format_date(first, 'en', 'MMMM yyyy')} start at 1",
            first,
            f"(the first day of {format_date(first, 'en', 'MMMM')})",
        )
    return (
        f"{format_date(first, 'en', 'MMMM yyyy')} has {last} days",
        dt.date(year, month, last),
        f"(the last day of {format_date(first, 'en', 'MMMM')})",
    )


def _is_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _written_parts(text: str) -> list[tuple[int, int, int]]:
    """The year, month and day `text` is written with (real or not), in each order it may be read."""
    text = text.strip()
    ymd: list[tuple[int, int, int]] = []
    if found := _ISO_UNPADDED.fullmatch(text):
        ymd = [(int(found[1]), int(found[2]), int(found[3]))]
    elif found := _NUMERIC.fullmatch(text):
        first, second, year = int(found[1]), int(found[2]), int(found[3])
        ymd = [(year, second, first), (year, first, second)] if first != second else [(year, first, first)]
    elif (found := _DAY_MONTH.fullmatch(text)) and found[2].lower() in month_numbers():
        ymd = [(int(found[3]), month_numbers()[found[2].lower()], int(found[1]))]
    elif (found := _MONTH_DAY.fullmatch(text)) and found[1].lower() in month_numbers():
        ymd = [(int(found[3]), month_numbers()[found[1].lower()], int(found[2]))]
    return [(year, month, day) for year, month, day in ymd if 1 <= year <= 9999]  # datetime's years
