"""Money rules: exact Decimal arithmetic, rounding to the currency's minor unit, Babel display.

Nothing here ever touches float. Where money leaves Python (data for JavaScript) it goes
as integer minor units (`to_minor_units`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from babel import Locale
from babel.numbers import format_currency, get_currency_precision

# Inputs are limited to 15 + 6 digits (fields.py); with 100 digits of precision no product,
# sum or percentage of them is ever rounded by Decimal itself, only where the rules say.
EXACT = Context(prec=100)


def quantum(currency: str) -> Decimal:
    """The currency's minor unit as Babel (CLDR 47 and later) reports it: USD and EUR 0.01;
    IDR, HUF and JPY 1 (rupiah amounts are whole, as Indonesian invoices are written)."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    with localcontext(EXACT):
        return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def percent_of(base: Decimal, percent: Decimal, currency: str) -> Decimal:
    with localcontext(EXACT):
        return round_money(base * percent / Decimal(100), currency)


def to_minor_units(amount: Decimal, currency: str) -> int:
    return int(round_money(amount, currency).scaleb(get_currency_precision(currency)))


def format_money(amount: Decimal, currency: str, locale: str, cents: bool = False) -> str:
    """Locale-formatted money; a whole amount drops its zero fraction (Rp180.000.000) unless
    `cents` asks for them (a table where some amounts have cents shows them on all)."""
    if amount == amount.to_integral_value() and not cents:
        pattern = Locale.parse(locale).currency_formats["standard"].pattern
        whole = ";".join(re.sub(r"\.0+", "", part) for part in pattern.split(";"))
        return format_currency(amount, currency, format=whole, locale=locale, currency_digits=False)
    return format_currency(amount, currency, locale=locale)


@dataclass(frozen=True)
class BudgetLine:
    section: str
    item: str
    price: Decimal
    qty: Decimal = Decimal(1)
    unit: str = ""
    optional: bool = False

    @property
    def amount(self) -> Decimal:
        with localcontext(EXACT):
            return self.qty * self.price


@dataclass(frozen=True)
class Adjustment:
    """A discount, service charge or tax: a percent of its base, or (discounts only) a fixed amount."""

    label: str
    percent: Decimal | None = None
    amount: Decimal | None = None


@dataclass(frozen=True)
class Charge:
    label: str
    percent: Decimal | None
    amount: Decimal


@dataclass(frozen=True)
class Quote:
    """A budget worked out exactly as the content format's Arithmetic section says."""

    currency: str
    lines: tuple[BudgetLine, ...]  # non-optional, in the order written
    optional: tuple[BudgetLine, ...]
    subtotal: Decimal
    discount: Charge | None
    service: Charge | None
    tax: Charge | None
    total: Decimal

    def sections(self) -> list[tuple[str, list[BudgetLine], Decimal]]:
        """Lines grouped by section in order of first appearance, each with its sum; lines
        without a section come first, as one group named ""."""
        groups: dict[str, list[BudgetLine]] = {"": []}
        for line in self.lines:
            groups.setdefault(line.section, []).append(line)
        return [(name, lines, sum((line.amount for line in lines), Decimal(0))) for name, lines in groups.items() if lines]


def compute_quote(
    currency: str,
    lines: list[BudgetLine],
    discount: Adjustment | None = None,
    service: Adjustment | None = None,
    tax: Adjustment | None = None,
) -> Quote:
    with localcontext(EXACT):
        included = tuple(line for line in lines if not line.optional)
        subtotal = sum((line.amount for line in included), Decimal(0))
        discount_charge = None
        if discount is not None:
            if discount.percent is not None:
                value = percent_of(subtotal, discount.percent, currency)
            else:
                value = round_money(discount.amount or Decimal(0), currency)
            discount_charge = Charge(discount.label, discount.percent, value)
        after_discount = subtotal - (discount_charge.amount if discount_charge else Decimal(0))
        service_charge = None
        if service is not None and service.percent is not None:
            service_charge = Charge(service.label, service.percent, percent_of(after_discount, service.percent, currency))
        taxable = after_discount + (service_charge.amount if service_charge else Decimal(0))
        tax_charge = None
        if tax is not None and tax.percent is not None:
            tax_charge = Charge(tax.label, tax.percent, percent_of(taxable, tax.percent, currency))
        total = taxable + (tax_charge.amount if tax_charge else Decimal(0))
        return Quote(
            currency=currency,
            lines=included,
            optional=tuple(line for line in lines if line.optional),
            subtotal=subtotal,
            discount=discount_charge,
            service=service_charge,
            tax=tax_charge,
            total=total,
        )


def split_total(total: Decimal, percents: list[Decimal], currency: str) -> list[Decimal]:
    """Instalments: each its percent of the total, rounded half-up; the last takes the
    remainder, so they always add up to the total to the last minor unit."""
    with localcontext(EXACT):
        if not percents:
            return []
        amounts = [percent_of(total, percent, currency) for percent in percents[:-1]]
        return [*amounts, total - sum(amounts, Decimal(0))]


def fits_minor_unit(amount: Decimal, currency: str) -> bool:
    return amount == round_money(amount, currency)
