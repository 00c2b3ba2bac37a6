"""Money rules: exact Decimal arithmetic, rounding to the currency's minor unit, Babel display.

Nothing here ever touches float. Where money leaves Python (data for JavaScript) it goes
as integer minor units (`to_minor_units`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any

from babel import Locale
from babel.numbers import format_currency, format_decimal, get_currency_precision, get_decimal_symbol, get_group_symbol, is_currency

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
    parsed = Locale.parse(locale)  # once: Babel parses a locale's name again in every call given it
    standard = parsed.currency_formats["standard"]
    if amount == amount.to_integral_value() and not cents:
        whole = ";".join(re.sub(r"\.0+", "", part) for part in standard.pattern.split(";"))
        text = _grouped(format_currency, amount, parsed, standard.grouping, currency=currency, format=whole, currency_digits=False)
        return code_apart(text, currency)
    return code_apart(_grouped(format_currency, amount, parsed, standard.grouping, currency=currency), currency)


def format_number(value: Decimal | int | float, locale: Locale) -> str:
    """A number as the locale writes it ('1.250' in Indonesian, "1'250" in Swiss German)."""
    return _grouped(format_decimal, value, locale, locale.decimal_formats[None].grouping)


def _grouped(babel_format: Callable[..., str], value: object, locale: Locale, grouping: tuple[int, int], **options: Any) -> str:
    """Babel's `babel_format`, with the apostrophe of the Swiss locales kept. Babel (2.19)
    takes '...' out of the text it has made, as if it were a pattern's quoted literal; since
    CLDR 48 made the apostrophe the group symbol of de_CH, fr_CH, it_CH and gsw, a number of 7
    digits and more lost every other one (1234'567.50 for 1'234'567.50), and the page's script
    (quote.js), which groups as the pattern says, wrote what Python did not. Where the symbol
    holds an apostrophe, Babel writes the number without groups and they are put in here, by
    the pattern's group sizes as Babel puts them."""
    symbol = get_group_symbol(locale)
    if "'" not in symbol:
        return str(babel_format(value, locale=locale, **options))
    text = str(babel_format(value, locale=locale, group_separator=False, **options))
    primary, secondary = grouping

    def group(digits: str) -> str:
        groups: list[str] = []
        size = primary
        while len(digits) > size:
            digits, tail = digits[:-size], digits[-size:]
            groups.insert(0, tail)
            size = secondary
        return symbol.join([digits, *groups])

    return re.sub(r"\d+", lambda whole: group(whole[0]), text, count=1)  # the integer part: the first digits written


def code_apart(text: str, currency: str) -> str:
    """CLDR's currency spacing (which Babel does not apply), for a currency shown by its code
    only: a no-break space between the code and the digits, `IDR 180,000,000` as browsers write
    it (`IDR180,000,000` reads as one word). CLDR and browsers space a symbol of letters too
    (`Rp 180.000.000`); here every symbol stays against its digits, as Indonesian writes rupiah
    (PUEBI: `Rp180.000.000`), and `$1,234` and `US$1.234` are as ever."""
    at = text.find(currency)
    if at < 0:
        return text
    end = at + len(currency)
    if end < len(text) and text[end].isdigit():
        return f"{text[:end]}\N{NO-BREAK SPACE}{text[end:]}"
    if at > 0 and text[at - 1].isdigit():
        return f"{text[:at]}\N{NO-BREAK SPACE}{text[at:]}"
    return text


@dataclass(frozen=True)
class BudgetLine:
    section: str
    item: str
    price: Decimal
    qty: Decimal = Decimal(1)
    unit: str = ""
    optional: bool = False
    qty_range: tuple[int, int] | None = None  # the client may change qty within it (both ends included)
    choice: str = ""  # the group of alternatives this line belongs to; exactly one of a group is taken
    selected: bool = False  # taken by default (an optional line, or the default of its choice group)

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


# A selection: for each line of an offer, in order, the quantity taken, or None when the
# line is left out (an optional line not ticked, an alternative of a group not picked).
Selection = tuple[Decimal | None, ...]


@dataclass(frozen=True)
class Offer:
    """A budget with the client's choices in it: every line as written (optional lines, ranges,
    choice groups), the charges, and the shares of the payment schedule and the cancellation
    terms. Every figure of every selection follows from it by the Arithmetic rules."""

    currency: str
    lines: tuple[BudgetLine, ...]
    discount: Adjustment | None = None
    service: Adjustment | None = None
    tax: Adjustment | None = None
    payments: tuple[Decimal, ...] = ()  # percent of the total per instalment
    cancellation: tuple[Decimal, ...] = ()  # percent of the total that stays due, per step

    def default(self) -> Selection:
        """What the page shows without JavaScript: ticked optional lines, each range at its qty,
        the selected line of each group (else the group's first line)."""
        picked = {}
        for index, line in enumerate(self.lines):
            if line.choice and (line.selected or line.choice not in picked):
                picked[line.choice] = index
        return tuple(
            None if (line.optional and not line.selected) or (line.choice and picked[line.choice] != index) else line.qty
            for index, line in enumerate(self.lines)
        )

    def allows(self, selection: Selection) -> bool:
        """Whether a client could have made this selection on the page."""
        if len(selection) != len(self.lines):
            return False
        taken: dict[str, int] = {}
        for line, qty in zip(self.lines, selection, strict=True):
            if line.choice:
                taken[line.choice] = taken.get(line.choice, 0) + (qty is not None)
            if qty is None:
                if not line.optional and not line.choice:
                    return False
            elif line.qty_range is not None:
                if qty != qty.to_integral_value() or not line.qty_range[0] <= qty <= line.qty_range[1]:
                    return False
            elif qty != line.qty:
                return False
        return all(count == 1 for count in taken.values())

    def quote(self, selection: Selection | None = None) -> Quote:
        chosen = self.default() if selection is None else selection
        taken = [replace(line, qty=qty, optional=False) for line, qty in zip(self.lines, chosen, strict=True) if qty is not None]
        left = tuple(line for line, qty in zip(self.lines, chosen, strict=True) if qty is None and line.optional)
        return replace(compute_quote(self.currency, taken, self.discount, self.service, self.tax), optional=left)

    def lowest_subtotal(self) -> Decimal:
        """The smallest subtotal a client can choose: no optional line, each range at its
        minimum, the cheapest line of each group (a fixed discount must not exceed it)."""
        with localcontext(EXACT):
            total = Decimal(0)
            cheapest: dict[str, Decimal] = {}
            for line in self.lines:
                qty = Decimal(line.qty_range[0]) if line.qty_range else line.qty
                amount = qty * line.price
                if line.choice:
                    cheapest[line.choice] = min(cheapest.get(line.choice, amount), amount)
                elif not line.optional:
                    total += amount
            return total + sum(cheapest.values(), Decimal(0))

    def sections(self) -> list[str]:
        """Section names in order of first appearance; lines without a section come first ("")."""
        names = dict.fromkeys(["", *(line.section for line in self.lines)])
        return [name for name in names if any(line.section == name for line in self.lines)]

    def section_totals(self, selection: Selection) -> list[Decimal]:
        """Each section's sum of the lines taken, in the order of `sections()`."""
        with localcontext(EXACT):
            sums = dict.fromkeys(self.sections(), Decimal(0))
            for line, qty in zip(self.lines, selection, strict=True):
                if qty is not None:
                    sums[line.section] += qty * line.price
            return list(sums.values())

    def figures(self, selection: Selection | None = None) -> dict[str, list[int]]:
        """Every figure of a selection in minor units, as the page's script must show them."""
        quote = self.quote(selection)
        cur = self.currency
        chosen = self.default() if selection is None else selection
        lines = [line.price * qty if qty is not None else line.amount for line, qty in zip(self.lines, chosen, strict=True)]
        charges = [c.amount if c else Decimal(0) for c in (quote.discount, quote.service, quote.tax)]
        return {
            "lines": [to_minor_units(amount, cur) for amount in lines],
            "sections": [to_minor_units(total, cur) for total in self.section_totals(chosen)],
            "totals": [to_minor_units(x, cur) for x in (quote.subtotal, *charges, quote.total)],
            "payments": [to_minor_units(x, cur) for x in split_total(quote.total, list(self.payments), cur)],
            "cancellation": [to_minor_units(x, cur) for x in cancellation_amounts(quote.total, self.cancellation, cur)],
        }


def has_cents(offer: Offer, figures: dict[str, list[int]]) -> bool:
    """Whether any price or figure of a selection has a fraction: then every amount of the
    budget shows one (quote.js decides the same way)."""
    scale = 10 ** get_currency_precision(offer.currency)
    prices = [to_minor_units(line.price, offer.currency) for line in offer.lines]
    return any(x % scale for x in (*prices, *(x for values in figures.values() for x in values)))


def cancellation_amounts(total: Decimal, percents: tuple[Decimal, ...], currency: str) -> list[Decimal]:
    """What stays due at each cancellation step: its percent of the current total, rounded half-up."""
    return [percent_of(total, percent, currency) for percent in percents]


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


def format_data(currency: str, locale: str) -> dict[str, object]:
    """How `format_money` writes this currency in this locale, for the page's script (quote.js):
    the text around the number with and without a fraction, the symbols and the grouping, all
    taken from Babel here, so the script carries no formatting tables of its own."""
    digits = get_currency_precision(currency)
    decimal, group = get_decimal_symbol(locale), get_group_symbol(locale)
    around = []
    for cents, number in ((False, "0"), (True, "0" + decimal + "0" * digits if digits else "0")):
        text = format_money(Decimal(0), currency, locale, cents)
        before, _, after = text.partition(number)
        around.append((before, after))
    grouping = Locale.parse(locale).currency_formats["standard"].grouping
    return {
        "digits": digits,
        "decimal": decimal,
        "group": group,
        "grouping": list(grouping),
        "prefix": [around[0][0], around[1][0]],
        "suffix": [around[0][1], around[1][1]],
    }


def script_data(offer: Offer, locale: str) -> dict[str, object]:
    """An offer as the page's script reads it: integers in minor units as text (BigInt), the
    quantities and percentages as exact decimal text, and how to format money."""
    sections = offer.sections()
    scale = get_currency_precision(offer.currency)

    def minor(amount: Decimal) -> str:
        return str(int(amount.scaleb(scale)))

    def charge(adjustment: Adjustment | None) -> dict[str, str] | None:
        if adjustment is None or (adjustment.percent is None and adjustment.amount is None):
            return None
        if adjustment.percent is not None:
            return {"percent": format(adjustment.percent, "f")}
        return {"amount": minor(adjustment.amount or Decimal(0))}

    return {
        "currency": offer.currency,
        "format": format_data(offer.currency, locale),
        "sections": len(sections),
        "lines": [
            {
                "price": minor(line.price),
                "qty": format(line.qty, "f"),
                "section": sections.index(line.section),
                "optional": line.optional,
                "choice": line.choice,
                "range": list(line.qty_range) if line.qty_range else None,
            }
            for line in offer.lines
        ],
        "default": [None if qty is None else format(qty, "f") for qty in offer.default()],
        "discount": charge(offer.discount),
        "service": charge(offer.service),
        "tax": charge(offer.tax),
        "payments": [format(p, "f") for p in offer.payments],
        "cancellation": [format(p, "f") for p in offer.cancellation],
    }


# Currencies as invoices write them, to the ISO 4217 code propgen reads.
_WRITTEN_CURRENCIES = {
    "rp": "IDR", "rp.": "IDR", "rupiah": "IDR", "$": "USD", "us$": "USD", "dollar": "USD", "€": "EUR", "euro": "EUR",
    "£": "GBP", "s$": "SGD", "rm": "MYR", "ringgit": "MYR", "¥": "JPY", "yen": "JPY", "a$": "AUD", "฿": "THB", "baht": "THB",
}  # fmt: skip


def currency_hint(written: str) -> str:
    """The code for a currency written as a symbol or a word ('Rp', 'US$', 'rupiah') or in small
    letters ('idr'); otherwise examples of codes."""
    code = _WRITTEN_CURRENCIES.get(written.strip().lower()) or written.strip().upper()
    if is_currency(code):
        return f"write its ISO 4217 code:  {code}"
    return "use a code such as USD, EUR or IDR"
