"""The build cache's pieces: context fingerprints, template dependencies, the cache file's
trust rules, and the ordered process pool."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from conftest import REPO, demo_env
from propgen import models
from propgen.build import BuildOptions, load
from propgen.cache import BuildCache, CacheData, Changes, Fingerprints, Names, PageRecord, Stored, TemplateDigests
from propgen.context import DISPLAY_KEYS, GATHERED_KEYS, GATHERING_KINDS, WRITE_UP_KEYS, ContextBuilder
from propgen.errors import Report
from propgen.kept import DISPLAY_FIELDS, GATHERED_FIELDS, event_shapes
from propgen.languages import localized_sites
from propgen.markdown import Rendered, Renderer
from propgen.models import Budget, Client, Event, Money, Vendor, Venue
from propgen.parallel import MIN_PARALLEL_ITEMS, coming, in_one_process, map_ordered
from propgen.reads import EVERYTHING, NOW, SITE_VIEW, KeySets, PageReads, View, recording
from propgen.routes import Route, language_routes, plan_routes
from propgen.urls import Urls


def context(title: str = "Gala", amount: str = "10", day: int = 1) -> dict[str, object]:
    event = {"title": title, "date": dt.date(2025, 1, day), "budget": Money(Decimal(amount), "IDR"), "html": Markup("<p>x</p>")}
    return {"site": {"title": "S"}, "events": [event, {**event, "title": "Other"}], "event": event}


def test_equal_contexts_have_equal_fingerprints_and_any_change_shows() -> None:
    base = Fingerprints().of(context())
    assert Fingerprints().of(context()) == base
    assert Fingerprints().of(context(title="Gala!")) != base
    assert Fingerprints().of(context(amount="10.0")) != base  # Decimal('10.0') renders differently
    assert Fingerprints().of(context(day=2)) != base
    assert Fingerprints().of({"a": 1, "b": 2}) != Fingerprints().of({"b": 2, "a": 1})  # order is what templates see
    assert Fingerprints().of({"a": "1"}) != Fingerprints().of({"a": 1})
    assert Fingerprints().of({"a": Markup("<b>")}) != Fingerprints().of({"a": "<b>"})
    assert Fingerprints().of({"a": dt.datetime(2025, 1, 1)}) != Fingerprints().of({"a": dt.date(2025, 1, 1)})


def test_template_digest_covers_exactly_what_a_template_reaches(tmp_path: Path) -> None:
    (tmp_path / "partials").mkdir()
    files = {
        "base.html": "<main>{% block main %}{% endblock %}</main>",
        "event.html": '{% extends "base.html" %}{% block main %}{% include "partials/card.html" %}{% endblock %}',
        "page.html": '{% extends "base.html" %}{% block main %}page{% endblock %}',
        "partials/card.html": "card",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)

    learned: dict[str, object] = {}  # each build starts from what the last one learned, as the cache keeps it

    def digests() -> dict[str, str]:
        found = TemplateDigests(jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path))), learned)
        result = {name: found.of(name) for name in ("event.html", "page.html")}
        fresh = TemplateDigests(jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path))))  # parsing everything again
        assert result == {name: fresh.of(name) for name in result}
        learned.update(found.learned)
        return result

    before = digests()
    (tmp_path / "partials/card.html").write_text("card 2")
    after_partial = digests()
    assert after_partial["event.html"] != before["event.html"] and after_partial["page.html"] == before["page.html"]
    (tmp_path / "base.html").write_text("<main>{% block main %}{% endblock %}</main>!")
    after_base = digests()
    assert after_base["event.html"] != after_partial["event.html"] and after_base["page.html"] != after_partial["page.html"]
    (tmp_path / "page.html").write_text('{% extends "base.html" %}{% block main %}{% include name %}{% endblock %}')
    dynamic = TemplateDigests(jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))).of("page.html")
    (tmp_path / "partials/card.html").write_text("card 3")  # a run-time include could be any template
    assert TemplateDigests(jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))).of("page.html") != dynamic


def test_cache_file_is_used_only_with_its_key_and_intact(tmp_path: Path) -> None:
    data = CacheData(pages={"events/index.html": ["f" * 32, 10, 123]}, markdown={"k": {"html": "<p>é</p>"}})
    BuildCache(tmp_path).write("key-1", data)
    same = BuildCache(tmp_path)
    assert same.read("key-1") == data and same.problem == ""
    other = BuildCache(tmp_path)
    assert other.read("key-2") == CacheData() and other.problem == ""  # another version or config: ignored quietly
    raw = (tmp_path / "build.json").read_bytes()
    (tmp_path / "build.json").write_bytes(raw[:-5] + b"XXXXX")
    damaged = BuildCache(tmp_path)
    assert damaged.read("key-1") == CacheData() and "damaged" in damaged.problem
    (tmp_path / "build.json").write_bytes(b"\x00garbage")
    assert BuildCache(tmp_path).read("key-1") == CacheData()
    memory = BuildCache(None)
    memory.write("key-1", data)
    assert memory.read("key-1") == data and memory.read("key-2") == CacheData()


def test_pool_keeps_order_and_matches_one_process() -> None:
    count = MIN_PARALLEL_ITEMS * 3 + 7
    squares = [n * n for n in range(count)]
    assert map_ordered(lambda n: n * n, count, jobs=2) == squares
    assert map_ordered(lambda n: n * n, count, jobs=1) == squares
    assert map_ordered(lambda n: n * n, 5, jobs=2) == squares[:5]


def test_results_coming_while_this_process_works_keep_their_order_and_stop_the_workers_when_left() -> None:
    count = MIN_PARALLEL_ITEMS * 3 + 7
    pids: set[int] = set()
    with coming(lambda n: (n * n, os.getpid()), count, jobs=2) as results:
        assert in_one_process(count, 2), "no second pool while the workers run: another map is done here"
        assert map_ordered(lambda n: n + 1, count, jobs=2) == list(range(1, count + 1))
        taken = []
        for square, pid in results:
            taken.append(square)
            pids.add(pid)
    assert taken == [n * n for n in range(count)] and os.getpid() not in pids, "made by the workers, in order"
    with coming(lambda n: (n, os.getpid()), count, jobs=2) as results:
        first = next(results)
        workers = multiprocessing.active_children()
        assert first[0] == 0 and workers
    assert not any(worker.is_alive() for worker in workers), "left early: the workers are stopped, not waited for"
    assert in_one_process(count, 1) and not in_one_process(count, 2)


def test_workers_leave_ctrl_c_to_the_parent() -> None:
    """A worker that took Ctrl-C itself could die holding the pool's queue lock, and the
    parent would wait for it forever as it stops the pool (a review found one Ctrl-C in three
    hanging a build whose workers were idle while the parent validated)."""
    count = MIN_PARALLEL_ITEMS + 1
    # Python's own handler, as a terminal starts it: a shell's background job (`cmd &`) starts it
    # with Ctrl-C ignored, and workers that merely inherit that would prove nothing.
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        assert all(map_ordered(lambda _n: signal.getsignal(signal.SIGINT) is signal.SIG_IGN, count, jobs=2))
        with coming(lambda _n: signal.getsignal(signal.SIGINT) is signal.SIG_IGN, count, jobs=2) as results:
            assert all(results)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler, "the parent's own handler is untouched"
    finally:
        signal.signal(signal.SIGINT, before)
    with coming(lambda n: os.getpid(), 5, jobs=2) as few:
        assert set(few) == {os.getpid()}, "too few to fork for"


def test_markdown_rendered_elsewhere_is_waited_for_when_asked_for_and_taken_in_at_the_end() -> None:
    """A body that workers are rendering (build.prerender) is taken from them when validation
    asks for it, with the ones that came before it, rather than rendered again; the rest are
    taken in at the end, and a body nobody renders elsewhere is rendered here."""
    urls = Urls("https://x.example/")
    markdown = Renderer(urls)
    texts = ["first", "second", "third", "fourth"]
    keys = [markdown.key(text, 1) for text in texts]
    made = [Rendered(f"<p>{text} from a worker</p>", (), ()) for text in texts]
    taken: list[str] = []

    def arriving() -> Iterator[tuple[str, Rendered]]:
        for key, rendered in zip(keys, made, strict=True):
            taken.append(key)
            yield key, rendered

    markdown.expect(arriving(), keys)
    assert markdown.render("second", 1).html == "<p>second from a worker</p>"
    assert taken == keys[:2] and markdown.known.keys() == set(keys[:2])
    assert markdown.render("first", 1) is made[0], "already taken in"
    assert markdown.render("elsewhere", 1).html == "<p>elsewhere</p>\n", "not coming: rendered here"
    assert taken == keys[:2]
    markdown.arrived()
    assert taken == keys and all(markdown.known[key] is result for key, result in zip(keys, made, strict=True))
    assert markdown.used == {keys[0], keys[1], markdown.key("elsewhere", 1)}, "only what was asked for is kept for the cache"


def test_a_write_up_reaches_only_the_write_up_keys_of_its_events_views_in_every_language() -> None:
    """cache.py's `Changes` trusts that when nothing but write-ups changed, an event's views
    (in each language of the site) differ only in `context.WRITE_UP_KEYS`: a page that read none
    of those keys is kept unlooked at. A key made from the write-up under another name (a
    reading time, an excerpt) must be added there, or such pages would be kept stale."""
    options = BuildOptions(site=REPO, out=REPO / "output", now=dt.datetime(2026, 11, 15, tzinfo=dt.UTC), environ=demo_env())
    loaded = load(options, Report())
    assert loaded is not None
    site = loaded.site
    edited = replace(site, events=tuple(replace(e, body_html=e.body_html + "<p>Edited.</p>") for e in site.events))
    assert site.config.languages, "the demo is in two languages"
    pairs = [(site, edited), *zip((s for _l, s in localized_sites(site)), (s for _l, s in localized_sites(edited)), strict=True)]
    for number, (before, after) in enumerate(pairs):
        old, new = ContextBuilder(before, [], options.now), ContextBuilder(after, [], options.now)
        for was, now in zip(old.events, new.events, strict=True):
            differ = {key for key in dict.keys(now) if dict.__getitem__(was, key) != dict.__getitem__(now, key)}
            # In another language an event with a translated write-up shows that one: nothing moves.
            assert differ <= WRITE_UP_KEYS and ("html" in differ or number > 0), (was.view_name, differ)


def test_a_write_up_removed_reaches_only_the_write_up_keys_of_its_events_views_in_every_language() -> None:
    """The same promise when a write-up is emptied or deleted (its Markdown file removed). In
    another language an event without a translated write-up shows the original one and names
    its language in `html_lang`: with no write-up left, that key changes too. (Whether an
    event has a write-up at all is also in `kept.event_shapes`' selection, so such a build looks at every
    page anyway.)"""
    options = BuildOptions(site=REPO, out=REPO / "output", now=dt.datetime(2026, 11, 15, tzinfo=dt.UTC), environ=demo_env())
    loaded = load(options, Report())
    assert loaded is not None
    # As if no event had a translated write-up (no <slug>.<lang>.md): each language shows the original.
    untranslated = tuple(
        replace(e, translations=tuple((code, replace(text, body_html=None)) for code, text in e.translations)) for e in loaded.site.events
    )
    site = replace(loaded.site, events=untranslated)
    edited = replace(site, events=tuple(replace(e, body_html="") for e in site.events))
    pairs = list(zip((s for _l, s in localized_sites(site)), (s for _l, s in localized_sites(edited)), strict=True))
    assert pairs, "the demo is in two languages"
    for before, after in [(site, edited), *pairs]:
        old, new = ContextBuilder(before, [], options.now), ContextBuilder(after, [], options.now)
        for was, now in zip(old.events, new.events, strict=True):
            differ = {key for key in dict.keys(now) if dict.__getitem__(was, key) != dict.__getitem__(now, key)}
            assert differ <= WRITE_UP_KEYS, (was.view_name, differ)


def _reworded(event: Event, field: str) -> Event:
    """`event` with one of `kept.DISPLAY_FIELDS` or `GATHERED_FIELDS` edited, in the first
    language and in each translation that has it; a testimonial is reworded, never added or
    taken away."""

    def edited(value: Any) -> Any:
        match field:
            case "guests":
                return (value or 0) + 1
            case "venue":
                return Venue("Another hall", "Another city", "Indonesia")
            case "end_date":
                return event.date + dt.timedelta(days=2)
            case "title" | "summary":
                return value + " (edited)"
            case "services" | "highlights":
                return (*value, "one more")
            case "vendors":
                return (*value, Vendor("Another vendor", "lights"))
            case "client":
                return Client("Another client", public=True)
            case "budget":
                return Budget(Money(Decimal("12345"), "IDR"), public=True)
            case _:
                return None if value is None else replace(value, quote=value.quote + " (edited)")

    translations = tuple(
        (code, replace(t, **{field: edited(getattr(t, field))}) if hasattr(t, field) else t) for code, t in event.translations
    )
    return replace(event, translations=translations, **{field: edited(getattr(event, field))})


def _without_views(value: Any) -> Any:
    """A context with each event's view (and the site's) replaced by its name."""
    if isinstance(value, View):
        return ("view", value.view_name)
    if isinstance(value, dict):
        return {key: _without_views(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_views(item) for item in value]
    return value


@pytest.mark.parametrize("field", [*DISPLAY_FIELDS, *GATHERED_FIELDS])
def test_a_display_field_edited_reaches_only_the_pages_that_read_it(field: str) -> None:
    """cache.py's `Shape` leaves `kept.DISPLAY_FIELDS` and `GATHERED_FIELDS` out, and `Changes`
    trusts that editing one changes, in every language, only the keys `context.DISPLAY_KEYS`
    and `GATHERED_KEYS` of the event's views, and no other value of a page's context unless
    the page read one of those keys as its context was made (an event page's title and
    description) or is of `GATHERING_KINDS` (the home page's count of guests): no page holds
    other events, in another order. A field that a list's order or a ranking of public pages
    comes to use must leave both, and one that a new kind of page counts needs its kind in
    GATHERING_KINDS, or pages would be kept stale."""
    assert frozenset(DISPLAY_FIELDS) == DISPLAY_KEYS, "a display field is the view's key of the same name"
    assert frozenset(GATHERED_FIELDS) < GATHERED_KEYS, "and a gathered one too"
    options = BuildOptions(site=REPO, out=REPO / "output", now=dt.datetime(2026, 11, 15, tzinfo=dt.UTC), environ=demo_env())
    loaded = load(options, Report())
    assert loaded is not None
    site, slug = loaded.site, "childrens-hospital-gala"  # featured, with a testimonial, a client and a budget shown, translated
    edited = replace(site, events=tuple(_reworded(e, field) if e.slug == slug else e for e in site.events))
    (before,) = (event_shapes(e) for e in site.events if e.slug == slug)
    (after,) = (event_shapes(e) for e in edited.events if e.slug == slug)
    assert before[0] != after[0] and before[1] == after[1], "the shape has the field, the selection leaves it out"
    contexts = []
    for version in (site, edited):
        translations = localized_sites(version)
        routes = plan_routes(version, loaded.secret, options.now.date()) + language_routes(translations)
        contexts.append((ContextBuilder(version, routes, options.now, translations=translations), routes))
    (old, routes), (new, _) = contexts
    public = [route for route in routes if not route.private]
    assert {route.lang for route in public} == {"", "en"}, "pages in both languages"
    differing = []
    for route in public:
        with recording() as reads:
            was = old.for_route(route)
        if _without_views(was) != _without_views(new.for_route(route)):
            differing.append(route.path)
            gathers = field in GATHERED_FIELDS and route.kind in GATHERING_KINDS
            assert gathers or {(slug, key) for key in DISPLAY_KEYS | GATHERED_KEYS | {EVERYTHING}} & reads, route.path
    assert field not in ("title", "summary") or f"events/{slug}/" in differing, "the event page's title and description"
    assert field not in ("guests", "venue") or "" in differing, "the home page counts the guests and the cities"
    moved = set()
    for builder_before, builder_after in [(old, new), *zip(old.others.values(), new.others.values(), strict=True)]:
        was_view, now_view = builder_before.by_slug[slug], builder_after.by_slug[slug]
        moved |= {key for key in dict.keys(now_view) if dict.__getitem__(was_view, key) != dict.__getitem__(now_view, key)}
    assert moved and moved <= DISPLAY_KEYS | GATHERED_KEYS, moved


@pytest.mark.parametrize(
    "change",
    [
        lambda e: replace(e, type="conference" if e.type != "conference" else "wedding"),
        lambda e: replace(e, tags=(*e.tags, "new-tag")),
        lambda e: replace(e, featured=not e.featured),
        lambda e: replace(e, testimonial=None if e.testimonial else models.Testimonial("Lovely.")),  # the home page's testimonials
        lambda e: replace(e, date=e.date.replace(year=e.date.year - 1)),
    ],
    ids=["type", "tags", "featured", "a testimonial added or removed", "date"],
)
def test_any_other_field_edited_changes_the_selection(change: Callable[[Event], Event]) -> None:
    options = BuildOptions(site=REPO, out=REPO / "output", now=dt.datetime(2026, 11, 15, tzinfo=dt.UTC), environ=demo_env())
    loaded = load(options, Report())
    assert loaded is not None
    event = loaded.site.events[0]
    assert event_shapes(change(event))[1] != event_shapes(event)[1]


def test_a_cache_file_that_fails_to_be_written_leaves_the_old_one_and_nothing_else(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache")
    cache.write("key-1", CacheData(pages={"a/index.html": ["f", 1, 2, [0, {}], []]}))
    before = (tmp_path / "cache/build.json").read_bytes()
    with pytest.raises(TypeError):
        cache.write("key-1", CacheData(pages={"a/index.html": [object()]}))  # not JSON: fails half-way through
    assert (tmp_path / "cache/build.json").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["README", "build.json"]


def test_a_stored_record_is_decoded_only_as_far_as_a_page_needs_and_a_bad_one_renders_again() -> None:
    """A rebuild keeps nearly every page by its record's fingerprint and file alone (`Stored`):
    what the page read of a view is looked up only when that view changed, and a record that
    names a set of keys or a view the table does not hold is rendered again, never trusted."""
    table, names = KeySets(), Names()
    reads = PageReads(frozenset({"title", "url"}), {"gala": frozenset({"html", "title"}), f"{SITE_VIEW}:en": frozenset({NOW})})
    record = PageRecord("print", reads, 10, 20, frozenset({"gala", "dinner"}))
    stored = Stored.from_json(record.to_json(table, names), table, names)
    decoded = stored.record() if stored else None
    assert stored is not None and stored.reads_now and decoded is not None
    assert decoded.to_json(table, names) == record.to_json(table, names) and decoded.held == record.held
    assert stored.keys("gala") == {"html", "title"} and stored.keys("dinner") == {"title", "url"}
    route = Route("events/gala/", "event.html", "event")
    unchanged = Changes({}, {f"{SITE_VIEW}:en": frozenset()})
    assert not unchanged.touch(route, stored)
    assert Changes({}, {f"{SITE_VIEW}:en": frozenset({NOW})}).touch(route, stored)  # it read the clock
    assert Changes({names.number("gala"): ("gala", WRITE_UP_KEYS)}, {}).touch(route, stored)  # it read the held event's write-up
    assert not Changes({names.number("dinner"): ("dinner", WRITE_UP_KEYS)}, {}).touch(route, stored)  # a card: no write-up key read
    assert Changes({names.number("dinner"): ("dinner", WRITE_UP_KEYS | DISPLAY_KEYS)}, {}).touch(
        route, stored
    )  # its record edited: the card's title
    assert not Changes({names.number("elsewhere"): ("elsewhere", WRITE_UP_KEYS | DISPLAY_KEYS)}, {}).touch(route, stored)  # not held
    home = Route("", "home.html", "home")
    assert Changes({}, {}, gathered=True).touch(home, stored)  # a record edited: the home page counts its guests again
    assert not Changes({}, {}).touch(home, stored) and not Changes({}, {}, gathered=True).touch(route, stored)
    bad_keys = [*record.to_json(table, names)[:3], [0, {"gala": 99}], [names.number("gala")], False]
    damaged = Stored.from_json(bad_keys, table, names)
    assert damaged is not None and damaged.record() is None
    assert Changes({names.number("gala"): ("gala", WRITE_UP_KEYS)}, {}).touch(
        route, damaged
    )  # what it read cannot be told: fingerprinted, then rendered
    bad_view = [*record.to_json(table, names)[:4], [99], False]
    assert Stored.from_json(bad_view, table, names) is None  # which views it held cannot be told
    for broken in (None, [], ["print", 1, 2, [0, {}], []], ["print", 1, 2, [0, {}], [], "yes"], ["print", 1, 2, {}, [], False]):
        assert Stored.from_json(broken, table, names) is None


@pytest.mark.parametrize("held", [[99], [-1], [True], ["gala"], [None]], ids=["past the table", "negative", "a boolean", "a name", "null"])
def test_a_record_holding_a_view_the_table_does_not_number_is_never_kept_unlooked_at(held: list[object]) -> None:
    """Such a record cannot say which events' views the page held, so a write-up edited since
    may show on it: it is rendered again (as before records were decoded lazily), not kept by
    its fingerprint because no view it names was read again."""
    table, names = KeySets(), Names()
    reads = PageReads(frozenset({"title"}), {"gala": frozenset({"html", "title"})})
    record = PageRecord("print", reads, 10, 20, frozenset({"gala"})).to_json(table, names)
    route = Route("events/gala/", "event.html", "event")
    gala_edited = Changes({names.number("gala"): ("gala", WRITE_UP_KEYS)}, {})
    assert gala_edited.touch(route, Stored.from_json(record, table, names))  # type: ignore[arg-type]  # the record as written
    odd = Stored.from_json([*record[:4], held, record[5]], table, names)
    assert odd is None or gala_edited.touch(route, odd)


def test_a_record_whose_clock_bit_disagrees_with_what_the_page_read_is_not_trusted() -> None:
    """The stamp covers the time only when a kept page read it (build.py), and takes that from
    the bit beside the record's reads: a record saying it did not while its reads say it did
    would let a later build be skipped with the page showing a stale time."""
    table, names = KeySets(), Names()
    for read in (frozenset({NOW}), frozenset({"title"})):
        reads = PageReads(frozenset({"title"}), {f"{SITE_VIEW}:en": read})
        record = PageRecord("print", reads, 10, 20, frozenset()).to_json(table, names)
        assert Stored.from_json(record, table, names) is not None
        assert Stored.from_json([*record[:5], not record[5]], table, names) is None


def test_the_code_key_follows_every_file_of_the_package_without_reading_it_at_every_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A preview asks for the key at every save; it is read again from the package's bytes
    only when a file's status moved, and then a change of the same size counts too."""
    from propgen import cache

    package = tmp_path / "propgen"
    (package / "themes/default/locales").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "build.py").write_text("ANSWER = 1\n")
    catalog = package / "themes/default/locales/messages.po"
    catalog.write_text('msgid "Events"\nmsgstr "Acara"\n')
    monkeypatch.setattr(cache, "PACKAGE", package)
    read: list[str] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or read_bytes(self))
    first = cache.code_key()
    assert sorted(read) == ["build.py", "messages.po"]
    read.clear()
    (package / "__pycache__/build.cpython-311.pyc").write_bytes(b"compiled")  # not propgen's code: ignored
    assert cache.code_key() == first and read == []
    catalog.write_text('msgid "Events"\nmsgstr "Acarx"\n')  # the same size
    os.utime(catalog, ns=(catalog.stat().st_atime_ns, catalog.stat().st_mtime_ns + 1))
    second = cache.code_key()
    assert second != first
    (package / "themes/default/locales/new.po").write_text("")
    assert cache.code_key() not in (first, second)


