"""The floor: the least work any Python generator must do for the benchmark's site, and so
the yardstick for propgen's cold build (`python bench/floor.py SITE OUT --jobs 1|2`).

It reads each record with libyaml, renders each write-up with markdown-it-py, fills a
Jinja2 page and writes it; then the list pages (all events, each type, each tag) from cards
rendered once per event. No validation, no error locations, no related events, no feed:
whatever propgen spends beyond this is the price of what it does for its users.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markdown_it import MarkdownIt

ENV = jinja2.Environment(autoescape=True)
PAGE = ENV.from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ e.title }} · Bench Events</title>
<meta name="description" content="{{ e.summary }}"></head><body><main><article>
<p><a href="/events/type/{{ e.type }}/">{{ e.type|title }}</a></p><h1>{{ e.title }}</h1><p>{{ e.summary }}</p>
<dl><dt>Date</dt><dd>{{ e.date }}</dd><dt>Venue</dt><dd>{{ e.venue.name }}, {{ e.venue.city }}</dd><dt>Guests</dt><dd>{{ e.guests }}</dd>
<dt>Services</dt><dd>{{ e.services|join(", ") }}</dd></dl><div class="prose">{{ html|safe }}</div>
<ul>{% for t in e.tags or [] %}<li><a href="/events/tag/{{ t|lower|replace(' ', '-') }}/">{{ t }}</a></li>{% endfor %}</ul>
</article></main></body></html>"""
)
CARD = ENV.from_string(
    """<article class="card"><a href="/events/{{ slug }}/"><p>{{ e.type|title }} {{ e.date }}</p><h3>{{ e.title }}</h3>
<p>{{ e.summary }}</p><p>{{ e.venue.city }} · {{ e.guests }} guests</p></a></article>"""
)
LIST = ENV.from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }} · Bench Events</title></head>
<body><main><h1>{{ title }}</h1><div class="cards">{% for card in cards %}{{ card|safe }}{% endfor %}</div></main></body></html>"""
)
MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(["table", "strikethrough", "replacements", "smartquotes"])
OUT = Path()


def event_page(stem: Path) -> tuple[str, Any, str, list[str], str]:
    """One event: read, render, write; what the list pages need comes back."""
    record = yaml.load(stem.with_suffix(".yaml").read_text(), Loader=yaml.CSafeLoader)
    html = MARKDOWN.render(stem.with_suffix(".md").read_text())
    target = OUT / "events" / stem.name / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(PAGE.render(e=record, html=html))
    return stem.name, record["date"], record["type"], record.get("tags") or [], CARD.render(e=record, slug=stem.name)


def list_page(path: str, title: str, cards: list[str]) -> None:
    target = OUT / path / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(LIST.render(title=title, cards=cards))


def main() -> None:
    global OUT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    OUT = args.out
    shutil.rmtree(OUT, ignore_errors=True)
    stems = sorted(p.with_suffix("") for p in (args.site / "content/events").glob("*.yaml"))
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            events = pool.map(event_page, stems, chunksize=64)
    else:
        events = [event_page(stem) for stem in stems]
    events.sort(key=lambda e: (e[1], e[0]), reverse=True)
    list_page("events", "Events", [card for *_, card in events])
    list_page("", "Bench Events", [card for *_, card in events[:6]])
    groups: dict[str, list[str]] = {}
    for _slug, _date, kind, tags, card in events:
        groups.setdefault(f"events/type/{kind}", []).append(card)
        for tag in tags:
            groups.setdefault(f"events/tag/{tag.lower().replace(' ', '-')}", []).append(card)
    for path, cards in groups.items():
        list_page(path, path.rsplit("/", 1)[1], cards)


if __name__ == "__main__":
    main()
