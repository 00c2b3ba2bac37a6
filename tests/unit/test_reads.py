"""What a page reads of the shared views, as the cache records it (reads.py): every way a
template can look at an event's view is noted, and a page that saw a view whole depends on
all of it."""

from __future__ import annotations

import datetime as dt
import json

import jinja2
import pytest

from propgen.reads import EVERYTHING, SITE_VIEW, KeySets, PageReads, View, projection, recording, replay


def view(name: str = "gala", **extra: object) -> View:
    return View(name, {"slug": name, "title": "Gala", "html": "<p>Write-up</p>", "city": "Jakarta", **extra})


def reads_of(template: str, **context: object) -> set[tuple[str, str]]:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    with recording() as reads:
        env.from_string(template).render(**context)
    return reads


def test_a_template_reading_fields_notes_exactly_those() -> None:
    assert reads_of("{{ e.title }} {{ e['city'] }} {{ e.get('missing', '') }}", e=view()) == {
        ("gala", "title"),
        ("gala", "city"),
        ("gala", "missing"),
    }


@pytest.mark.parametrize(
    "template",
    [
        "{% for k in e %}{{ k }}{% endfor %}",
        "{% for k, v in e.items() %}{{ v }}{% endfor %}",
        "{{ e.values()|list }}",
        "{{ e|length }}",
        "{{ e }}",
        "{{ e|tojson }}",
        "{{ e|dictsort }}",
        "{{ e == other }}",
        "{{ e|pprint }}",
        "{{ e|xmlattr }}",
    ],
)
def test_a_template_seeing_a_view_whole_depends_on_all_of_it(template: str) -> None:
    assert ("gala", EVERYTHING) in reads_of(template, e=view(), other=view("other"))


def test_asking_whether_there_is_a_view_reads_nothing_of_it() -> None:
    assert reads_of("{% if e %}yes{% endif %}", e=view()) == set()


def test_reads_outside_a_recording_are_not_kept_and_nested_ones_count_outside() -> None:
    e = view()
    assert e["title"] == "Gala"  # no recording open: nothing to note, nothing fails
    with recording() as outer:
        with recording() as inner:
            e["city"]
        replay(frozenset({("other", "title")}))
    assert inner == {("gala", "city")}
    assert outer == {("gala", "city"), ("other", "title")}


def test_json_sees_a_view_as_its_items() -> None:
    e = view()
    with recording() as reads:
        text = json.dumps(e)
    assert json.loads(text) == dict(dict.items(e)) and ("gala", EVERYTHING) in reads


def test_page_reads_keep_the_usual_keys_once_and_the_others_by_view() -> None:
    reads = {(name, key) for name in ("a", "b", "c") for key in ("title", "url")} | {("own", "html"), ("own", "title")}
    page = PageReads.of(reads)
    assert page.usual == {"title", "url"}
    assert page.unusual == {"own": {"html", "title"}}
    assert page.keys("never-read") == {"title", "url"}  # a view the page did not read counts with the usual keys
    table = KeySets()
    written = json.dumps([page.to_json(table), PageReads.of({("x", "title"), ("x", "url")}).to_json(table), table.to_json()])
    first, second, sets = json.loads(written)
    assert first[0] == second[0] and len(sets) == 2  # a set of keys is written once, however many pages read it
    again = PageReads.from_json(first, KeySets(sets))
    assert (again.usual, again.unusual) == (page.usual, page.unusual)
    grown = KeySets(sets)
    assert grown.number(frozenset({"date"})) == 2 and grown.keys(0) == page.usual  # numbers already given keep their sets


def test_the_site_view_is_always_named_so_reading_its_time_is_known_exactly() -> None:
    site = View(f"{SITE_VIEW}:id", {"title": "Site", "now": "12:00", "year": 2026})
    cards = {(name, "title") for name in ("a", "b")}
    titled = PageReads.of(
        reads_of("{{ site.title }}{% for e in events %}{{ e.title }}{% endfor %}", site=site, events=[view("a"), view("b")])
    )
    assert titled.usual == {"title"} and titled.unusual == {f"{SITE_VIEW}:id": {"title"}}  # its keys equal the cards', still named
    assert not titled.reads_now()
    for template in ("{{ site.now }}", "{{ site.get('now') }}", "{% set k = 'n' ~ 'ow' %}{{ site[k] }}", "{{ site }}", "{{ site|length }}"):
        assert PageReads.of(reads_of(template, site=site) | cards).reads_now(), template
    assert not PageReads.of({(name, EVERYTHING) for name in ("a", "b")}).reads_now()  # a feed reads events whole, not the time
    with pytest.raises(TypeError, match="the site cannot be changed by a template"):
        reads_of("{{ site.update(title='x') }}", site=site)


