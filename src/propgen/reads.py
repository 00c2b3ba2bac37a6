"""Which keys of the shared views (one per event) a page's templates read, noted while the
page renders: the build cache's record of what each page depends on (cache.py).

A list page reads an event's title, date, city and cover, never its write-up, so editing a
write-up changes its own page and nothing that shows its card; a page records the keys it
read and the next build compares only those. The record is sound because rendering is
deterministic: when every value a page read is what it was, the page takes the same path
through its templates, reads the same values again and comes out the same. Anything that
looks at a view as a whole (iterating it, its length, comparing it, printing it, JSON)
records that the page read everything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeGuard, TypeVar

EVERYTHING = "*"  # a page that saw a view whole depends on all of it
SITE_VIEW = "#site"  # the site's view is named this (and its locale): no event's slug starts with "#"
T = TypeVar("T")
NOW = "now"  # the site view's key for the build's time, which changes on every build without SOURCE_DATE_EPOCH

Read = tuple[str, str]  # (the view's name, a key)
_open: list[set[Read]] = []  # the recordings in progress, innermost last (a remembered macro nests in a page)


@contextmanager
def recording() -> Iterator[set[Read]]:
    """Collect the reads made inside the block; they count for any enclosing recording too."""
    reads: set[Read] = set()
    _open.append(reads)
    try:
        yield reads
    finally:
        _open.pop()
        if _open:
            _open[-1].update(reads)


def replay(reads: frozenset[Read]) -> None:
    """Count `reads` as made now: a remembered result stands for the reads that made it."""
    if _open:
        _open[-1].update(reads)


class View(dict[str, Any]):
    """A view many pages share, named (an event's slug), which notes the keys a page reads.
    Every way of reading a dict goes through a method here; one that reads it whole notes
    EVERYTHING."""

    __slots__ = ("view_name",)  # not `name`: `event.name` in a template must stay a key

    def __init__(self, name: str, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.view_name = name

    def _note(self, key: object) -> None:
        if _open:
            _open[-1].add((self.view_name, key if isinstance(key, str) else EVERYTHING))

    def _note_all(self) -> None:
        if _open:
            _open[-1].add((self.view_name, EVERYTHING))

    def __getitem__(self, key: str) -> Any:
        self._note(key)
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        self._note(key)
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        self._note(key)
        return dict.__contains__(self, key)

    def __iter__(self) -> Iterator[str]:
        self._note_all()
        return dict.__iter__(self)

    def __reversed__(self) -> Iterator[str]:
        self._note_all()
        return dict.__reversed__(self)

    def __bool__(self) -> bool:
        """True, noting nothing: `{% if previous %}` asks whether there is an event, not about
        its content, and a view is never empty (every event's has the same keys)."""
        return dict.__len__(self) > 0

    def __len__(self) -> int:
        self._note_all()
        return dict.__len__(self)

    def keys(self) -> Any:
        self._note_all()
        return dict.keys(self)

    def values(self) -> Any:
        self._note_all()
        return dict.values(self)

    def items(self) -> Any:
        self._note_all()
        return dict.items(self)

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        """A view is shared by every page that shows the event: a template changing it would
        change the pages rendered after it, in whatever order they were made."""
        what = "the site" if self.view_name.startswith(SITE_VIEW) else f"the event '{self.view_name}'"
        raise TypeError(f"{what} cannot be changed by a template (copy what you need with {{% set %}})")

    __setitem__ = __delitem__ = update = clear = popitem = setdefault = pop = __ior__ = _read_only

    def copy(self) -> dict[str, Any]:
        self._note_all()
        return dict(dict.items(self))

    def __eq__(self, other: object) -> bool:
        self._note_all()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        self._note_all()
        return dict.__ne__(self, other)

    __hash__ = None  # as a dict's

    def __or__(self, other: Any) -> Any:
        self._note_all()
        return dict.__or__(self, other)

    def __ror__(self, other: Any) -> Any:
        self._note_all()
        return dict.__ror__(self, other)

    def __repr__(self) -> str:
        self._note_all()
        return dict.__repr__(self)

    __str__ = __repr__

    def __reduce_ex__(self, protocol: Any) -> Any:
        """Pickled (the cache's fingerprints) as a plain dict of its items, in order."""
        self._note_all()
        return (dict, (list(dict.items(self)),))


def projection(view: View, keys: frozenset[str]) -> dict[str, Any]:
    """The part of `view` a page that read `keys` of it depends on, without noting any read."""
    if EVERYTHING in keys:
        return dict(dict.items(view))
    return {key: dict.__getitem__(view, key) for key in sorted(keys) if dict.__contains__(view, key)}


class PageReads:
    """What one page read, as the cache keeps it: the keys most of its views were read for
    (a list page reads every card alike), and the views read otherwise by name (an event
    page reads its own event whole and its related events' cards)."""

    def __init__(self, usual: frozenset[str], unusual: dict[str, frozenset[str]]) -> None:
        self.usual, self.unusual = usual, unusual

    @classmethod
    def of(cls, reads: set[Read]) -> PageReads:
        """The site's view is always named, never counted among the usual: whether a page read
        its `now` must be known exactly (`reads_now`)."""
        by_view: dict[str, set[str]] = {}
        for name, key in reads:
            by_view.setdefault(name, set()).add(key)
        counts: dict[frozenset[str], int] = {}
        for name, keys in by_view.items():
            if not name.startswith(SITE_VIEW):
                frozen = frozenset(keys)
                counts[frozen] = counts.get(frozen, 0) + 1
        usual = max(counts, key=lambda keys: (counts[keys], sorted(keys)), default=frozenset())
        return cls(
            usual,
            {name: frozenset(keys) for name, keys in sorted(by_view.items()) if frozenset(keys) != usual or name.startswith(SITE_VIEW)},
        )

    def reads_now(self) -> bool:
        """Whether the page read the build's time (`site.now`, or the site whole): such a page
        is rendered again on every build whose time differs, and the build's stamp covers the time."""
        return any(NOW in keys or EVERYTHING in keys for name, keys in self.unusual.items() if name.startswith(SITE_VIEW))

    def keys(self, name: str) -> frozenset[str]:
        """What the page depends on of the view called `name` (a view it did not read: the usual keys)."""
        return self.unusual.get(name, self.usual)

    def to_json(self, table: KeySets) -> list[object]:
        """Each set of keys as its number in `table`: ten thousand pages read a few dozen sets."""
        return [table.number(self.usual), {name: table.number(keys) for name, keys in self.unusual.items()}]

    @classmethod
    def from_json(cls, data: object, table: KeySets) -> PageReads:
        """The inverse of `to_json`; raises ValueError on anything else (the record is then ignored)."""
        if not (isinstance(data, list) and len(data) == 2 and isinstance(data[1], dict)):
            raise ValueError("not a page's reads")
        usual, unusual = data
        return cls(table.keys(usual), {name: table.keys(number) for name, number in unusual.items() if isinstance(name, str)})


class Numbered(Generic[T]):
    """Values numbered in the order they are first met, as the cache file keeps them once for
    all its pages (ten thousand pages name a few dozen sets of keys, or a dozen pages one event).
    Numbers are never reused: a page kept from an earlier build still names its value."""

    def __init__(self, values: list[T]) -> None:
        self._values = values
        self._numbers = {value: number for number, value in enumerate(values)}

    def number(self, value: T) -> int:
        found = self._numbers.get(value)
        if found is None:
            found = self._numbers[value] = len(self._values)
            self._values.append(value)
        return found

    def find(self, value: T) -> int | None:
        """`value`'s number, if it has one (`number` gives it one)."""
        return self._numbers.get(value)

    def holds(self, number: object) -> TypeGuard[int]:
        """Whether `number` numbers a value here (`value` gives it)."""
        return isinstance(number, int) and not isinstance(number, bool) and 0 <= number < len(self._values)

    def value(self, number: object) -> T:
        """The value numbered `number`; ValueError for anything else (the record is then ignored)."""
        if not self.holds(number):
            raise ValueError(f"not a number of this cache's {type(self).__name__}")
        return self._values[number]

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values == other._values

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list


class KeySets(Numbered[frozenset[str]]):
    """The sets of keys pages read."""

    def __init__(self, known: object = ()) -> None:
        """`known`: the table as `to_json` wrote it; anything else starts an empty one (each page
        naming a set it does not hold is then rendered again)."""
        sets: list[frozenset[str]] = []
        if isinstance(known, list) and all(isinstance(keys, list) and all(isinstance(k, str) for k in keys) for keys in known):
            sets = [frozenset(keys) for keys in known]
        super().__init__(sets)

    def keys(self, number: object) -> frozenset[str]:
        return self.value(number)

    def to_json(self) -> list[list[str]]:
        return [sorted(keys) for keys in self._values]
