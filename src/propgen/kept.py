"""Events kept between builds: what reading and validating an event's files gave, by their text.

A rebuild after one write-up was edited used to read, compose and validate every record of
the site again (at 10,000 events, five of its fourteen seconds). An event is a pure function
of its two files' text, where they are (messages name them), the site's settings and which
files `static/` holds, and of propgen's code: the cache keeps each event with the warnings
its files gave and the files of `static/` it showed, under a digest of its files' text, and
the next build of the same settings and static files replays them instead of reading the
YAML again. An event whose files gave an error is never kept (the build failed anyway).

On disk the events are a pickle, read back by an unpickler that can make nothing but the
frozen dataclasses of an event, `Decimal` and `date` (the "restricting globals" recipe of
Python's pickle documentation): a damaged or hostile cache file can give wrong text, as the
cache's rendered Markdown could, but never run code.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from . import errors, models
from .errors import Location, Problem


@dataclass(frozen=True)
class KeptEvent:
    """One event as validation made it, with what validating it did besides: the warnings it
    reported, the files of static/ it checked (path, the line showing it) and the ones its
    write-up links to (path, the file linking): replayed in order, they make the same report
    and the same list of used files as reading the event again would."""

    event: models.Event
    problems: tuple[Problem, ...]
    checked: tuple[tuple[str, Location], ...]
    uses: tuple[tuple[str, str], ...]
    signature: str = ""  # its files' names, sizes, times and inodes when they were read (sources.files_signature)
    shape: str = ""  # `event_shapes(event)`, made once when it is read: the whole record (`reworded`)
    selection: str = ""  # and the record without `DISPLAY_FIELDS` (cache.py's `Shape`)


# The fields of a record that show only on the pages holding its event's view: as the view's
# keys of the same names (context.DISPLAY_KEYS), or as values a page's context copies out of
# that view while the page's reads are recorded (an event page's title, description and
# JSON-LD, the home page's testimonials: render.py makes the context inside the recording).
# Never in a list's order, a ranking, a count, a route or a value made from the event itself.
# Whether an event has a testimonial is not among them (the home page shows the events that
# have one). A cover not in the gallery takes the title as its alt text (validate.pick_cover),
# so such an event's title edited moves its selection: every page is fingerprinted, as before.
DISPLAY_FIELDS = ("title", "summary", "client", "budget", "services", "vendors", "highlights", "testimonial")
# Fields that show like those, and that a few pages also gather from every event: the home
# page counts the guests and the cities (`ContextBuilder.stats`), the feed dates itself by the
# last day of its events. Those pages' kinds (context.GATHERING_KINDS) are fingerprinted
# whenever a record changed; private pages, where proposals rank past events by guests and
# city (`portfolio: auto`), are rendered at every build anyway.
GATHERED_FIELDS = ("guests", "venue", "end_date")
_NO_DISPLAY: dict[str, Any] = {"title": "", "summary": "", "client": None, "budget": None, "services": (), "vendors": (), "highlights": ()}
_NO_DISPLAY |= dict.fromkeys(GATHERED_FIELDS)  # all None
_SOME_TESTIMONIAL = models.Testimonial("")


def event_shapes(event: models.Event) -> tuple[str, str]:
    """Two digests of the event without its write-up's HTML (whether it has a write-up at all,
    and whether a translated one exists, still count: another language shows an untranslated
    write-up as such). The shape is the whole record: `KeptEvents.reworded` compares it with
    the last build's to tell an event whose write-up alone changed from one whose record did
    (cache.py's `Changes` then has the view's display keys looked at too). The selection
    leaves out `DISPLAY_FIELDS` and `GATHERED_FIELDS`: what decides which events each page
    holds and in what order, and every other value of its context (cache.py's `Shape`), so
    that a summary or a guest count edited has only the pages that show it fingerprinted again."""
    translations = tuple((code, text if text.body_html is None else replace(text, body_html="")) for code, text in event.translations)
    selection = replace(
        event,
        body_html="-" if event.body_html else "",
        translations=tuple((code, replace(text, **_undisplayed_fields(text))) for code, text in translations),
        **_undisplayed_fields(event),
    )
    shown = [_displayed(event), *(_displayed(text) for _code, text in translations)]
    selected = _pickled(selection)
    return _digest(selected + _pickled(shown)), _digest(selected)


def _undisplayed_fields(value: models.Event | models.EventText) -> dict[str, Any]:
    blank: dict[str, Any] = {name: empty for name, empty in _NO_DISPLAY.items() if hasattr(value, name)}
    blank["testimonial"] = None if value.testimonial is None else _SOME_TESTIMONIAL
    return blank


def _displayed(value: models.Event | models.EventText) -> tuple[Any, ...]:
    return tuple(getattr(value, name, None) for name in (*DISPLAY_FIELDS, *GATHERED_FIELDS))


def _pickled(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: equal values give equal bytes
    pickler.dump(value)
    return buffer.getvalue()


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class KeptEvents:
    """The last build's events (`previous`, by digest of their files' text) and this build's
    (`made`): an event of `previous` whose files are unchanged moves over as it is."""

    previous: Mapping[str, KeptEvent] = field(default_factory=dict)
    static: str = ""  # digest of the files static/ held when `previous` was read
    made: dict[str, KeptEvent] = field(default_factory=dict)
    read_again: set[str] = field(default_factory=set)  # slugs of the events this build read from their files
    _by_signature: dict[str, str] | None = field(default=None, repr=False, compare=False)

    def has(self, digest: str) -> bool:
        return digest in self.previous

    def digest_of(self, signature: str) -> str | None:
        if self._by_signature is None:
            self._by_signature = {entry.signature: digest for digest, entry in self.previous.items() if entry.signature}
        return self._by_signature.get(signature)

    def keep(self, digest: str, signature: str) -> KeptEvent:
        """The last build's event of `digest` for this build, as its files now stand."""
        entry = self.previous[digest]
        if entry.signature != signature:
            entry = replace(entry, signature=signature)
        self.made[digest] = entry
        return entry

    def add(self, digest: str, entry: KeptEvent) -> None:
        """An event this build read from its files, kept for the next."""
        self.made[digest] = entry
        self.read_again.add(entry.event.slug)

    def selections(self) -> dict[str, str]:
        """Each event's `selection` by slug, for every event of this build that is kept."""
        return {entry.event.slug: entry.selection for entry in self.made.values()}

    def reworded(self) -> set[str]:
        """The slugs of the events read again whose record is not the last build's (a field of
        `DISPLAY_FIELDS` edited, if their selection is the same), or whose last record is not
        known: the keys of their views made from those fields may differ too, not only their
        write-ups'."""
        if not self.read_again:
            return set()
        before: dict[str, set[str]] = {}
        for entry in self.previous.values():
            before.setdefault(entry.event.slug, set()).add(entry.shape)
        return {
            entry.event.slug
            for entry in self.made.values()
            if entry.event.slug in self.read_again and before.get(entry.event.slug) != {entry.shape}
        }

    def check_static(self, paths: Iterable[Path]) -> None:
        """Drop the last build's events if static/ holds other files now: an event checked its
        photos against that list (a photo added may mend a broken reference)."""
        h = hashlib.blake2b(digest_size=16)
        for path in sorted(p.as_posix() for p in paths):
            h.update(path.encode() + b"\0")
        if h.hexdigest() != self.static:
            self.previous, self._by_signature = {}, None
        self.static = h.hexdigest()


