"""A proposal's budget as an `Offer`: its lines with the client's choices in them (optional
lines, quantity ranges, groups of alternatives), the charges, the payment schedule, and what
each alternative of a group includes (`packages:`). Every rule of the content format's
"Proposals that close the deal" about lines is checked here, at the line that breaks it."""

from __future__ import annotations

import difflib
from dataclasses import replace
from decimal import Decimal, localcontext

import yaml

from ..dates import written_dates
from ..errors import shorten
from ..fields import MAX_INTEGER_DIGITS, WHOLE_RE, Fields, fits_digits
from ..models import Instalment, Package, ProposalEvent
from ..money import EXACT, Adjustment, BudgetLine, Offer, Quote, fits_minor_unit, split_total
from .timing import counted_back, written_after

LINE_EXAMPLE = "- {section: Venue, item: Ballroom, qty: 2, unit: day, price: 90000000}"


def read_budget(f: Fields | None, currency: str) -> Offer | None:
    if f is None:
        return None
    errors_before = len(f.source.report.errors)
    read: list[tuple[BudgetLine, Fields]] = []
    for item in f.records("items", "budget line", LINE_EXAMPLE):
        line = _line(item, currency)
        item.finish()
        if line is not None:
            read.append((line, item))
    _check_groups(read)
    lines = [line for line, _item in read]
    if not any(not line.optional for line in lines) and len(f.source.report.errors) == errors_before:
        f.absent(("items",), "the budget has no items to add up", "add at least one line that is not optional under  items:")
    discount = _adjustment(f.mapping("discount", "discount", example="{label: Early booking, percent: 5}"), currency, allow_amount=True)
    service = _adjustment(f.mapping("service_charge", "service charge", example="{label: Service, percent: 10}"), currency)
    tax = _adjustment(f.mapping("tax", "tax", example="{label: VAT, percent: 11}"), currency)
    f.finish()
    if len(f.source.report.errors) > errors_before:
        return None  # totals of a budget with mistakes would only add confusing messages
    offer = Offer(currency, tuple(lines), discount, service, tax)
    if not _fits(f, offer):
        return None
    lowest = offer.lowest_subtotal()
    if discount is not None and discount.amount is not None and discount.amount > lowest:
        choices = any(line.optional or line.choice or line.qty_range for line in lines)
        f.error(
            f.node_of("discount"),
            f"the discount ({discount.amount}) is larger than the {'smallest subtotal the client can choose' if choices else 'subtotal'} ({lowest})",
            "lower the discount",
        )
        return None
    return offer


def _line(item: Fields, currency: str) -> BudgetLine | None:
    section = item.text("section", example="Venue") or ""  # optional: unsectioned lines come first, unheaded
    name = item.text("item", required=True, example="Ballroom hire")
    qty = item.decimal("qty", minimum=Decimal(0), example="2")
    unit = item.text("unit", example="day") or ""
    price = item.money_amount("price", currency, required=True, example="90000000")
    optional = item.flag("optional", False)
    choice = item.text("choice", example="package") or ""
    selected = item.flag("selected", False)
    qty_range = _qty_range(item, qty)
    if item.has("selected") and not optional and not choice:
        item.error(
            item.node_of("selected"),
            "'selected' is only for an optional line or a line of a choice group",
            "add  optional: true  or  choice: GROUP  to this line, or remove 'selected'",
        )
    if optional and choice:
        item.error(
            item.node_of("choice"),
            "a line is either optional or one of a choice group, not both",
            "remove  optional: true  (the client picks one line of the group), or remove 'choice'",
        )
        choice = ""
    with localcontext(EXACT):  # 21 digits times 21 digits: more than Decimal's default 28
        amount = (qty if qty is not None else Decimal(1)) * price if price is not None else None
    if amount is not None and not fits_digits(amount):
        item.error(
            item.node_of("price"),
            f"qty × price = {shorten(str(amount))} has more than {MAX_INTEGER_DIGITS} digits before the decimal point",
            f"check the quantity and the price: a line's amount may have at most {MAX_INTEGER_DIGITS} digits",
        )
        price = None
    elif amount is not None and not fits_minor_unit(amount, currency):
        item.error(item.node_of("price"), f"qty × price = {amount} is not a whole amount of {currency}", "round the price or the quantity")
        price = None
    if not name or price is None:
        return None
    return BudgetLine(section, name, price, qty if qty is not None else Decimal(1), unit, optional, qty_range, choice, selected)


