"""The site as frozen data: what validation produces and every later stage reads.

No I/O and no formatting here: dates are `datetime.date`, money is `Decimal` with its
currency, Markdown is already HTML. Templates never see these directly; `context.py`
makes their view of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .config import Config
from .errors import Location
from .money import Offer, Quote


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Image:
    src: str  # path relative to static/
    alt: str
    focus: str = ""  # "50% 20%": the point crops keep in frame (CSS object-position); "" is the centre


@dataclass(frozen=True)
class Venue:
    name: str
    city: str = ""
    country: str = ""


@dataclass(frozen=True)
class Client:
    name: str
    public: bool = True


@dataclass(frozen=True)
class Budget:
    money: Money
    public: bool = False


@dataclass(frozen=True)
class Vendor:
    name: str
    role: str = ""
    url: str = ""


@dataclass(frozen=True)
class Testimonial:
    quote: str
    author: str = ""
    role: str = ""


@dataclass(frozen=True)
class EventText:
    """An event's words in one more language (the first language's are the Event's own):
    each field as written for that language, or the first language's when it has none."""

    title: str
    summary: str
    services: tuple[str, ...]
    highlights: tuple[str, ...]
    testimonial: Testimonial | None
    gallery: tuple[Image, ...]
    cover: Image | None
    body_html: str | None  # None: no write-up in this language (<slug>.<lang>.md)


@dataclass(frozen=True)
class Event:
    slug: str
    title: str
    type: str
    date: dt.date
    source: str  # display path of the record, for messages
    end_date: dt.date | None = None
    summary: str = ""
    venue: Venue | None = None
    client: Client | None = None
    guests: int | None = None
    budget: Budget | None = None
    services: tuple[str, ...] = ()
    vendors: tuple[Vendor, ...] = ()
    highlights: tuple[str, ...] = ()
    gallery: tuple[Image, ...] = ()
    cover: Image | None = None
    testimonial: Testimonial | None = None
    tags: tuple[str, ...] = ()
    featured: bool = False
    draft: bool = False
    body_html: str = ""
    translations: tuple[tuple[str, EventText], ...] = ()  # (language code, its words), other languages only
    body_lang: str = ""  # the write-up's language when it is not the page's (an untranslated write-up)

    @property
    def city(self) -> str:
        return self.venue.city if self.venue else ""


@dataclass(frozen=True)
class Service:
    """One thing a coordinator sells, as a page's front matter lists it: what it is, what it
    includes and, when given, the price it starts from."""

    name: str
    summary: str = ""
    includes: tuple[str, ...] = ()
    price_from: Money | None = None


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    source: str
    menu: int | None = None
    description: str = ""
    body_html: str = ""
    translations: tuple[tuple[str, Page], ...] = ()  # (language code, <slug>.<lang>.md), other languages only
    lang: str = ""  # the page's language when it is not the site's it is shown in (an untranslated page)
    services: tuple[Service, ...] = ()


@dataclass(frozen=True)
class ProposalClient:
    name: str
    contact: str = ""
    email: str = ""


@dataclass(frozen=True)
class ProposalEvent:
    type: str
    date: dt.date
    end_date: dt.date | None = None
    guests: int | None = None
    city: str = ""
    formality: str = ""


@dataclass(frozen=True)
class VenueOption:
    name: str
    capacity: int | None = None
    price: Money | None = None
    notes: str = ""
    recommended: bool = False


@dataclass(frozen=True)
class ScheduleItem:
    time: str
    title: str


@dataclass(frozen=True)
class ScheduleDay:
    day: dt.date
    items: tuple[ScheduleItem, ...]


@dataclass(frozen=True)
class Milestone:
    task: str
    date: dt.date
    before: str = ""  # "6 months" as written, when the date was counted back from the event


@dataclass(frozen=True)
class Instalment:
    percent: Decimal
    amount: Decimal
    due: str = ""  # text such as "on acceptance"
    date: dt.date | None = None


