"""Typed reading of YAML nodes, collecting every problem with its line and column.

A `Fields` wraps one YAML mapping. Each accessor (`text`, `whole`, `date`, ...) both
reads a key and declares it known; `finish()` then reports the keys nobody asked
for, with the closest known name as a suggestion. So a record's schema is simply the
code that reads it, and cannot drift from the list of keys in error messages.

Scalars are converted from the text as written: numbers go straight to Decimal (never
through float), dates are parsed from `YYYY-MM-DD` whether quoted or not, and `true`/
`false` are the only booleans (YAML 1.1's `yes`, `no`, `on`, `NO` stay text).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal

import babel.numbers
import yaml
from babel.numbers import get_currency_precision

from .dates import format_date, no_such_day, written_dates
from .errors import Location, Problem, Report, shorten
from .money import currency_hint, fits_minor_unit, quantum
from .sources import Document

MIN_YEAR, MAX_YEAR = 1900, 2999  # keeps date arithmetic (milestones, calendars) far from its limits
MAX_INTEGER_DIGITS, MAX_FRACTION_DIGITS = 15, 6  # enough for any budget in any currency
NULLS = {"", "~", "null", "Null", "NULL"}
DECIMAL_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")
WHOLE_RE = re.compile(r"^[+-]?\d+$")
EXPONENT_RE = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A plain address, nothing a mailto: link would read as more: no name, spaces, ?, &, #, %, comma
# or second @ (`hello@x.example?bcc=...` would copy every acceptance to someone else).
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
EMAIL_RE = re.compile(rf"[\w+'-]+(?:\.[\w+'-]+)*@{_LABEL}(?:\.{_LABEL})+")
MAX_EMAIL_LENGTH = 254

# A number as people write it on an invoice: 'Rp 15.000.000', '15,000,000', '15.000.000,50',
# '$ 1,250.00', '30 %': a currency or unit around digits grouped by '.', ',', spaces or "'".
_WRITTEN_NUMBER = re.compile(r"[^\d+-]{0,4}?\s*(\d[\d.,' \u00a0\u202f]*\d|\d)\s*[^\d]{0,4}")
_NUMBER_TEXT = re.compile(r"[^\d]{0,4}[\d.,' \u00a0\u202f]*\d")  # the part of a number before a { } comma


def plain_number(written: str) -> str | None:
    """The number `written` means, as propgen reads numbers ('15000000', '15000000.50'), or
    None when that is not certain. Of '.' and ',', the last one is the decimal mark if both
    are there, and a mark that repeats groups thousands; a single one groups thousands when
    exactly three digits follow it ('1,500', 'Rp 185.000'), as prices are written."""
    found = _WRITTEN_NUMBER.fullmatch(written.strip())
    if found is None:
        return None
    digits = re.sub(r"[' \u00a0\u202f]", "", found.group(1))
    marks = [c for c in digits if c in ".,"]
    if not marks:
        return digits
    if len(set(marks)) == 2:
        decimal = marks[-1]
        if marks.count(decimal) > 1:
            return None
    elif len(marks) == 1 and len(digits) - digits.index(marks[0]) - 1 != 3:
        decimal = marks[0]
    else:
        decimal = ""
    whole, _, fraction = digits.partition(decimal) if decimal else (digits, "", "")
    groups = re.split(r"[.,]", whole)
    if any(len(group) != 3 for group in groups[1:]) or not groups[0]:
        return None
    return "".join(groups) + (f".{fraction}" if fraction else "")


KIND_NAMES = {yaml.MappingNode: "a set of fields", yaml.SequenceNode: "a list", yaml.ScalarNode: "a single value"}


class Source:
    """The file a node tree came from, for turning marks into locations. `first_line` is
    the file line where the YAML starts (front matter starts on line 2)."""

    def __init__(self, display: str, report: Report, first_line: int = 1) -> None:
        self.display = display
        self.report = report
        self.first_line = first_line

    @classmethod
    def of(cls, document: Document, report: Report) -> Source:
        return cls(document.display, report, document.yaml_line)

    def at(self, node: yaml.Node) -> Location:
        return Location(self.display, node.start_mark.line + self.first_line, node.start_mark.column + 1)


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not node.style and node.value in NULLS  # libyaml says '' for plain


def _numbers_rejoined(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    """The pairs of a mapping, with a number that a comma split inside { } made whole again:
    `{price: 15,000,000}` is to YAML a price of 15 and two fields named '000'. Said as that, it
    is three puzzling errors ("'000' is given twice"); joined, the number's own rule says once
    that it should be written 15000000. Only digits after a number are joined, so
    `{name: Anna, Ben and Co}` stays the unknown field it is."""
    pairs: list[tuple[yaml.Node, yaml.Node]] = []
    for key_node, value_node in node.value:
        if node.flow_style and pairs and _is_number_part(key_node) and is_null(value_node):
            before_key, before = pairs[-1]
            if isinstance(before, yaml.ScalarNode) and not before.style and _NUMBER_TEXT.fullmatch(str(before.value)):
                joined = yaml.ScalarNode("tag:yaml.org,2002:str", f"{before.value},{key_node.value}", before.start_mark, key_node.end_mark)
                pairs[-1] = (before_key, joined)
                continue
        pairs.append((key_node, value_node))
    return pairs


def _is_number_part(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not node.style and re.fullmatch(r"\d+(\.\d+)?", str(node.value)) is not None


class Fields:
    """One YAML mapping, read field by field. `what` names it in messages ('event', 'venue')."""

    def __init__(self, node: yaml.Node, source: Source, what: str, path: str = "") -> None:
        self.node = node
        self.source = source
        self.what = what
        self.path = path  # dotted field path, e.g. "venue" or "gallery[2]"
        self.known: list[str] = []
        self.values: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        self.missing: dict[str, Problem] = {}  # required keys said to be missing, by key (see `finish`)
        self.lacking: dict[str, Problem] = {}  # problems said because optional keys are absent (see `absent`)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in _numbers_rejoined(node):
                if not isinstance(key_node, yaml.ScalarNode):  # `? [a, b]` or `[a, b]: x`
                    self.error(
                        key_node,
                        f"a field name should be a word, not {KIND_NAMES[type(key_node)]}",
                        "write  name: value  with a plain name before the colon",
                    )
                    continue
                key = str(key_node.value)
                if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                    self.error(key_node, "YAML merge keys ('<<') are not supported here", "write the fields out in full")
                    self.known.append(key)
                if key in self.values:
                    self.error(key_node, f"'{self._name(key)}' is given twice", "keep only one of them")
                self.values[key] = (key_node, value_node)

    # -- helpers -------------------------------------------------------------------------

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, node: yaml.Node, message: str, hint: str = "") -> None:
        self.source.report.error(self.source.at(node), message, hint)

    def warning(self, node: yaml.Node, message: str, hint: str = "") -> None:
        self.source.report.warning(self.source.at(node), message, hint)

    def absent(self, keys: tuple[str, ...], message: str, hint: str, warning: bool = False) -> None:
        """Say, at the mapping, what follows from `keys` being absent ("this event has no
        summary"). When `finish` then finds an unknown field that is a misspelling of one of
        them (`sumary:`), that is the one mistake, said there, and this problem is taken back."""
        (self.warning if warning else self.error)(self.node, message, hint)
        for key in keys:
            self.lacking[key] = self.source.report.problems[-1]

    def location(self, key: str | None = None) -> Location:
        """Where a key's value is, or where the mapping starts if the key is absent."""
        if key is not None and key in self.values:
            return self.source.at(self.values[key][1])
        return self.source.at(self.node)

    def node_of(self, key: str) -> yaml.Node:
        return self.values[key][1] if key in self.values else self.node

    def has(self, key: str) -> bool:
        self.known.append(key)
        return key in self.values and not is_null(self.values[key][1])

    def _get(self, key: str, required: bool, example: str) -> yaml.Node | None:
        self.known.append(key)
        if key not in self.values or is_null(self.values[key][1]):
            if required:
                node = self.values[key][0] if key in self.values else self.node
                self.error(node, f"{self.what} needs '{self._name(key)}'", f"add a line such as  {key}: {example}")
                self.missing[key] = self.source.report.problems[-1]
            return None
        return self.values[key][1]

    def _scalar(self, key: str, node: yaml.Node, expected: str, example: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.error(
                node,
                f"'{self._name(key)}' should be {expected}, not {KIND_NAMES[type(node)]}",
                f"write it on one line, e.g.  {key}: {example}",
            )
            return None
        return str(node.value)

    # -- scalars -------------------------------------------------------------------------

    def text(self, key: str, required: bool = False, example: str = "...") -> str | None:
        node = self._get(key, required, example)
        if node is None:
            return None
        value = self._scalar(key, node, "text", example)
        if value is None:
            return None
        value = value.strip()
        if required and not value:
            self.error(node, f"'{self._name(key)}' is empty", f"write it, e.g.  {key}: {example}")
            return None
        return value

    def choice(self, key: str, choices: list[str], required: bool = False, default: str | None = None) -> str | None:
        node = self._get(key, required, choices[0] if choices else "...")
        if node is None:
            return default
        value = self._scalar(key, node, "one word", choices[0])
        if value is None:
            return None
        if value not in choices:
            close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(choices)}"
            self.error(node, f"'{shorten(value)}' is not a known {self._name(key)}; expected one of {', '.join(choices)}", hint)
            return None
        return value

    def whole(self, key: str, required: bool = False, minimum: int = 0, example: str = "120") -> int | None:
        node = self._get(key, required, example)
        if node is None:
            return None
        raw = self._scalar(key, node, "a whole number", example)
        if raw is None:
            return None
        cleaned = raw.replace("_", "").strip()
        spelled = spell_out(cleaned) if EXPONENT_RE.match(cleaned) else None
        if (WHOLE_RE.match(cleaned) and len(cleaned.lstrip("+-")) > MAX_INTEGER_DIGITS) or (EXPONENT_RE.match(cleaned) and spelled is None):
            self.error(node, f"'{self._name(key)}' is too large: {shorten(raw)}", f"use at most {MAX_INTEGER_DIGITS} digits")
            return None
        if not WHOLE_RE.match(cleaned):
            hint = f"write digits only, e.g.  {key}: {example}"
            plain = plain_number(cleaned)
            if spelled is not None and WHOLE_RE.match(spelled):
                hint = f"write the digits out:  {key}: {spelled}"
            elif plain is not None and WHOLE_RE.match(plain):
                hint = f"write digits only:  {key}: {plain}"
            self.error(node, f"'{self._name(key)}' should be a whole number, not '{shorten(raw)}'", hint)
            return None
        number = int(cleaned)
        if number < minimum:
            self.error(node, f"'{self._name(key)}' should be at least {minimum}, not {number}", f"write a number of {minimum} or more")
            return None
        return number

    def decimal(self, key: str, required: bool = False, minimum: Decimal | None = None, example: str = "1500000") -> Decimal | None:
        node = self._get(key, required, example)
        if node is None:
            return None
        raw = self._scalar(key, node, "a number", example)
        if raw is None:
            return None
        cleaned = raw.replace("_", "").strip()
        spelled = spell_out(cleaned) if EXPONENT_RE.match(cleaned) else None
        whole_part, _, fraction = cleaned.lstrip("+-").partition(".")
        too_long = len(whole_part) > MAX_INTEGER_DIGITS or len(fraction) > MAX_FRACTION_DIGITS
        if (DECIMAL_RE.match(cleaned) and too_long) or (EXPONENT_RE.match(cleaned) and spelled is None):
            self.error(
                node,
                f"'{self._name(key)}' has too many digits: {shorten(raw)}",
                f"use at most {MAX_INTEGER_DIGITS} digits before the decimal point and {MAX_FRACTION_DIGITS} after it",
            )
            return None
        if not DECIMAL_RE.match(cleaned):
            hint = f"write a plain number without currency symbols or thousands separators, e.g.  {key}: {example}"
            plain = plain_number(cleaned)
            if spelled is not None:
                hint = f"write the digits out:  {key}: {spelled}"
            elif cleaned.endswith("%") and DECIMAL_RE.match(cleaned[:-1].strip()):
                hint = f"write the number without the % sign:  {key}: {cleaned[:-1].strip()}"
            elif plain is not None:
                hint = f"write digits only{', with a dot before the decimals' if '.' in plain else ''}:  {key}: {plain}"
            self.error(node, f"'{self._name(key)}' should be a number, not '{shorten(raw)}'", hint)
            return None
        number = Decimal(cleaned)
        if minimum is not None and number < minimum:
            self.error(
                node, f"'{self._name(key)}' should be at least {minimum}, not {shorten(raw)}", f"write a number of {minimum} or more"
            )
            return None
        return number

    def date(self, key: str, required: bool = False, example: str = "2025-03-14") -> dt.date | None:
        node = self._get(key, required, example)
        if node is None:
            return None
        raw = self._scalar(key, node, "a date", example)
        if raw is None:
            return None
        return self.parse_date(node, key, raw.strip(), example)

    def parse_date(self, node: yaml.Node, key: str, raw: str, example: str = "2025-03-14") -> dt.date | None:
        if DATE_RE.match(raw):
            try:
                value = dt.date.fromisoformat(raw)
                if not MIN_YEAR <= value.year <= MAX_YEAR:
                    self.error(node, f"'{self._name(key)}' is in the year {value.year}", f"use a year from {MIN_YEAR} to {MAX_YEAR}")
                    return None
                return value
            except ValueError:
                pass  # said below, with the month that has no such day
        if impossible := no_such_day(raw):
            reason, meant_day, words = impossible
            self.error(
                node,
                f"'{self._name(key)}' is '{shorten(raw)}', but {reason}",
                f"write a real day, e.g.  {key}: {meant_day.isoformat()}{'  ' + words if words else ''}",
            )
            return None
        if DATE_RE.match(raw):  # a real day's digits that `fromisoformat` still refused
            self.error(node, f"'{self._name(key)}' is not a real date: '{shorten(raw)}'", "check the month and the day")
            return None
        meant = [day for day in written_dates(raw) if MIN_YEAR <= day.year <= MAX_YEAR]
        hint = f"write e.g.  {key}: {example}"
        if len(meant) == 1:
            hint = f"write  {key}: {meant[0].isoformat()}"
        elif meant:
            hint = "write " + ", or ".join(f" {key}: {day.isoformat()}  for {format_date(day, 'en', 'd MMMM')}" for day in meant)
        self.error(node, f"'{self._name(key)}' should be a date written YYYY-MM-DD, not '{shorten(raw)}'", hint)
        return None

    def end_date(self, key: str, start: dt.date | None) -> dt.date | None:
        """A last day, which may not come before the first."""
        end = self.date(key, example="2025-03-16")
        if start and end and end < start:
            self.error(self.node_of(key), f"{key} {end} is before the first day {start}", "the last day cannot come before the first")
            return None
        return end

    def money_amount(self, key: str, currency: str, required: bool = False, example: str = "1500000") -> Decimal | None:
        """An amount of money: at least 0, and no finer than the currency's minor unit."""
        amount = self.decimal(key, required=required, minimum=Decimal(0), example=example)
        written = str(self.node_of(key).value).strip() if amount is not None else ""
        if (
            amount is not None
            and re.fullmatch(r"\d{1,3}\.\d{3}", written)
            and get_currency_precision(currency) < 3
            and fits_minor_unit(amount, currency)
        ):
            # 'Rp 185.000' is how Indonesia (and much of Europe) writes 185 thousand; read as a
            # decimal point it would quietly quote 185 (an amount finer than the currency's
            # minor unit is refused below anyway). Only the writer knows which was meant.
            self.error(
                self.node_of(key),
                f"'{self._name(key)}' is written {written}, which propgen reads as {amount.normalize():f} {currency}: '.' is the decimal point",
                f"write  {key}: {written.replace('.', '')}  without the dot, or  {key}: {amount.normalize():f}  if {amount.normalize():f} is meant",
            )
            return None
        if amount is not None and not fits_minor_unit(amount, currency):
            self.error(
                self.node_of(key),
                f"'{self._name(key)}' has more decimals than {currency} allows: {amount}",
                money_rounding_hint(amount, currency),
            )
            return None
        return amount

    def flag(self, key: str, default: bool) -> bool:
        node = self._get(key, False, "true")
        if node is None:
            return default
        raw = self._scalar(key, node, "true or false", "true")
        if raw is None:
            return default
        if raw.strip().lower() in ("true", "false"):
            return raw.strip().lower() == "true"
        self.error(
            node,
            f"'{self._name(key)}' should be true or false, not '{shorten(raw)}'",
            f"write  {key}: true  or  {key}: false",
        )
        return default

    def url(self, key: str, required: bool = False) -> str | None:
        value = self.text(key, required, "https://example.com/")
        if value is None:
            return None
        if not re.match(r"^https?://[^\s/]+\.[^\s]*$", value) and not value.startswith(("http://localhost", "http://127.")):
            hint = "start it with https://, e.g. https://example.com/"
            if value.lower().startswith(("http://", "https://")):  # it does: the rest is wrong
                hint = "write it without spaces and with the site's full name, e.g. https://example.com/"
            self.error(self.node_of(key), f"'{self._name(key)}' should be a full web address, not '{shorten(value)}'", hint)
            return None
        return value

    def email(self, key: str, required: bool = False) -> str | None:
        value = self.text(key, required, "hello@example.com")
        if value is None:
            return None
        if len(value) > MAX_EMAIL_LENGTH or not EMAIL_RE.fullmatch(value):
            self.error(self.node_of(key), f"'{self._name(key)}' should be an email address, not '{shorten(value)}'", email_hint(value))
            return None
        return value

    def currency(self, key: str, default: str) -> str:
        value = self.text(key, example="USD")
        if value is None:
            return default
        if not babel.numbers.is_currency(value):
            self.error(self.node_of(key), f"'{shorten(value)}' is not an ISO 4217 currency code", currency_hint(value))
            return default
        return value

    # -- containers ------------------------------------------------------------------------

    def mapping(self, key: str, what: str, required: bool = False, example: str = "{...}") -> Fields | None:
        node = self._get(key, required, example)
        if node is None:
            return None
        if not isinstance(node, yaml.MappingNode):
            self.error(
                node,
                f"'{self._name(key)}' should be a set of fields, not {KIND_NAMES[type(node)]}",
                f"write it like  {key}: {example}",
            )
            return None
        return Fields(node, self.source, what, self._name(key))

    def items(self, key: str, required: bool = False, example: str = "[...]") -> list[yaml.Node]:
        """The nodes of a list field; a single scalar is accepted as a list of one."""
        node = self._get(key, required, example)
        if node is None:
            return []
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.ScalarNode):
            if not node.style and node.end_mark.line > node.start_mark.line and " - " in node.value:
                # `services: venue` with `  - catering` below it: YAML reads the '- ' lines as
                # more of the text, and the list is one item, "venue - catering".
                self.warning(
                    node,
                    f"'{self._name(key)}' is one line of text here, '{shorten(node.value)}': YAML read the '- ' lines"
                    " below it as part of that text, not as items of a list",
                    f"write '{key}:' alone on its line, then each item on a line of its own below it, e.g.  "
                    f"- {node.value.split(' - ')[0].strip()}",
                )
            return [node]
        self.error(node, f"'{self._name(key)}' should be a list", f"write it like  {key}: {example}")
        return []

    def texts(self, key: str, example: str = "[one, two]") -> list[str]:
        result = []
        for index, node in enumerate(self.items(key, example=example)):
            if not isinstance(node, yaml.ScalarNode) or is_null(node):
                self.error(node, f"'{self._name(key)}[{index + 1}]' should be a line of text", f"write it like  {key}: {example}")
                continue
            result.append(str(node.value).strip())
        return result

    def records(self, key: str, what: str, example: str = "- {name: ...}") -> Iterator[Fields]:
        for index, node in enumerate(self.items(key, example=example)):
            if not isinstance(node, yaml.MappingNode):
                self.error(
                    node,
                    f"each entry of '{self._name(key)}' should be a set of fields, not {KIND_NAMES[type(node)]}",
                    f"write it like  {example}",
                )
                continue
            yield Fields(node, self.source, what, f"{self._name(key)}[{index + 1}]")

    def finish(self) -> None:
        """Report every key that no accessor asked for, suggesting the closest known one."""
        known = sorted(set(self.known))
        for key, (key_node, _value) in self.values.items():
            if key in self.known:
                continue
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"known fields here: {', '.join(known)}"
            missing = self.missing.pop(close[0], None) if close else None
            if missing is not None and missing in self.source.report.problems:
                # `nama:` for `name:` is one mistake: said once, here, not also as "needs 'name'"
                self.source.report.problems.remove(missing)
                hint = f"did you mean '{close[0]}'? it is required"
            lacking = self.lacking.get(close[0]) if close else None
            if lacking is not None and lacking in self.source.report.problems:
                self.source.report.problems.remove(lacking)  # `sumary:` is one mistake, not also "no summary"
            if getattr(self.node, "flow_style", False) and is_null(_value) and not close:
                hint = "inside { } a comma starts a new field: put quotes around a value that contains a comma"
            self.error(key_node, f"unknown field '{self._name(key)}' in {self.what}", hint)


