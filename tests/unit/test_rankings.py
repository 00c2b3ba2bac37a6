"""Related events and `portfolio: auto` come from an index (rankings.py) but rank exactly as
scoring every event and sorting did. The slow versions are kept here as the reference and
compared on many random corpora: ties of every kind, events without tags, tags written in
two cases, guest counts missing or zero, and events with too many tags to index."""

from __future__ import annotations

import datetime as dt
import heapq
import math
import random
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_propgen
from propgen import rankings
from propgen.models import Event, ProposalEvent, Venue
from propgen.proposals import pick_portfolio
from propgen.rankings import TagIndex
from propgen.sources import tag_slug

TYPES = ("wedding", "conference", "gala")
TAGS = ("hybrid", "Hybrid", "outdoor", "garden", "tech", "healthcare", "sponsorship", "beach", "multilingual")
CITIES = ("Jakarta", "jakarta", "Ubud", "Medan", "")

# -- the reference: the quadratic versions, as they were -------------------------------------------


def reference_related(events: list[Event], position: int, limit: int = 3) -> list[Event]:
    """Score every other event: a shared type counts two, each shared tag one; most first, then newest."""
    event = events[position]
    tags = {tag_slug(t) for t in event.tags}
    scored = []
    for index, other in enumerate(events):
        if index == position:
            continue
        score = 2 * (other.type == event.type) + len(tags & {tag_slug(t) for t in other.tags})
        if score:
            scored.append((-score, -other.date.toordinal(), index))
    return [events[index] for *_, index in sorted(scored)[:limit]]


def reference_portfolio(events: list[Event], target: ProposalEvent, tags: tuple[str, ...], size: int) -> list[Event]:
    wanted = {tag_slug(t) for t in tags}

    def key(e: Event) -> tuple[int, int, float, int, int, str]:
        same_type = int(e.type == target.type)
        shared = len(wanted & {tag_slug(t) for t in e.tags})
        closeness = -abs(math.log(e.guests / target.guests)) if target.guests and e.guests else -10.0
        same_city = int(bool(target.city) and e.city.lower() == target.city.lower())
        return (-same_type, -shared, -round(closeness, 6), -same_city, -e.date.toordinal(), e.slug)

    return sorted(events, key=key)[:size]


# -- random corpora -----------------------------------------------------------------------------------


def newest_first(events: list[Event]) -> list[Event]:
    """The order a site's events have (validate.py), which `related` relies on for "newest"."""
    return sorted(events, key=lambda e: (e.date, e.slug), reverse=True)


@st.composite
def corpora(draw: st.DrawFn, max_events: int = 30) -> list[Event]:
    count = draw(st.integers(0, max_events))
    events = []
    for n in range(count):
        day = draw(st.integers(0, 20))  # few dates: many ties on the date
        tags = draw(st.lists(st.sampled_from(TAGS), max_size=7))  # up to 7: some too many to index
        guests = draw(st.one_of(st.none(), st.sampled_from([0, 50, 100, 200, 400, 401, 1000])))
        city = draw(st.sampled_from(CITIES))
        events.append(
            Event(
                f"event-{n:02d}",
                f"Event {n}",
                draw(st.sampled_from(TYPES)),
                dt.date(2024, 1, 1) + dt.timedelta(days=day),
                f"content/events/event-{n:02d}.yaml",
                guests=guests,
                venue=Venue("Hall", city) if city else None,
                tags=tuple(tags),
            )
        )
    return newest_first(events)


def slugs(events: list[Event]) -> list[str]:
    return [e.slug for e in events]


@settings(max_examples=300, deadline=None)
@given(corpora(), st.sampled_from([1, 3, 5]))
def test_related_ranks_as_scoring_every_event_did(events: list[Event], limit: int) -> None:
    index = TagIndex(events)
    for position in range(len(events)):
        assert slugs([events[p] for p in index.related(position, limit)]) == slugs(reference_related(events, position, limit))