def test_the_code_key_kept_in_the_cache_folder_is_used_only_for_the_status_it_was_made_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build started afresh finds the key in the cache folder instead of reading the package
    and the dependencies' metadata; a file of the package, an installed version or Python
    itself moved, or a damaged file there, and the key is made again from the bytes."""
    from propgen import cache

    package, installed, folder = tmp_path / "propgen", tmp_path / "site-packages", tmp_path / "cache"
    package.mkdir()
    (installed / "Jinja2-3.1.6.dist-info").mkdir(parents=True)
    folder.mkdir()
    code = package / "build.py"
    code.write_text("ANSWER = 1\n")
    monkeypatch.setattr(cache, "PACKAGE", package)
    monkeypatch.setattr(sys, "path", [str(tmp_path / "bin"), str(installed)])
    read: list[str] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or read_bytes(self))

    def fresh(keep: bool = True) -> str:
        """As a new process asks: nothing remembered in memory."""
        cache._code_key.cache_clear()
        read.clear()
        return cache.code_key(folder, keep=keep)

    assert fresh(keep=False) == cache.code_key() and read == ["build.py"]
    assert not (folder / cache.CODE_FILE).exists()  # `propgen check` keeps nothing
    first = fresh()
    assert read == ["build.py"] and (folder / cache.CODE_FILE).is_file()
    assert fresh() == first and read == []  # found, with nothing read
    (installed / "Jinja2-3.1.6.dist-info").rename(installed / "Jinja2-3.1.7.dist-info")
    assert fresh() == first and read == ["build.py"]  # another version installed: made again
    assert fresh() == first and read == []
    code.write_text("ANSWER = 2\n")
    second = fresh()
    assert second != first and read == ["build.py"]
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert fresh() != second and read == ["build.py"]
    (folder / cache.CODE_FILE).write_text("{not json")
    assert fresh() != second and read == ["build.py"]  # damaged: made again, and kept again
    assert json.loads((folder / cache.CODE_FILE).read_text())["key"] == cache.code_key()
    (installed / "propgen.egg-info").mkdir()  # not a dependency: its name need not carry a version
    assert fresh() == fresh() and read == []
    eggs = tmp_path / "eggs"
    (eggs / "PyYAML.egg-info").mkdir(parents=True)  # a dependency whose version no name says
    monkeypatch.setattr(sys, "path", [*sys.path, str(eggs)])
    assert fresh() == fresh() and read == ["build.py"]  # made afresh, every time
    zipped = tmp_path / "deps.zip"
    zipped.write_bytes(b"PK")
    monkeypatch.setattr(sys, "path", [str(installed), str(zipped), str(tmp_path / "none")])
    assert fresh() == fresh() and read == ["build.py"]  # a file on the path: its contents unseen
