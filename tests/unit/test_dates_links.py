"""Calendar arithmetic for milestones, and the secret-link tokens."""

from __future__ import annotations

import base64
import datetime as dt
import random

from babel.dates import format_date as babel_format_date

from propgen.dates import add_months, format_date, now_from_env, shift
from propgen.links import private_path, token


def test_months_and_years_are_calendar_units_that_clamp() -> None:
    assert shift(dt.date(2027, 6, 12), -6, "months") == dt.date(2026, 12, 12)
    assert add_months(dt.date(2027, 3, 31), -1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2028, 3, 31), -1) == dt.date(2028, 2, 29)
    assert shift(dt.date(2028, 2, 29), -1, "years") == dt.date(2027, 2, 28)
    assert shift(dt.date(2027, 6, 12), -8, "weeks") == dt.date(2027, 4, 17)
    assert shift(dt.date(2027, 1, 5), -10, "days") == dt.date(2026, 12, 26)


def test_a_day_is_written_as_babels_format_date_writes_it() -> None:
    """`format_date` keeps each locale's parsed pattern for the build rather than asking Babel
    for the whole of it at each new day: the words must be Babel's, for every style, in
    scripts and calendars of every kind."""
    pick = random.Random(13)
    for locale in ("en", "id", "id_ID", "en_GB", "de_CH", "ja", "ar", "fa", "th", "sr_Latn", "zh_Hant"):
        for style in ("full", "long", "medium", "short", "d MMMM y", "EEE, d MMM"):
            for _ in range(40):
                day = dt.date(1900, 1, 1) + dt.timedelta(days=pick.randrange(80_000))
                assert format_date(day, locale, style) == babel_format_date(day, style, locale), (locale, style, day)


def test_one_instant_on_two_clocks_is_dated_by_each_clock() -> None:
    """Dates are remembered (a list page shows the dates every other one shows); an instant
    late in the evening in London is already the next day in Jakarta, and equal as a value."""
    late = dt.datetime(2027, 6, 12, 22, tzinfo=dt.UTC)
    jakarta = late.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert late == jakarta
    assert (format_date(late, "en"), format_date(jakarta, "en")) == ("June 12, 2027", "June 13, 2027")
    assert format_date(dt.date(2027, 6, 12), "id") == "12 Juni 2027" == format_date(dt.date(2027, 6, 12), "id")


def test_now_comes_from_source_date_epoch() -> None:
    assert now_from_env({"SOURCE_DATE_EPOCH": "1794700800"}).date() == dt.date(2026, 11, 15)


def test_tokens_are_long_stable_distinct_and_follow_the_secret() -> None:
    a = token("secret-1", "proposal", "acme")
    assert a == token("secret-1", "proposal", "acme")
    assert len(base64.urlsafe_b64decode(a + "==")) * 8 >= 96
    assert a.replace("-", "").replace("_", "").isalnum()
    assert a != token("secret-1", "proposal", "acme2")
    assert a != token("secret-2", "proposal", "acme")
    assert a != token("secret-1", "prospectus", "acme")
    assert private_path("p", "acme", "secret-1", "proposal") == f"p/acme-{a}/"
