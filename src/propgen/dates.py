"""Date rules: the build's "now", Babel formatting, calendar arithmetic. Pure but for `now_from_env`."""

from __future__ import annotations

import calendar
import datetime as dt
import os
from collections.abc import Mapping
from functools import lru_cache

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
    return babel_format_date(value, format=style, locale=locale)


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