def email_hint(value: str) -> str:
    """Suggest the address itself when it is only wrapped ('mailto:', 'Name <...>', '?subject=');
    otherwise say what a plain address is, without guessing which part was meant."""
    inner = value.split("<", 1)[-1].split(">", 1)[0] if "<" in value else value
    inner = re.sub(r"(?i)^mailto:", "", inner.strip()).split("?", 1)[0].strip()
    if inner != value and len(inner) <= MAX_EMAIL_LENGTH and EMAIL_RE.fullmatch(inner):
        return f"write the address alone:  {inner}"
    if value.count("@") > 1:
        return "write one address only, like hello@example.com"
    odd = sorted({"spaces" if c.isspace() else f"'{c}'" for c in value if c.isspace() or c in '?&#%,;:<>"()[]\\/=!'})
    if odd:
        return f"write it without {', '.join(odd[:-1]) + ' or ' if len(odd) > 1 else ''}{odd[-1]}, like hello@example.com"
    return "write it like hello@example.com"


def fits_digits(amount: Decimal) -> bool:
    """Whether a worked-out amount (qty × price, a total) keeps the 15-digit rule of what is
    written: beyond it, amounts stop being exact in places that format them."""
    return amount == 0 or amount.adjusted() < MAX_INTEGER_DIGITS


