"""The site as frozen data: what validation produces and every later stage reads.

No I/O and no formatting here: dates are `datetime.date`, money is `Decimal` with its
currency, Markdown is already HTML. Templates never see these directly; `context.py`
makes their view of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .config import Config


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
class Site:
    """Everything a build renders. Events are newest first; drafts are already left out
    unless the build asked for them."""

    config: Config
    events: tuple[Event, ...]
    pages: tuple[Page, ...]
    intro_html: str = ""  # pages/index.md: the home page's introduction
    intro_title: str = ""
    static_files: tuple[str, ...] = ()  # paths relative to static/, posix