@dataclass(frozen=True)
class Accept:
    email: str = ""
    url: str = ""
    signature: bool = True  # the client types their full name before accepting


@dataclass(frozen=True)
class Package:
    """What one alternative of a choice group includes (`packages:`)."""

    item: str
    includes: tuple[str, ...]


@dataclass(frozen=True)
class CancellationStep:
    before: str  # "6 months" as written
    date: dt.date  # counted back from the event date: from this day on, `percent` stays due
    percent: Decimal


@dataclass(frozen=True)
class Terms:
    included: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    cancellation: tuple[CancellationStep, ...] = ()  # in date order, each later and higher
    notes_html: str = ""


@dataclass(frozen=True)
class Proposal:
    slug: str
    title: str
    source: str
    client: ProposalClient
    prepared_on: dt.date
    event: ProposalEvent
    accept: Accept
    valid_until: dt.date | None = None
    valid_until_at: Location | None = field(default=None, compare=False)
    draft: bool = False  # built only with --drafts and by `propgen serve`
    needs: tuple[str, ...] = ()
    venues: tuple[VenueOption, ...] = ()
    schedule: tuple[ScheduleDay, ...] = ()
    timeline: tuple[Milestone, ...] = ()  # sorted by date
    quote: Quote | None = None  # the default selection's figures
    offer: Offer | None = None  # every line with its choices: the page's script recomputes from it
    packages: tuple[tuple[str, tuple[Package, ...]], ...] = ()  # (choice group, what each of its lines includes)
    terms: Terms | None = None
    payments: tuple[Instalment, ...] = ()
    portfolio: tuple[str, ...] = ()  # event slugs, resolved (auto already picked)
    password_env: str = ""
    password_at: Location | None = field(default=None, compare=False)
    letter_html: str = ""
    locale: str = ""  # Babel locale of this proposal's money, numbers and dates ("" = the site's)
    locale_at: Location | None = field(default=None, compare=False)
    supersedes: str = ""  # slug of the proposal this one replaces
    supersedes_at: Location | None = field(default=None, compare=False)
    superseded_by: str = ""  # slug of the proposal that replaces this one (worked out from `supersedes`)
    version: str = ""  # first 12 hex digits of SHA-256 over the canonical content (proposals/version.py)

    @property
    def protected(self) -> bool:
        return bool(self.password_env)

    def expired(self, today: dt.date) -> bool:
        return self.valid_until is not None and today > self.valid_until


@dataclass(frozen=True)
class Segment:
    """One group of attendees: its share of the audience in percent and the tags sponsors ask for."""

    name: str
    percent: Decimal
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tier:
    name: str
    price: Money
    available: int
    sold: int = 0
    benefits: tuple[str, ...] = ()

    @property
    def left(self) -> int:
        return max(self.available - self.sold, 0)


@dataclass(frozen=True)
class SponsoredEvent:
    type: str
    date: dt.date
    end_date: dt.date | None = None
    city: str = ""
    venue: str = ""


@dataclass(frozen=True)
class Prospect:
    slug: str
    name: str
    wants: tuple[str, ...] = ()
    suggested: str = ""  # a tier name, checked
    note: str = ""
    contact_name: str = ""
    contact_email: str = ""
    portfolio: tuple[str, ...] = ()  # event slugs, resolved (auto already picked for this prospect)
    valid_until: dt.date | None = None  # the prospect's own, else the sponsorship's
    valid_until_at: Location | None = field(default=None, compare=False)
    draft: bool = False
    password_env: str = ""
    password_at: Location | None = field(default=None, compare=False)
    at: Location | None = field(default=None, compare=False)  # where the prospect's entry starts
    locale: str = ""  # the prospect's own language, else the sponsorship's, else the site's
    locale_at: Location | None = field(default=None, compare=False)  # where its own `locale:` is