@pytest.mark.parametrize("bad", [None, [], [0], [0, []], [1, {}], [-1, {}], ["0", {}], [True, {}], [0, {"a": 1}], [0, {"a": [0]}]])
def test_a_record_this_version_did_not_write_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        PageReads.from_json(bad, KeySets([["title"]]))


def test_a_projection_holds_the_keys_read_and_nothing_else() -> None:
    e = view()
    assert projection(e, frozenset({"title", "missing"})) == {"title": "Gala"}
    assert projection(e, frozenset({EVERYTHING})) == dict(dict.items(e))
    with recording() as reads:
        projection(e, frozenset({"title"}))
    assert reads == set()  # the cache looking at a view is not a page reading it


def test_a_remembered_macro_counts_its_reads_on_every_page_that_shows_it() -> None:
    from propgen.theme import Remembered

    env = jinja2.Environment(
        loader=jinja2.DictLoader({"card.html": "{% macro card(e) %}{{ e.title }}{% endmacro %}{% set card = remember(card) %}"})
    )
    env.globals["remember"] = Remembered
    page = env.from_string('{% from "card.html" import card %}{% for e in events %}{{ card(e) }}{% endfor %}')
    events = [view("a"), view("b")]
    with recording() as first:
        assert page.render(events=events) == "GalaGala"
    with recording() as second:  # every card now comes from memory: the page still depends on their titles
        assert page.render(events=events) == "GalaGala"
    assert first == second == {("a", "title"), ("b", "title")}


def test_a_remembered_macro_renders_once_per_arguments() -> None:
    from propgen.theme import Remembered

    calls: list[object] = []
    remembered = Remembered(lambda *args, **kwargs: calls.append((args, kwargs)) or len(calls))
    e, other = view("a"), view("a")  # equal content, different views: matched by identity
    assert [remembered(e), remembered(e), remembered(e, heading="h2"), remembered(other), remembered(e, heading="h2")] == [1, 1, 2, 3, 2]


@pytest.mark.parametrize(
    "template",
    [
        "{{ e.update(title='X') }}",
        "{{ e.setdefault('title', '') }}",
        "{{ e.pop('title') }}",
        "{{ e.popitem() }}",
        "{{ e.clear() }}",
    ],
)
def test_a_template_cannot_change_a_view_every_page_shares(template: str) -> None:
    e = view()
    with pytest.raises(TypeError, match="cannot be changed by a template"):
        reads_of(template, e=e)
    assert dict(dict.items(e)) == dict(dict.items(view()))


def test_which_event_a_view_is_counts_even_when_the_page_read_the_same_values() -> None:
    from propgen.cache import Fingerprints

    a, b = view("a"), view("b")  # same title; a page that reads only titles can still tell them apart by `is sameas`
    reads = PageReads(frozenset({"title"}), {})
    prints = Fingerprints()
    assert prints.of({"featured": a, "recent": [a, b]}, reads) != prints.of({"featured": b, "recent": [a, b]}, reads)


def test_remembered_arguments_that_compare_equal_but_render_differently_are_told_apart() -> None:
    from decimal import Decimal

    from markupsafe import Markup

    from propgen.theme import Remembered

    shown = Remembered(lambda *args, **kwargs: repr((args, kwargs)))
    assert shown("a", "big") != shown("a", heading="big")  # a keyword is not the next positional argument
    assert shown(True) != shown(1)
    assert shown(Decimal("1500")) != shown(Decimal("1500.00"))
    assert shown(0.0) != shown(-0.0)
    assert shown(Markup("Q&amp;A")) != shown("Q&amp;A")
    noon = dt.datetime(2027, 6, 12, 12, tzinfo=dt.UTC)
    assert shown(noon) != shown(noon.astimezone(dt.timezone(dt.timedelta(hours=7))))  # one instant, two clocks
    assert shown("a", heading="h2") == shown("a", heading="h2")