def spell_out(written: str) -> str | None:
    """'1e6' -> '1000000': the digits a number in exponent form stands for, or None when they
    would break the 15 + 6 digit rule (1e99999 must not become 100,000 digits to print)."""
    exponent = written.lower().partition("e")[2].lstrip("+-")
    if len(exponent) > 2:
        return None
    digits = format(Decimal(written), "f")
    whole_part, _, fraction = digits.lstrip("+-").partition(".")
    if len(whole_part) > MAX_INTEGER_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        return None
    return digits


def open_record(node: yaml.Node | None, source: Source, what: str, example: str = "title: ...") -> Fields | None:
    """The top mapping of a file, or a problem saying the file must be a set of fields."""
    if node is None:
        source.report.error(Location(source.display), f"the {what} is empty", f"start with a line such as  {example}")
        return None
    if not isinstance(node, yaml.MappingNode):
        source.report.error(
            source.at(node),
            f"the {what} should be a set of 'field: value' lines, not {KIND_NAMES[type(node)]}",
            f"start with a line such as  {example}",
        )
        return None
    return Fields(node, source, what)


def money_rounding_hint(amount: Decimal, currency: str) -> str:
    """What to write instead of an amount finer than the currency allows, with both
    neighbours spelled out, since "round it to 1" means nothing to a coordinator."""
    step = quantum(currency)
    down = amount.quantize(step, rounding=ROUND_FLOOR)
    if step == 1:
        return f"{currency} amounts are whole numbers: write {down} or {down + step}"
    return f"{currency} has {get_currency_precision(currency)} decimals: write {down} or {down + step}"
