"""Proposal records -> `Proposal` models: the schema of content/proposals/<slug>.yaml.

Budgets are worked out here with money.py, milestones and instalment dates with dates.py,
and `portfolio: auto` is resolved against the public events, so later stages only show.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection
from decimal import Decimal, localcontext

import yaml

from .config import Config
from .dates import shift
from .errors import Report, shorten
from .fields import MAX_INTEGER_DIGITS, MIN_YEAR, Fields, Source, fits_digits, open_record
from .guards import read_password_env, warn_example_values, warn_shared_passwords
from .images import StaticFiles, render_body
from .markdown import Renderer
from .models import (
    Accept,
    Event,
    Instalment,
    Milestone,
    Money,
    Proposal,
    ProposalClient,
    ProposalEvent,
    ScheduleDay,
    ScheduleItem,
    VenueOption,
)
from .money import EXACT, Adjustment, BudgetLine, Quote, compute_quote, fits_minor_unit, split_total
from .rankings import TagIndex
from .sources import Pair

BEFORE_RE = re.compile(r"^(\d+)\s*(day|days|week|weeks|month|months|year|years)$")
PORTFOLIO_SIZE = 3


def read_proposals(
    pairs: tuple[Pair, ...],
    config: Config,
    events: list[Event],
    markdown: Renderer,
    static: StaticFiles,
    report: Report,
    failed_events: Collection[str] = (),
) -> list[Proposal]:
    """`failed_events`: slugs of events whose files had errors (already reported)."""
    proposals = []
    past = PastEvents(events, failed_events)
    for pair in pairs:
        stem, letter = pair.stem, pair.text
        if not pair.has_record_file:
            if letter is not None:
                report.error(
                    letter.at(1),
                    f"this cover letter has no proposal: there is no {stem}.yaml beside it",
                    f"create {stem}.yaml (propgen new proposal CLIENT writes one), or rename this file to match it",
                )
            continue
        if pair.record is None:
            continue  # unreadable: already reported
        letter_html = ""
        if letter is not None:
            if letter.node is not None:
                report.error(letter.at(1), "a cover letter has no front matter", f"move those fields into {stem}.yaml")
            letter_html = render_body(letter, markdown, static, report)
        f = open_record(pair.record.node, Source.of(pair.record, report), "proposal", "title: Annual Conference 2027")
        if f is None:
            continue
        proposal = read_proposal(f, stem, config, past, letter_html)
        f.finish()
        if proposal is not None:
            proposals.append(proposal)
    warn_shared_passwords(proposals, report)
    return proposals


def read_proposal(f: Fields, slug: str, config: Config, past: PastEvents, letter_html: str) -> Proposal | None:
    title = f.text("title", required=True, example="Annual Conference 2027")
    client = _client(f.mapping("client", "client", required=True, example="{name: PT Example, contact: ..., email: ...}"))
    prepared_on = f.date("prepared_on", required=True, example="2026-11-20")
    valid_until = f.date("valid_until", example="2027-01-15")
    if prepared_on and valid_until and valid_until < prepared_on:
        f.error(
            f.node_of("valid_until"),
            f"valid_until {valid_until} is before prepared_on {prepared_on}",
            "a proposal cannot expire before it is written",
        )
    event = _event(f.mapping("event", "event", required=True, example="{type: conference, date: 2027-06-12}"), config)
    needs = tuple(f.texts("needs", example="[Hybrid attendance]"))
    tags = tuple(f.texts("tags", example="[hybrid, healthcare]"))
    budget_fields = f.mapping("budget", "budget", example="{items: [...]}")
    currency = _currency(budget_fields, config)
    venues = tuple(
        v for v in (_venue(r, currency) for r in f.records("venues", "venue option", "- {name: Grand Hall, capacity: 400}")) if v
    )
    schedule = tuple(d for d in (_day(r) for r in f.records("schedule", "schedule day", "- {day: 2027-06-12, items: [...]}")) if d)
    timeline = _timeline(f, event, prepared_on)
    quote = _budget(budget_fields, currency)
    payments = _payments(f, quote.total if quote else None, currency, event, budget_fields is not None)
    portfolio = _portfolio(f, past, event, tags)
    accept = _accept(f.mapping("accept", "accept", required=True, example="{email: hello@example.com}"))
    password_env = read_password_env(f, config)
    draft = f.flag("draft", False)
    warn_example_values(f)
    if title is None or client is None or prepared_on is None or event is None or accept is None:
        return None
    return Proposal(
        slug=slug,
        title=title,
        source=f.source.display,
        client=client,
        prepared_on=prepared_on,
        valid_until=valid_until,
        valid_until_at=f.location("valid_until") if valid_until else None,
        draft=draft,
        event=event,
        needs=needs,
        venues=venues,
        schedule=schedule,
        timeline=timeline,
        quote=quote,
        payments=payments,
        portfolio=portfolio,
        accept=accept,
        password_env=password_env,
        password_at=f.location("password_env") if password_env else None,
        letter_html=letter_html,
    )


def _client(f: Fields | None) -> ProposalClient | None:
    if f is None:
        return None
    name = f.text("name", required=True, example="PT Nusantara Medika")
    client = ProposalClient(name or "", f.text("contact") or "", f.email("email") or "")
    f.finish()
    return client if name else None


def _event(f: Fields | None, config: Config) -> ProposalEvent | None:
    if f is None:
        return None
    kind = f.choice("type", list(config.event_types), required=True)
    date = f.date("date", required=True, example="2027-06-12")
    end_date = f.end_date("end_date", date)
    guests = f.whole("guests", example="400")
    city = f.text("city") or ""
    formality = f.text("formality", example="business") or ""
    f.finish()
    if kind is None or date is None:
        return None
    return ProposalEvent(kind, date, end_date, guests, city, formality)


def _currency(f: Fields | None, config: Config) -> str:
    return f.currency("currency", config.currency) if f is not None else config.currency


def _venue(f: Fields, currency: str) -> VenueOption | None:
    name = f.text("name", required=True, example="Grand Hall")
    capacity = f.whole("capacity", example="400")
    price = f.money_amount("price", currency)
    notes = f.text("notes") or ""
    recommended = f.flag("recommended", False)
    f.finish()
    if not name:
        return None
    return VenueOption(name, capacity, Money(price, currency) if price is not None else None, notes, recommended)


def _day(f: Fields) -> ScheduleDay | None:
    day = f.date("day", required=True, example="2027-06-12")
    items = []
    for item in f.records("items", "schedule item", '- {time: "09:00", title: Opening keynote}'):
        time = item.text("time", required=True, example='"09:00"')
        title = item.text("title", required=True, example="Opening keynote")
        item.finish()
        if time and title:
            items.append(ScheduleItem(time, title))
    f.finish()
    return ScheduleDay(day, tuple(items)) if day else None


def _before(f: Fields, event: ProposalEvent | None) -> tuple[dt.date | None, str]:
    """Resolve `before: N days|weeks|months|years` against the event date."""
    raw = f.text("before", example="6 months")
    if raw is None:
        return None, ""
    match = BEFORE_RE.match(raw.strip().lower())
    if not match:
        f.error(
            f.node_of("before"),
            f"'{shorten(raw)}' is not a length of time propgen understands",
            "write a number and a unit, e.g.  before: 6 months  (days, weeks, months or years)",
        )
        return None, ""
    if event is None:
        return None, ""
    digits, unit = match.group(1), match.group(2)
    try:  # more than six digits of days is more than 2,700 years: no date, and no 5,000-digit int()
        date = shift(event.date, -int(digits), unit if unit.endswith("s") else unit + "s") if len(digits) <= 6 else None
    except (OverflowError, ValueError):
        date = None
    if date is None or date.year < MIN_YEAR:
        f.error(f.node_of("before"), f"{shorten(raw)} before {event.date} is not a date propgen can show", "use a shorter length of time")
        return None, ""
    return date, raw.strip()


def _timeline(f: Fields, event: ProposalEvent | None, prepared_on: dt.date | None) -> tuple[Milestone, ...]:
    milestones = []
    for m in f.records("timeline", "milestone", "- {before: 6 months, task: Sign the venue contract}"):
        task = m.text("task", required=True, example="Sign the venue contract")
        has_before, has_date = m.has("before"), m.has("date")
        if has_before == has_date:
            what = "both 'before' and 'date'" if has_before else "neither 'before' nor 'date'"
            m.error(m.node, f"this milestone has {what}", "give exactly one:  before: 6 months  or  date: 2027-03-01")
            m.finish()
            continue
        if has_before:
            date, before = _before(m, event)
        else:
            date, before = m.date("date"), ""
        if date and prepared_on and date < prepared_on:
            m.warning(
                m.node,
                f"this milestone falls on {date}, before the proposal's prepared_on {prepared_on}",
                "move it later, or check the event date",
            )
        m.finish()
        if task and date:
            milestones.append(Milestone(task, date, before))
    return tuple(sorted(milestones, key=lambda m: m.date))


def _budget(f: Fields | None, currency: str) -> Quote | None:
    if f is None:
        return None
    errors_before = len(f.source.report.errors)
    lines: list[BudgetLine] = []
    for item in f.records("items", "budget line", "- {section: Venue, item: Ballroom, qty: 2, unit: day, price: 90000000}"):
        section = item.text("section", example="Venue") or ""  # optional: unsectioned lines come first, unheaded
        name = item.text("item", required=True, example="Ballroom hire")
        qty = item.decimal("qty", minimum=Decimal(0), example="2")
        unit = item.text("unit", example="day") or ""
        price = item.money_amount("price", currency, required=True, example="90000000")
        optional = item.flag("optional", False)
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
            item.error(
                item.node_of("price"), f"qty × price = {amount} is not a whole amount of {currency}", "round the price or the quantity"
            )
            price = None
        item.finish()
        if name and price is not None:
            lines.append(BudgetLine(section, name, price, qty if qty is not None else Decimal(1), unit, optional))
    if not any(not line.optional for line in lines) and len(f.source.report.errors) == errors_before:
        f.error(f.node, "the budget has no items to add up", "add at least one line that is not optional under  items:")
    discount = _adjustment(f.mapping("discount", "discount", example="{label: Early booking, percent: 5}"), currency, allow_amount=True)
    service = _adjustment(f.mapping("service_charge", "service charge", example="{label: Service, percent: 10}"), currency)
    tax = _adjustment(f.mapping("tax", "tax", example="{label: VAT, percent: 11}"), currency)
    f.finish()
    if len(f.source.report.errors) > errors_before:
        return None  # totals of a budget with mistakes would only add confusing messages
    quote = compute_quote(currency, lines, discount, service, tax)
    if not fits_digits(quote.total) or not fits_digits(quote.subtotal):
        f.error(
            f.node_of("items"),
            f"the total of this budget has more than {MAX_INTEGER_DIGITS} digits before the decimal point",
            f"check the quantities and prices: a total may have at most {MAX_INTEGER_DIGITS} digits",
        )
        return None
    if quote.discount and quote.discount.amount > quote.subtotal:
        f.error(
            f.node_of("discount"),
            f"the discount ({quote.discount.amount}) is larger than the subtotal ({quote.subtotal})",
            "lower the discount",
        )
        return None
    return quote


def _adjustment(f: Fields | None, currency: str, allow_amount: bool = False) -> Adjustment | None:
    if f is None:
        return None
    label = f.text("label", required=True, example="Service")
    percent = f.decimal("percent", minimum=Decimal(0), example="10")
    amount = f.money_amount("amount", currency, example="500000") if allow_amount else None
    if allow_amount and f.has("percent") == f.has("amount"):
        f.error(f.node, f"'{f.path}' needs either 'percent' or 'amount', not both or neither", "e.g.  {label: Early booking, percent: 5}")
    elif not allow_amount and percent is None:
        f.error(f.node, f"'{f.path}' needs 'percent'", "e.g.  {label: Service, percent: 10}")
    if percent is not None and percent > 100:
        f.error(f.node_of("percent"), f"'{f.path}.percent' is {percent}, more than 100", "write a percentage from 0 to 100")
    f.finish()
    if label is None:
        return None
    return Adjustment(label, percent, amount)


def _payments(f: Fields, total: Decimal | None, currency: str, event: ProposalEvent | None, has_budget: bool) -> tuple[Instalment, ...]:
    entries = []
    percents: list[Decimal] = []
    unread = False
    for p in f.records("payment_schedule", "instalment", "- {percent: 30, due: on acceptance}"):
        percent = p.decimal("percent", required=True, minimum=Decimal(0), example="30")
        if percent == 0:
            p.error(p.node_of("percent"), "an instalment of 0% pays nothing", "remove this row")
            percent = None
        due = p.text("due", example="on acceptance") or ""
        has_before, has_date = p.has("before"), p.has("date")
        date = None
        if has_before and has_date:
            p.error(p.node, "this instalment has both 'before' and 'date'", "give one of them, or  due: on acceptance")
        elif has_date:
            date = p.date("date", example="2027-04-01")
        elif has_before:
            date, _written = _before(p, event)
        elif not due:
            p.error(p.node, "this instalment has no due date", "add  due: on acceptance,  date: 2027-04-01  or  before: 7 days")
        p.finish()
        if percent is not None:
            percents.append(percent)
            entries.append((percent, due, date))
        else:
            unread = True  # reported above; a sum without it would be a second, wrong message
    if unread:
        return ()
    if entries and sum(percents) != 100:
        f.error(
            f.node_of("payment_schedule"),
            f"the payment schedule adds up to {sum(percents)}%, not 100%",
            "change the percentages so they add up to exactly 100",
        )
        return ()
    if not entries:
        return ()
    if total is None:
        if not has_budget:
            f.error(
                f.node_of("payment_schedule"),
                "the payment schedule has no budget to split",
                "add a  budget:  with its items, or remove the payment schedule",
            )
        return ()
    amounts = split_total(total, percents, currency)
    if any(amount < 0 for amount in amounts):
        f.error(f.node_of("payment_schedule"), "the total is too small to split into these instalments", "use fewer instalments")
        return ()
    return tuple(Instalment(percent, amount, due, date) for (percent, due, date), amount in zip(entries, amounts, strict=True))


class PastEvents:
    """The events a proposal may show, indexed once for all the proposals of a build."""

    def __init__(self, events: list[Event], failed: Collection[str] = ()) -> None:
        self.failed = set(failed)  # events with errors of their own: naming one is not a second mistake
        self.public = {e.slug: e for e in events if not e.draft}
        self.drafts = {e.slug for e in events if e.draft}
        self.index = TagIndex(list(self.public.values()))


def _portfolio(f: Fields, past: PastEvents, event: ProposalEvent | None, tags: tuple[str, ...]) -> tuple[str, ...]:
    public = past.public
    node = f.node_of("portfolio") if f.has("portfolio") else None
    if node is None:
        return ()
    if isinstance(node, yaml.ScalarNode):
        if node.value == "auto":
            return tuple(e.slug for e in past.index.portfolio(event, tags, PORTFOLIO_SIZE)) if event else ()
        f.error(
            node,
            f"portfolio should be 'auto' or a list of event slugs, not '{shorten(str(node.value))}'",
            "write  portfolio: auto  or  portfolio: [oncology-forum, ...]",
        )
        return ()
    slugs = []
    for index, item in enumerate(f.items("portfolio")):
        slug = str(item.value) if isinstance(item, yaml.ScalarNode) else ""
        if slug in past.failed:
            continue
        if slug not in public:
            close = difflib.get_close_matches(slug, sorted(public), n=1, cutoff=0.5)
            is_draft = slug in past.drafts
            hint = f"did you mean '{close[0]}'?" if close else "use the file name of an event in content/events/, without .yaml"
            if is_draft:
                hint = "a proposal links only to published events: set  draft: false  in that event, or pick another"
            reason = "is a draft" if is_draft else "is not an event"
            f.error(item, f"portfolio[{index + 1}] '{slug}' {reason}", hint)
            continue
        slugs.append(slug)
    return tuple(dict.fromkeys(slugs))


def pick_portfolio(
    events: list[Event], target: ProposalEvent | None, tags: tuple[str, ...] = (), size: int = PORTFOLIO_SIZE
) -> list[Event]:
    """The most relevant past events for a proposal (the order is in rankings.py)."""
    return TagIndex(events).portfolio(target, tags, size) if target else []


def _accept(f: Fields | None) -> Accept | None:
    if f is None:
        return None
    accept = Accept(email=f.email("email") or "", url=f.url("url") or "")
    if not accept.email and not accept.url and not f.has("email") and not f.has("url"):
        f.error(f.node, "'accept' needs an 'email', a 'url', or both", "e.g.  accept: {email: hello@example.com}")
    f.finish()
    return accept if accept.email or accept.url else None
