"""Events ranked by what they share: the related events of an event page, and the past
events `portfolio: auto` picks for a proposal.

Both rank by type and shared tags first, so both read one index: for every combination of
an event's tags, the events that have all of them, of its type and of any type. Reading
starts at the combinations with the most in common and stops as soon as the best few are
known, so no page scores its event against every other one (that was quadratic). The order
is exactly that of scoring every event and sorting: tests/unit/test_rankings.py keeps that
slow version as the reference.

An event has 2^tags combinations. One with so many tags that its combinations would
outnumber the events is left out of the index and scored directly instead, which costs
no more than indexing it would.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from .models import Event, ProposalEvent
from .sources import tag_slug

Combination = tuple[frozenset[str], str | None]  # tags every member has; the members' type, or None for any
slug = functools.lru_cache(maxsize=4096)(tag_slug)  # a few dozen tags, on thousands of events


def combinations(tags: frozenset[str], size: int) -> Iterator[frozenset[str]]:
    return (frozenset(c) for c in itertools.combinations(sorted(tags), size))


@functools.lru_cache(maxsize=4096)  # events share their sets of tags: each set's subsets are made once
def subsets(tags: frozenset[str]) -> tuple[frozenset[str], ...]:
    """Every combination of `tags`, smallest first (the empty one first of all)."""
    return tuple(c for size in range(len(tags) + 1) for c in combinations(tags, size))


class TagIndex:
    """The events (in a fixed order: a position is an index into `events`) by tag combination.

    The index is made when a build asks enough questions to pay for it: the first few are
    answered by scoring every event, which costs a few milliseconds where making the index
    costs a tenth of a second at 10,000 events (a rebuild after one edit asks one)."""

    UNINDEXED_QUESTIONS = 8  # answered by scoring every event, before the index is made

    def __init__(self, events: Sequence[Event]) -> None:
        self.events = events
        # A tag's slug is its identity: 'Hybrid' and 'hybrid' are one tag.
        self.tags = [frozenset(slug(t) for t in e.tags) for e in events]
        self.known = frozenset().union(*self.tags)
        self.asked = 0

    @functools.cached_property
    def members(self) -> dict[Combination, list[int]]:
        """The positions (ascending) of the events that have every tag of a combination."""
        members: defaultdict[Combination, list[int]] = defaultdict(list)
        for position, (event, tags) in enumerate(zip(self.events, self.tags, strict=True)):
            if self.indexable(tags):
                for combination in subsets(tags):  # the empty one first: with a type only, and no "any type" entry
                    members[combination, event.type].append(position)
                for combination in subsets(tags)[1:]:
                    members[combination, None].append(position)
        return members

    @functools.cached_property
    def unindexed(self) -> list[int]:
        """The events with too many tags to index."""
        return [position for position, tags in enumerate(self.tags) if not self.indexable(tags)]

    def indexed(self, tags: frozenset[str]) -> bool:
        """Whether to answer a question about these tags from the index (making it if need be)."""
        if not self.indexable(tags):
            return False
        self.asked += 1
        return self.asked > self.UNINDEXED_QUESTIONS or "members" in self.__dict__

    def indexable(self, tags: frozenset[str]) -> bool:
        """Whether these tags' 2^tags combinations cost less than scoring every event."""
        return 1 << len(tags) <= len(self.events)

    def related(self, position: int, limit: int) -> list[int]:
        """Other events of the same type or sharing tags: most in common first (a shared type
        counts two, each shared tag one), then the earlier position (with events newest first,
        the newer event)."""
        kind, tags = self.events[position].type, self.tags[position]

        def score(other: int) -> int:
            return 2 * (self.events[other].type == kind) + len(tags & self.tags[other])

        if not self.indexed(tags):
            scored = ((-s, other) for other in range(len(self.events)) if other != position and (s := score(other)))
            return [other for _, other in heapq.nsmallest(limit, scored)]
        unindexed: dict[int, list[int]] = {}
        for other in self.unindexed:
            if s := score(other):
                unindexed.setdefault(s, []).append(other)
        found: list[int] = []
        for level in range(len(tags) + 2, 0, -1):  # every event here scores `level` or more
            lists = [self.members.get((c, kind), []) for c in combinations(tags, level - 2)] if level >= 2 else []
            lists += [self.members.get((c, None), []) for c in combinations(tags, level)]
            lists.append(unindexed.get(level, []))
            # One that scores more than `level` was found at its own level, so what is new here
            # scores exactly `level`, and comes in position order.
            for other in heapq.merge(*lists):
                if other != position and other not in found:
                    found.append(other)
                    if len(found) == limit:
                        return found
        return found

    def portfolio(self, target: ProposalEvent, tags: Iterable[str], size: int) -> list[Event]:
        """The most relevant events for a proposal, in a fixed, explainable order:
        same type first, then more shared tags, closer guest count, same city, newer, slug.
        Only the levels (same type or not, tags shared) down to the one where the best are
        found are read, but that level is read whole: guest counts are not indexed."""
        wanted = frozenset(slug(t) for t in tags)
        known = wanted & self.known

        def key(position: int) -> tuple[int, int, float, int, int, str]:  # smaller is more relevant
            e = self.events[position]
            same_type = int(e.type == target.type)
            shared = len(wanted & self.tags[position])
            closeness = -abs(math.log(e.guests / target.guests)) if target.guests and e.guests else -10.0
            same_city = int(bool(target.city) and e.city.lower() == target.city.lower())
            return (-same_type, -shared, -round(closeness, 6), -same_city, -e.date.toordinal(), e.slug)

        everything = range(len(self.events))
        if not self.indexed(known):
            return [self.events[p] for p in heapq.nsmallest(size, everything, key=key)]
        found: list[int] = []
        # Levels in rank order: (same type, shared tags) from (yes, all) down to (no, none).
        for same_type, shared in itertools.product((True, False), range(len(known), -1, -1)):
            if same_type:
                lists: list[Iterable[int]] = [self.members.get((c, target.type), []) for c in combinations(known, shared)]
            elif shared:
                lists = [self.members.get((c, None), []) for c in combinations(known, shared)]
            else:
                lists = [everything]
            lists.append(
                p for p in self.unindexed if (self.events[p].type == target.type, len(wanted & self.tags[p])) == (same_type, shared)
            )
            # Whatever ranks higher was found at its own level: what is left here is this level.
            level = [p for p, _ in itertools.groupby(heapq.merge(*lists)) if p not in found]
            found += heapq.nsmallest(size - len(found), level, key=key)
            if len(found) == size:
                break
        return [self.events[p] for p in found]