@dataclass(frozen=True)
class Sponsorship:
    """content/sponsorships/<slug>.yaml: one event's audience and tiers, and its prospects."""

    slug: str
    title: str
    source: str
    event: SponsoredEvent
    total: int  # expected attendees
    segments: tuple[Segment, ...]
    tiers: tuple[Tier, ...]
    prospects: tuple[Prospect, ...]
    accept: Accept
    online: int | None = None
    prepared_on: dt.date | None = None
    summary: str = ""
    letter_html: str = ""
    draft: bool = False
    locale: str = ""  # the language of its prospects' pages ("" = the site's)
    locale_at: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Prospectus:
    """One prospect's private page: what routes, guards and rendering need of it, as they do of a `Proposal`."""

    sponsorship: Sponsorship
    prospect: Prospect
    # The cover letter as this prospect's page shows it (pointing at the copies of its photos in
    # the page's private folder); "" until routes.place_static sets it. The sponsorship's own
    # letter stays as written, so the version hash is the same on every page that shows it.
    page_letter_html: str = field(default="", compare=False)

    @property
    def slug(self) -> str:
        return f"{self.sponsorship.slug}-{self.prospect.slug}"

    @property
    def letter_html(self) -> str:
        return self.page_letter_html or self.sponsorship.letter_html

    @property
    def key(self) -> str:
        """The prospect's key among a build's passwords (a slash: no proposal slug has one)."""
        return f"{self.sponsorship.slug}/{self.prospect.slug}"

    @property
    def title(self) -> str:
        return self.sponsorship.title

    @property
    def locale(self) -> str:
        """The page's language: the prospect's, else the sponsorship's ("" = the site's)."""
        return self.prospect.locale or self.sponsorship.locale

    @property
    def source(self) -> str:
        return self.sponsorship.source

    @property
    def password_env(self) -> str:
        return self.prospect.password_env

    @property
    def password_at(self) -> Location | None:
        return self.prospect.password_at

    @property
    def protected(self) -> bool:
        return bool(self.prospect.password_env)

    @property
    def draft(self) -> bool:
        return self.prospect.draft or self.sponsorship.draft

    @property
    def valid_until(self) -> dt.date | None:
        return self.prospect.valid_until

    def expired(self, today: dt.date) -> bool:
        return self.prospect.valid_until is not None and today > self.prospect.valid_until


@dataclass(frozen=True)
class Site:
    """Everything a build renders. Events are newest first; drafts are already left out
    unless the build asked for them."""

    config: Config
    events: tuple[Event, ...]
    pages: tuple[Page, ...]
    proposals: tuple[Proposal, ...] = ()
    sponsorships: tuple[Sponsorship, ...] = ()  # draft prospects already left out unless asked for
    hidden_drafts: int = 0  # drafts left out because the build did not ask for them
    intro_html: str = ""  # pages/index.md: the home page's introduction
    intro_title: str = ""
    intro_lang: str = ""  # the introduction's language when it is shown untranslated
    intro_translations: tuple[tuple[str, str, str], ...] = ()  # (language code, title, HTML) of pages/index.<lang>.md
    static_files: tuple[str, ...] = ()  # paths relative to static/, posix
    static_uses: tuple[tuple[str, str], ...] = ()  # (path under static/, display path of a content file using it), drafts too
    static_used_at: tuple[tuple[str, Location], ...] = ()  # (path under static/, the first content line showing it)

    def newest_version(self, proposal: Proposal) -> Proposal | None:
        """The last proposal of the chain of versions replacing this one, among those built
        (a draft replacement left out of the build replaces nothing yet); None if none does."""
        by_slug = {p.slug: p for p in self.proposals}
        newest, seen, slug = None, {proposal.slug}, proposal.superseded_by
        while slug in by_slug and slug not in seen:
            seen.add(slug)
            newest = by_slug[slug]
            slug = newest.superseded_by
        return newest

    @property
    def prospectuses(self) -> tuple[Prospectus, ...]:
        """Every prospect's page, in file then prospect order."""
        return tuple(Prospectus(s, p) for s in self.sponsorships for p in s.prospects)