# Everything an event is made of; the unpickler refuses any other name.
_ALLOWED = {
    ("decimal", "Decimal"): decimal.Decimal,
    ("datetime", "date"): dt.date,
    ("propgen.errors", "Location"): errors.Location,
    ("propgen.errors", "Problem"): errors.Problem,
    ("propgen.errors", "Severity"): errors.Severity,
    ("propgen.kept", "KeptEvent"): KeptEvent,
    **{
        ("propgen.models", cls.__name__): cls
        for cls in (
            models.Event,
            models.EventText,
            models.Money,
            models.Image,
            models.Venue,
            models.Client,
            models.Budget,
            models.Vendor,
            models.Testimonial,
        )
    },
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[module, name]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a kept event") from None


class Writable(Protocol):
    def write(self, data: bytes, /) -> int: ...


def dump(events: Mapping[str, KeptEvent], file: Writable) -> None:
    """Written to `file` as it is made (at 10,000 events the pickle is 40 MB: never held whole)."""
    pickle.dump(dict(events), file, protocol=pickle.HIGHEST_PROTOCOL)


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int = -1, /) -> bytes: ...


def load(file: Readable) -> dict[str, KeptEvent]:
    """The events `dump` wrote to `file`; ValueError for anything else (a damaged file, another format)."""
    try:
        found = _Unpickler(file).load()
    except (
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        TypeError,
        IndexError,
        KeyError,
        ValueError,
        MemoryError,
        OverflowError,
    ) as exc:
        raise ValueError(f"not a file of kept events: {exc}") from None
    if not isinstance(found, dict) or not all(isinstance(k, str) and isinstance(v, KeptEvent) for k, v in found.items()):
        raise ValueError("not a file of kept events")
    return found