@settings(max_examples=300, deadline=None)
@given(
    corpora(),
    st.sampled_from(TYPES),
    st.one_of(st.none(), st.sampled_from([0, 100, 200, 401])),
    st.sampled_from(CITIES),
    st.lists(st.sampled_from((*TAGS, "unheard-of")), max_size=8),
    st.sampled_from([1, 3, 6]),
)
def test_portfolio_ranks_as_sorting_every_event_did(
    events: list[Event], kind: str, guests: int | None, city: str, tags: list[str], size: int
) -> None:
    """A fresh index answers by scoring every event; with the index made (as it is once a build
    has asked enough questions), even the first questions come from it: both as the reference."""
    target = ProposalEvent(kind, dt.date(2027, 6, 12), guests=guests, city=city)
    expected = slugs(reference_portfolio(events, target, tuple(tags), size))
    assert slugs(pick_portfolio(events, target, tuple(tags), size)) == expected
    index = TagIndex(events)
    assert index.members is not None  # a cached property: the index is made here, up front
    assert slugs(index.portfolio(target, tuple(tags), size)) == expected
    for position in range(len(events)):
        assert slugs([events[p] for p in index.related(position, size)]) == slugs(reference_related(events, position, size))


def realistic_corpus(count: int, seed: int) -> list[Event]:
    """Bigger than hypothesis makes: popular and rare tags, so the index is read several levels deep."""
    rng = random.Random(seed)
    vocabulary = [f"tag-{n}" for n in range(40)]
    weights = [1 / (n + 1) for n in range(40)]
    events = []
    for n in range(count):
        tags = tuple(dict.fromkeys(rng.choices(vocabulary, weights, k=rng.choice([0, 1, 2, 3, 3, 4, 5]))))
        city = rng.choice(["Jakarta", "Ubud", "Medan", "Bandung"])
        date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000))
        guests = rng.choice([None, 40, 80, 100, 120, 150, 200, 300, 500, 1000])
        events.append(Event(f"e-{n:04d}", "E", rng.choice(TYPES), date, "x.yaml", guests=guests, venue=Venue("H", city), tags=tags))
    return newest_first(events)


def test_related_and_portfolio_on_a_larger_corpus() -> None:
    events = realistic_corpus(400, seed=13)
    index = TagIndex(events)
    for position in range(len(events)):
        assert slugs([events[p] for p in index.related(position, 3)]) == slugs(reference_related(events, position))
    rng = random.Random(7)
    for _ in range(40):
        target = ProposalEvent(rng.choice(TYPES), dt.date(2027, 1, 1), guests=rng.choice([None, 90, 150]), city=rng.choice(["Ubud", ""]))
        tags = tuple(rng.sample([f"tag-{n}" for n in range(40)], rng.randrange(4)))
        assert slugs(index.portfolio(target, tags, 3)) == slugs(reference_portfolio(events, target, tags, 3))


def test_event_pages_show_the_reference_related_events(make_site: Callable[[dict[str, str | bytes]], Path]) -> None:
    """What a visitor sees: each event page's related cards, in the reference order."""
    events = realistic_corpus(60, seed=3)
    files: dict[str, str | bytes] = {}
    for e in events:
        guests = f"guests: {e.guests}\n" if e.guests is not None else ""
        files[f"content/events/{e.slug}.yaml"] = (
            f"title: Event {e.slug}\ntype: {e.type}\ndate: {e.date}\n{guests}"
            f"venue: {{name: Hall, city: {e.city}}}\ntags: [{', '.join(e.tags)}]\n"
        )
    site = make_site({"propgen.yaml": "title: T\nbase_url: https://t.example/\ncoordinator: {name: T, email: t@t.example}\n", **files})
    result = run_propgen("build", cwd=site)
    assert result.returncode == 0, result.stderr
    for position, e in enumerate(events):
        html = (site / f"output/events/{e.slug}/index.html").read_text()
        section = html.split("Related events", 1)[1].split("</section>", 1)[0] if "Related events" in html else ""
        shown = re.findall(r'href="/events/([^/"]+)/"', section)
        assert shown == slugs(reference_related(events, position)), e.slug


def test_related_work_grows_linearly_with_the_events(monkeypatch: pytest.MonkeyPatch) -> None:
    """No timing: the index entries `related` reads for every event of a site. Four times the
    events is about four times the entries (scoring every event, or reading whole tag lists,
    would be sixteen)."""
    read, merge = 0, heapq.merge

    def counted(*lists: Iterable[int]) -> Iterator[int]:
        nonlocal read
        for position in merge(*lists):
            read += 1
            yield position

    monkeypatch.setattr(rankings, "heapq", SimpleNamespace(merge=counted, nsmallest=heapq.nsmallest))
    entries = {}
    for count in (1000, 4000):
        read = 0
        index = TagIndex(realistic_corpus(count, seed=5))
        for position in range(count):
            index.related(position, 3)
        entries[count] = read
    assert entries[4000] < 5 * entries[1000], entries