def _qty_range(item: Fields, qty: Decimal | None) -> tuple[int, int] | None:
    """`qty_range: [min, max]`: whole numbers, min <= max, with qty (default 1) inside."""
    if not item.has("qty_range"):
        return None
    node = item.node_of("qty_range")
    ends = item.items("qty_range", example="[80, 150]")
    example = "qty_range: [80, 150]"
    if not isinstance(node, yaml.SequenceNode) or len(ends) != 2:
        item.error(node, "'qty_range' should be two whole numbers, the smallest and the largest quantity", f"write e.g.  {example}")
        return None
    numbers = []
    for end in ends:
        raw = str(end.value).replace("_", "").strip() if isinstance(end, yaml.ScalarNode) else ""
        if not WHOLE_RE.match(raw) or raw.startswith("-") or len(raw.lstrip("+")) > MAX_INTEGER_DIGITS:
            item.error(end, f"'qty_range' should hold whole numbers of 0 or more, not '{shorten(raw)}'", f"write e.g.  {example}")
            return None
        numbers.append(int(raw))
    low, high = numbers
    if low > high:
        item.error(node, f"'qty_range' goes from {low} down to {high}", f"write the smallest quantity first:  qty_range: [{high}, {low}]")
        return None
    value = qty if qty is not None else Decimal(1)
    if value != value.to_integral_value():
        item.error(
            item.node_of("qty") if item.has("qty") else node,
            f"a line with 'qty_range' counts whole units, but its qty is {value}",
            "use a whole-number qty (and price per unit), or remove 'qty_range'",
        )
        return None
    if not low <= value <= high:
        item.error(
            item.node_of("qty") if item.has("qty") else node,
            f"qty {value} is outside its qty_range [{low}, {high}]",
            f"write a qty from {low} to {high}, or widen the range",
        )
        return None
    return low, high


def _check_groups(read: list[tuple[BudgetLine, Fields]]) -> None:
    """Each choice group has two or more lines and at most one selected."""
    groups: dict[str, list[tuple[BudgetLine, Fields]]] = {}
    for line, item in read:
        if line.choice:
            groups.setdefault(line.choice, []).append((line, item))
    for name, members in groups.items():
        if len(members) == 1:
            line, item = members[0]
            item.error(
                item.node_of("choice"),
                f"the choice group '{shorten(name)}' has only one line, so there is nothing to choose",
                f"add its alternatives with the same  choice: {shorten(name)},  or remove 'choice' from this line",
            )
        picked = [(line, item) for line, item in members if line.selected]
        for line, item in picked[1:]:
            item.error(
                item.node_of("selected"),
                f"two lines of the choice group '{shorten(name)}' are selected: '{shorten(picked[0][0].item)}' and '{shorten(line.item)}'",
                "keep  selected: true  on one of them only (the one you recommend)",
            )


def _fits(f: Fields, offer: Offer) -> bool:
    """The largest total a client can choose must still have at most 15 digits."""
    with localcontext(EXACT):
        widest = tuple(
            Decimal(line.qty_range[1]) if line.qty_range else line.qty
            for line in offer.lines  # every line at its largest, even alternatives: an upper bound
        )
        largest = Offer(
            offer.currency, tuple(replace(line, optional=False, choice="") for line in offer.lines), None, offer.service, offer.tax
        )
        quote = largest.quote(widest)
    if not fits_digits(quote.total) or not fits_digits(quote.subtotal):
        f.error(
            f.node_of("items"),
            f"the total of this budget has more than {MAX_INTEGER_DIGITS} digits before the decimal point",
            f"check the quantities and prices: a total may have at most {MAX_INTEGER_DIGITS} digits",
        )
        return False
    return True


def _adjustment(f: Fields | None, currency: str, allow_amount: bool = False) -> Adjustment | None:
    if f is None:
        return None
    label = f.text("label", required=True, example="Service")
    percent = f.decimal("percent", minimum=Decimal(0), example="10")
    amount = f.money_amount("amount", currency, example="500000") if allow_amount else None
    if allow_amount and f.has("percent") == f.has("amount"):
        f.error(f.node, f"'{f.path}' needs either 'percent' or 'amount', not both or neither", "e.g.  {label: Early booking, percent: 5}")
    elif not allow_amount and not f.has("percent"):  # one that is there but unreadable was said already
        f.error(f.node, f"'{f.path}' needs 'percent'", "e.g.  {label: Service, percent: 10}")
    if percent is not None and percent > 100:
        f.error(f.node_of("percent"), f"'{f.path}.percent' is {percent}, more than 100", "write a percentage from 0 to 100")
    f.finish()
    if label is None:
        return None
    return Adjustment(label, percent, amount)


