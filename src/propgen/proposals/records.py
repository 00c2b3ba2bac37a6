"""Proposal records -> `Proposal` models: the schema of content/proposals/<slug>.yaml.

Budgets become an `Offer` (budget.py) whose default selection is worked out with money.py,
dates are counted back from the event (timing.py), terms read by terms.py, `portfolio: auto`
is resolved against the public events, `supersedes:` across all proposals, and each
proposal gets its version (version.py), so later stages only show.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import replace
from functools import cached_property

import babel
import yaml

from ..config import Config
from ..errors import Location, Report, shorten
from ..fields import Fields, Source, open_record
from ..guards import read_password_env, warn_example_values, warn_shared_passwords
from ..i18n import unknown_locale
from ..images import StaticFiles, render_body
from ..markdown import Renderer
from ..models import (
    Accept,
    Event,
    Money,
    Proposal,
    ProposalClient,
    ProposalEvent,
    ScheduleDay,
    ScheduleItem,
    VenueOption,
)
from ..rankings import TagIndex
from ..sources import Pair
from .budget import read_budget, read_packages, read_payments
from .terms import read_terms
from .timing import read_timeline
from .version import proposal_version

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
        opened = open_with_letter(pair, "proposal", "propgen new proposal CLIENT", markdown, static, report)
        if opened is None:
            continue
        f, letter_html = opened
        proposal = read_proposal(f, pair.stem, config, past, letter_html, Extras(markdown, static))
        f.finish()
        if proposal is not None:
            proposals.append(proposal)
    warn_shared_passwords(proposals, report)
    return link_revisions(proposals, report)


class Extras:
    """What reading a proposal's Markdown fields (terms' notes) needs besides the record."""

    def __init__(self, markdown: Renderer, static: StaticFiles) -> None:
        self.markdown = markdown
        self.static = static


def open_with_letter(
    pair: Pair, kind: str, command: str, markdown: Renderer, static: StaticFiles, report: Report
) -> tuple[Fields, str] | None:
    """A private page's record and its cover letter (`<slug>.md`) as HTML: proposals and
    sponsorships pair them by the same rules. None when the record is missing or unreadable."""
    stem, letter = pair.stem, pair.text
    if not pair.has_record_file:
        if letter is not None:
            report.error(
                letter.at(1),
                f"this cover letter has no {kind}: there is no {stem}.yaml beside it",
                f"create {stem}.yaml ({command} writes one), or rename this file to match it",
            )
        return None
    if pair.record is None:
        return None  # unreadable: already reported
    letter_html = ""
    if letter is not None:
        if letter.node is not None:
            report.error(letter.at(1), "a cover letter has no front matter", f"move those fields into {stem}.yaml")
        letter_html = render_body(letter, markdown, static, report)
    example = "title: Annual Conference 2027" if kind == "proposal" else "title: Annual Forum 2027"
    f = open_record(pair.record.node, Source.of(pair.record, report), kind, example)
    return None if f is None else (f, letter_html)


def read_proposal(f: Fields, slug: str, config: Config, past: PastEvents, letter_html: str, extras: Extras) -> Proposal | None:
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
    timeline = read_timeline(f, event, prepared_on)
    offer = read_budget(budget_fields, currency)
    quote = offer.quote() if offer else None
    percents, payments = read_payments(f, quote, currency, event, budget_fields is not None)
    packages = read_packages(f, offer)
    terms = read_terms(f, event, extras.markdown, extras.static)
    if offer is not None:
        offer = replace(offer, payments=percents, cancellation=tuple(step.percent for step in terms.cancellation) if terms else ())
    portfolio = read_portfolio(f, past, event, tags)
    accept = _accept(f.mapping("accept", "accept", required=True, example="{email: hello@example.com}"))
    password_env = read_password_env(f, config)
    draft = f.flag("draft", False)
    locale = read_locale(f)
    supersedes = f.text("supersedes", example="nusantara-forum-v1") or ""
    warn_example_values(f)
    if title is None or client is None or prepared_on is None or event is None or accept is None:
        return None
    proposal = Proposal(
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
        offer=offer,
        packages=packages,
        terms=terms,
        payments=payments,
        portfolio=portfolio,
        accept=accept,
        password_env=password_env,
        password_at=f.location("password_env") if password_env else None,
        letter_html=letter_html,
        locale=locale,
        locale_at=f.location("locale") if locale else None,
        supersedes=supersedes,
        supersedes_at=f.location("supersedes") if supersedes else None,
    )
    return replace(proposal, version=proposal_version(proposal))


def read_locale(f: Fields) -> str:
    """A Babel locale for a private page's words, money, numbers and dates (a proposal's, a
    sponsorship's or one prospect's); "" keeps the site's."""
    value = f.text("locale", example="en") or ""
    if not value:
        return ""
    try:
        return str(babel.Locale.parse(value.replace("-", "_")))
    except (ValueError, babel.UnknownLocaleError):
        f.error(f.node_of("locale"), *unknown_locale(value))
        return ""


def link_revisions(proposals: list[Proposal], report: Report) -> list[Proposal]:
    """`supersedes:` names another proposal; each is replaced by at most one, and no chain
    loops back. The replaced proposal learns its successor (its page then says so)."""
    by_slug = {p.slug: p for p in proposals}
    successor: dict[str, str] = {}
    for proposal in proposals:
        target = proposal.supersedes
        if not target:
            continue
        where = proposal.supersedes_at or Location(proposal.source)
        if target == proposal.slug:
            report.error(where, "a proposal cannot supersede itself", "name the slug of the older proposal this one replaces")
        elif target not in by_slug:
            close = difflib.get_close_matches(target, sorted(by_slug), n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'?" if close else "use the file name of a proposal in content/proposals/, without .yaml"
            report.error(where, f"supersedes '{shorten(target)}', but there is no such proposal", hint)
        elif target in successor:
            report.error(
                where,
                f"'{target}' is already superseded by '{successor[target]}'",
                "a proposal is replaced by one newer version: let this one supersede the newest",
            )
        else:
            successor[target] = proposal.slug
    for start in successor:
        seen, slug = [start], start
        while slug in successor:
            slug = successor[slug]
            if slug in seen:
                loop = by_slug[start]
                report.error(
                    loop.supersedes_at or Location(loop.source),
                    f"supersedes makes a loop: {' -> '.join([*seen, slug])}",
                    "a newer version cannot be replaced by an older one",
                )
                return proposals
            seen.append(slug)
    return [replace(p, superseded_by=successor.get(p.slug, "")) for p in proposals]


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


class PastEvents:
    """The events a proposal may show, indexed once for all the proposals of a build."""

    def __init__(self, events: list[Event], failed: Collection[str] = ()) -> None:
        self.failed = set(failed)  # events with errors of their own: naming one is not a second mistake
        self.public = {e.slug: e for e in events if not e.draft}
        self.drafts = {e.slug for e in events if e.draft}

    @cached_property
    def index(self) -> TagIndex:
        """Made when a proposal first asks for `portfolio: auto` (a large site without one never pays for it)."""
        return TagIndex(list(self.public.values()))


def read_portfolio(f: Fields, past: PastEvents, event: ProposalEvent | None, tags: tuple[str, ...]) -> tuple[str, ...]:
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
    accept = Accept(email=f.email("email") or "", url=f.url("url") or "", signature=f.flag("signature", True))
    if not accept.email and not accept.url and not f.has("email") and not f.has("url"):
        f.error(f.node, "'accept' needs an 'email', a 'url', or both", "e.g.  accept: {email: hello@example.com}")
    f.finish()
    return accept if accept.email or accept.url else None
