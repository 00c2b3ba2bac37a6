"""Money rules: exact Decimal arithmetic, rounding to the currency's minor unit, Babel display.

Nothing here ever touches float. Where money leaves Python (data for JavaScript) it goes
as integer minor units (`to_minor_units`).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_currency, get_currency_precision


def quantum(currency: str) -> Decimal:
    """The currency's minor unit as Babel reports it: IDR/USD 0.01, JPY 1."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def percent_of(base: Decimal, percent: Decimal, currency: str) -> Decimal:
    return round_money(base * percent / Decimal(100), currency)


def to_minor_units(amount: Decimal, currency: str) -> int:
    return int(round_money(amount, currency).scaleb(get_currency_precision(currency)))


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """Locale-formatted money; a whole amount drops its zero fraction (Rp180.000.000)."""
    if amount == amount.to_integral_value():
        pattern = Locale.parse(locale).currency_formats["standard"].pattern
        whole = ";".join(re.sub(r"\.0+", "", part) for part in pattern.split(";"))
        return format_currency(amount, currency, format=whole, locale=locale, currency_digits=False)
    return format_currency(amount, currency, locale=locale)
