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
from .money import Quote


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Image:
    src: str  # path relative to static/
    alt: str


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

    @property
    def city(self) -> str:
        return self.venue.city if self.venue else ""


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    source: str
    menu: int | None = None
    description: str = ""
    body_html: str = ""


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
    quote: Quote | None = None
    payments: tuple[Instalment, ...] = ()
    portfolio: tuple[str, ...] = ()  # event slugs, resolved (auto already picked)
    password_env: str = ""
    password_at: Location | None = field(default=None, compare=False)
    letter_html: str = ""

    @property
    def protected(self) -> bool:
        return bool(self.password_env)

    def expired(self, today: dt.date) -> bool:
        return self.valid_until is not None and today > self.valid_until


@dataclass(frozen=True)
class Site:
    """Everything a build renders. Events are newest first; drafts are already left out
    unless the build asked for them."""

    config: Config
    events: tuple[Event, ...]
    pages: tuple[Page, ...]
    proposals: tuple[Proposal, ...] = ()
    hidden_drafts: int = 0  # drafts left out because the build did not ask for them
    intro_html: str = ""  # pages/index.md: the home page's introduction
    intro_title: str = ""
    static_files: tuple[str, ...] = ()  # paths relative to static/, posix
    static_uses: tuple[tuple[str, str], ...] = ()  # (path under static/, display path of a content file using it), drafts too