def read_packages(f: Fields, offer: Offer | None) -> tuple[tuple[str, tuple[Package, ...]], ...]:
    """`packages:` names existing choice groups and, in each, existing lines of that group."""
    packages = f.mapping("packages", "packages", example="{package: [{item: Full planning, includes: [...]}]}")
    if packages is None:
        return ()
    groups: dict[str, list[str]] = {}
    for line in offer.lines if offer else ():
        if line.choice:
            groups.setdefault(line.choice, []).append(line.item)
    result = []
    for name, (key_node, _value) in list(packages.values.items()):
        if offer is not None and name not in groups:
            close = difflib.get_close_matches(name, sorted(groups), n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'?" if close else "use the name a group's lines give in  choice:"
            if not groups:
                hint = "give the alternatives of the budget the same  choice: NAME,  then describe them here under that name"
            packages.error(
                key_node, f"packages names the choice group '{shorten(name)}', but no budget line has  choice: {shorten(name)}", hint
            )
            packages.known.append(name)
            continue
        entries = []
        for entry in packages.records(name, "package", "- {item: Full planning, includes: [Venue search, 6 planning meetings]}"):
            item = entry.text("item", required=True, example="Full planning")
            includes = tuple(entry.texts("includes", example="[Venue search, 6 planning meetings]"))
            if item and offer is not None and item not in groups[name]:
                close = difflib.get_close_matches(item, groups[name], n=1, cutoff=0.5)
                hint = f"did you mean '{close[0]}'?" if close else f"the group's lines are: {', '.join(shorten(i) for i in groups[name])}"
                entry.error(entry.node_of("item"), f"'{shorten(item)}' is not a line of the choice group '{shorten(name)}'", hint)
                item = None
            entry.finish()
            if item:
                entries.append(Package(item, includes))
        result.append((name, tuple(entries)))
    packages.finish()
    return tuple(result)


def read_payments(
    f: Fields, quote: Quote | None, currency: str, event: ProposalEvent | None, has_budget: bool
) -> tuple[tuple[Decimal, ...], tuple[Instalment, ...]]:
    """The schedule's percentages (for every selection) and its instalments for the default one."""
    entries = []
    percents: list[Decimal] = []
    unread = False
    for p in f.records("payment_schedule", "instalment", "- {percent: 30, due: on acceptance}"):
        percent = p.decimal("percent", required=True, minimum=Decimal(0), example="30")
        if percent == 0:
            p.error(p.node_of("percent"), "an instalment of 0% pays nothing", "remove this row")
            percent = None
        due = p.text("due", example="on acceptance") or ""
        after = written_after(p, event)
        has_before, has_date = p.has("before"), p.has("date")
        date = None
        if has_before and has_date:
            p.error(p.node, "this instalment has both 'before' and 'date'", "give one of them, or  due: on acceptance")
        elif has_date:
            date = p.date("date", example="2027-04-01")
        elif has_before:
            date, _written = counted_back(p, event)
        elif not due and not after:
            p.absent(
                ("due", "date", "before"),
                "this instalment has no due date",
                "add  due: on acceptance,  date: 2027-04-01  or  before: 7 days",
            )
        elif meant := written_dates(due):  # shown as typed, in no language's format, and in no calendar
            p.warning(
                p.node_of("due"),
                f"'due' holds a date, '{shorten(due)}', which the page shows as typed",
                f"write  date: {meant[0].isoformat() if len(meant) == 1 else 'YYYY-MM-DD'}  instead, so it reads in the client's language",
            )
        p.finish()
        if percent is not None:
            percents.append(percent)
            entries.append((percent, due, date))
        else:
            unread = True  # reported above; a sum without it would be a second, wrong message
    if unread or not entries:
        return (), ()
    if sum(percents) != 100:
        f.error(
            f.node_of("payment_schedule"),
            f"the payment schedule adds up to {sum(percents)}%, not 100%",
            "change the percentages so they add up to exactly 100",
        )
        return (), ()
    if quote is None:
        if not has_budget:
            f.error(
                f.node_of("payment_schedule"),
                "the payment schedule has no budget to split",
                "add a  budget:  with its items, or remove the payment schedule",
            )
        return (), ()
    amounts = split_total(quote.total, percents, currency)
    if any(amount < 0 for amount in amounts):
        f.error(f.node_of("payment_schedule"), "the total is too small to split into these instalments", "use fewer instalments")
        return (), ()
    instalments = tuple(Instalment(percent, amount, due, date) for (percent, due, date), amount in zip(entries, amounts, strict=True))
    return tuple(percents), instalments
