"""The benchmarks' synthetic portfolio: N events made from a seed, so every run and every
machine builds the same site, written both as a propgen site and as an equivalent Hugo site.

Each event has a record and a write-up of about 550 words (headings, paragraphs, a list,
emphasis, a link, sometimes a quote), one of five types, a city drawn from sixteen with
the weights a coordinator in Indonesia might see, and 0 to 5 tags drawn from a vocabulary
of 48 with Zipf weights: a few tags on many events, most on a few. The Hugo site has the
same pages: the home page, every event, the events list, a page per type and per tag,
the feed, the sitemap and the 404 page. Its event pages show related events only when
asked (HugoSite(related=True)): Hugo's related content scores every event that shares a
keyword with the page, which on this corpus is quadratic (122 s at 10,000 events with
tags alone, against 18 s without), so by default Hugo does a little less than propgen.

Each site also knows the changes the rebuild scenarios make (bench/run.py): a write-up
edited, a record edited, a template edited, an event added, an event deleted.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

SEED = 2026
TYPES = ["wedding", "conference", "corporate", "gala", "social"]
TYPE_WEIGHTS = [35, 25, 20, 10, 10]
CITIES = [
    ("Jakarta", "Indonesia", 30),
    ("Bali", "Indonesia", 14),
    ("Bandung", "Indonesia", 8),
    ("Surabaya", "Indonesia", 8),
    ("Yogyakarta", "Indonesia", 6),
    ("Ubud", "Indonesia", 6),
    ("Semarang", "Indonesia", 3),
    ("Medan", "Indonesia", 4),
    ("Makassar", "Indonesia", 3),
    ("Manado", "Indonesia", 2),
    ("Lombok", "Indonesia", 2),
    ("Labuan Bajo", "Indonesia", 2),
    ("Singapore", "Singapore", 5),
    ("Kuala Lumpur", "Malaysia", 3),
    ("Bangkok", "Thailand", 2),
    ("Tokyo", "Japan", 1),
]
TAG_TEXT = (
    "hybrid, outdoor, sponsorship, destination, multilingual, sustainability, healthcare, tech, finance, garden, "
    "beach, ballroom, intimate, luxury, cultural, traditional, awards, product launch, team building, incentive trip, "
    "networking, exhibition, workshops, fundraising, charity, VIP guests, rooftop, heritage venue, live music, fine dining, "
    "halal catering, vegetarian menu, kids friendly, accessibility, live streaming, interpretation, registration, "
    "hotel block, shuttle buses, fireworks, photo booth, religious ceremony, Javanese, Balinese, Sundanese, "
    "Chinese-Indonesian, international guests, rain plan"
)
TAGS = TAG_TEXT.split(", ")
TAG_WEIGHTS = [1 / (rank + 1) ** 0.9 for rank in range(len(TAGS))]
SERVICES = ["venue selection", "catering", "decoration", "entertainment", "registration", "travel", "accommodation", "audio-visual"]
WORD_TEXT = (
    "the guests arrived early and the team had set every table before the doors opened while the caterer finished the "
    "first course and the band tested the sound in the hall we planned the run of show with the client over six weeks "
    "and kept a rain plan ready for the garden a shuttle left the hotel every twenty minutes so nobody waited long in the "
    "heat speakers rehearsed on stage the evening before and the stream was tested twice with the remote audience in mind "
    "our florists worked through the night with local flowers from the market and the lighting followed the colours of "
    "the invitation every supplier had a contact on site and a printed schedule with the timings for the day the budget "
    "stayed within the agreed figure because we booked the venue early and negotiated the package for the whole weekend"
)
WORDS = WORD_TEXT.split()
PROPGEN_CONFIG = """\
title: Bench Events
base_url: https://bench.example/
locale: en
currency: IDR
coordinator: {name: Bench Coordinator, email: hello@bench.example, city: Jakarta}
"""


@dataclass(frozen=True)
class BenchEvent:
    slug: str
    title: str
    type: str
    date: dt.date
    summary: str
    venue: str
    city: str
    country: str
    guests: int
    services: tuple[str, ...]
    tags: tuple[str, ...]
    featured: bool
    body: str


def make_events(count: int, seed: int = SEED) -> list[BenchEvent]:
    rng = random.Random(seed)
    return [make_event(rng, n) for n in range(count)]


def make_event(rng: random.Random, n: int) -> BenchEvent:
    kind = rng.choices(TYPES, TYPE_WEIGHTS)[0]
    city, country, _ = rng.choices(CITIES, [w for *_, w in CITIES])[0]
    tags = tuple(dict.fromkeys(rng.choices(TAGS, TAG_WEIGHTS, k=rng.choice([0, 1, 2, 2, 3, 3, 3, 4, 4, 5]))))
    guests = rng.choice([40, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500, 800, 1200]) + rng.choice([0, 0, 0, 5, 10, 25])
    date = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(14 * 365))
    title = f"{city} {kind} {n}"
    return BenchEvent(
        slug=f"{kind}-{city.lower().replace(' ', '-')}-{n:05d}",
        title=title.title(),
        type=kind,
        date=date,
        summary=f"{guests} guests in {city}: {sentence(rng, 8, 14)}",
        venue=f"{rng.choice(['Grand', 'Royal', 'Harbour', 'Garden', 'Heritage'])} {rng.choice(['Hall', 'Ballroom', 'Pavilion', 'Villa'])}",
        city=city,
        country=country,
        guests=guests,
        services=tuple(rng.sample(SERVICES, rng.randrange(1, 5))),
        tags=tags,
        featured=rng.random() < 0.02,
        body=writeup(rng),
    )


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    text = " ".join(sentence(rng, 10, 21) for _ in range(rng.randint(4, 7)))
    word = rng.choice(WORDS)
    return text.replace(f" {word} ", f" **{word}** ", 1)


def writeup(rng: random.Random) -> str:
    """About 550 words of Markdown that reads like a coordinator's write-up."""
    parts = ["## What the client needed", paragraph(rng), paragraph(rng), "## How we planned it", paragraph(rng)]
    parts.append("\n".join(f"- {sentence(rng, 4, 9)}" for _ in range(rng.randint(3, 6))))
    parts += ["## On the day", paragraph(rng), f"{paragraph(rng)} See [the venue](https://venue.example/{rng.randrange(999)}) for photos."]
    if rng.random() < 0.4:
        parts.append(f"> {sentence(rng, 10, 18)} *The client*")
    parts.append(paragraph(rng))
    return "\n\n".join(parts) + "\n"


def yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- propgen -----------------------------------------------------------------------------------------


class PropgenSite:
    """The corpus as a propgen site; `output/` is where it builds."""

    name = "propgen"

    def __init__(self, root: Path, proposals: int = 0) -> None:
        self.root = root
        self.proposals = proposals

    @property
    def output(self) -> Path:
        return self.root / "output"

    def write(self, events: list[BenchEvent]) -> None:
        (self.root / "content/events").mkdir(parents=True, exist_ok=True)
        (self.root / "propgen.yaml").write_text(PROPGEN_CONFIG)
        for event in events:
            self.write_event(event)
        pages = self.root / "content/pages"
        pages.mkdir(parents=True, exist_ok=True)
        (pages / "about.md").write_text("---\ntitle: About us\nmenu: 1\n---\n\nWe plan events across Indonesia.\n")
        # The site overrides one template, as a real site would: the scenario edits it.
        card = self.root / "themes/default/templates/partials/card.html"
        card.parent.mkdir(parents=True, exist_ok=True)
        builtin = Path(__file__).resolve().parent.parent / "src/propgen/themes/default/templates/partials/card.html"
        card.write_text(builtin.read_text())
        if self.proposals:
            (self.root / "content/proposals").mkdir(parents=True, exist_ok=True)
            rng = random.Random(SEED + 1)
            for n in range(self.proposals):
                (self.root / f"content/proposals/prospect-{n:04d}.yaml").write_text(proposal(rng, n))

    def write_event(self, event: BenchEvent) -> None:
        folder = self.root / "content/events"
        record = (
            f"title: {yaml_text(event.title)}\ntype: {event.type}\ndate: {event.date}\nsummary: {yaml_text(event.summary)}\n"
            f"venue: {{name: {event.venue}, city: {event.city}, country: {event.country}}}\n"
            f"guests: {event.guests}\nservices: [{', '.join(event.services)}]\ntags: [{', '.join(event.tags)}]\n"
            f"featured: {'true' if event.featured else 'false'}\n"
        )
        (folder / f"{event.slug}.yaml").write_text(record)
        (folder / f"{event.slug}.md").write_text(event.body)

    def delete_event(self, event: BenchEvent) -> None:
        for suffix in (".yaml", ".md"):
            (self.root / f"content/events/{event.slug}{suffix}").unlink()

    def edit_template(self) -> None:
        card = self.root / "themes/default/templates/partials/card.html"
        card.write_text(card.read_text() + "{# edited #}\n")

    def clean(self) -> None:
        """Back to a cold start: no output, no cache."""
        for folder in (self.output, self.root / ".propgen-cache"):
            if folder.exists():
                shutil.rmtree(folder)


def proposal(rng: random.Random, n: int) -> str:
    kind = rng.choices(TYPES, TYPE_WEIGHTS)[0]
    city = rng.choices(CITIES, [w for *_, w in CITIES])[0][0]
    tags = ", ".join(dict.fromkeys(rng.choices(TAGS, TAG_WEIGHTS, k=rng.randint(0, 3))))
    return (
        f"title: Proposal {n}\nclient: {{name: Prospect {n}}}\nprepared_on: 2026-11-01\n"
        f"event: {{type: {kind}, date: 2027-06-12, guests: {rng.choice([80, 150, 400])}, city: {city}}}\n"
        f"tags: [{tags}]\nbudget:\n  items:\n    - {{item: Planning, qty: 1, price: 60000000}}\n"
        "payment_schedule:\n  - {percent: 100, due: on acceptance}\nportfolio: auto\naccept: {email: hello@bench.example}\n"
    )


# -- Hugo --------------------------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "https://bench.example/"
title = "Bench Events"
disableKinds = []
[taxonomies]
  tag = "tags"
  eventtype = "eventtypes"
[permalinks]
  [permalinks.page]
    events = "/events/:slug/"
  [permalinks.term]
    tags = "/events/tag/:slug/"
    eventtypes = "/events/type/:slug/"
[related]
  includeNewer = true
  threshold = 1
  toLower = true
  [[related.indices]]
    name = "eventtypes"
    weight = 200
  [[related.indices]]
    name = "tags"
    weight = 100
[markup.goldmark.renderer]
  unsafe = false
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ block "title" . }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="canonical" href="{{ .Permalink }}">
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Summary | plainify | truncate 160 }}{{ end }}">
<link rel="stylesheet" href="/assets/site.css"></head>
<body><header class="wrap"><a href="/">{{ site.Title }}</a> <nav><a href="/events/">Events</a>
{{ range site.Menus.main }}<a href="{{ .URL }}">{{ .Name }}</a>{{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer class="wrap">© {{ now.Year }} {{ site.Title }}</footer></body></html>
""",
    "partials/card.html": """<article class="card" data-type="{{ .Params.etype }}"><a class="card-link" href="{{ .RelPermalink }}">
<div class="card-body"><p class="card-meta"><span class="badge">{{ .Params.etype | title }}</span> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "Jan 2, 2006" }}</time></p>
<h3 class="card-title">{{ .Title }}</h3>{{ with .Params.summary }}<p class="card-summary">{{ . }}</p>{{ end }}
<p class="card-facts"><span>{{ .Params.city }}</span> <span>{{ .Params.guests }} guests</span></p></div></a></article>
""",
    "_default/single.html": """{{ define "main" }}<article class="wrap event"><p class="eyebrow"><a href="/events/type/{{ .Params.etype | urlize }}/">{{ .Params.etype | title }}</a></p>
<h1>{{ .Title }}</h1><p class="lede">{{ .Params.summary }}</p>
<dl class="facts"><dt>Date</dt><dd>{{ .Date.Format "January 2, 2006" }}</dd><dt>Venue</dt><dd>{{ .Params.venue }}, {{ .Params.city }}, {{ .Params.country }}</dd>
<dt>Guests</dt><dd>{{ .Params.guests }}</dd><dt>Services</dt><dd>{{ with .Params.services }}{{ delimit . ", " }}{{ end }}</dd></dl>
<div class="prose">{{ .Content }}</div>
{{ with .Params.tags }}<ul class="tags">{{ range . }}<li><a href="/events/tag/{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul>{{ end }}</article>
RELATED<section class="wrap"><h2>Related events</h2><div class="cards">{{ range . }}{{ partial "card.html" . }}{{ end }}</div></section>{{ end }}
<nav class="wrap pager">{{ with .NextInSection }}<a href="{{ .RelPermalink }}">Newer {{ .Title }}</a>{{ end }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">Older {{ .Title }}</a>{{ end }}</nav>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<div class="wrap"><h1>{{ .Title }}</h1><div class="cards">
{{ range .Pages.ByDate.Reverse }}{{ partial "card.html" . }}{{ end }}</div>
<ul class="tags">{{ range site.Taxonomies.tags.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }} {{ .Count }}</a></li>{{ end }}</ul></div>{{ end }}
""",
    "index.html": """{{ define "main" }}<div class="wrap"><h1>{{ site.Title }}</h1><h2>Featured</h2><div class="cards">
{{ range first 6 (where site.RegularPages "Params.featured" true) }}{{ partial "card.html" . }}{{ end }}</div>
<h2>Recent</h2><div class="cards">{{ range first 6 site.RegularPages.ByDate.Reverse }}{{ partial "card.html" . }}{{ end }}</div></div>{{ end }}
""",
    "404.html": """{{ define "main" }}<div class="wrap"><h1>Page not found</h1><a href="/">Home</a></div>{{ end }}
""",
}


class HugoSite:
    """The same corpus as a Hugo site, built into `public/`."""

    name = "hugo"

    def __init__(self, root: Path, related: bool = False) -> None:
        self.root = root
        self.related = related

    @property
    def output(self) -> Path:
        return self.root / "public"

    def write(self, events: list[BenchEvent]) -> None:
        (self.root / "content/events").mkdir(parents=True, exist_ok=True)
        (self.root / "hugo.toml").write_text(HUGO_CONFIG)
        (self.root / "content/events/_index.md").write_text("---\ntitle: Events\n---\n")
        (self.root / "content/about.md").write_text("---\ntitle: About us\nmenu: main\n---\n\nWe plan events across Indonesia.\n")
        for name, text in HUGO_LAYOUTS.items():
            path = self.root / "layouts" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                text.replace("RELATED", "{{ with first 3 (site.RegularPages.Related .) }}" if self.related else "{{ with slice }}")
            )
        (self.root / "static/assets").mkdir(parents=True, exist_ok=True)
        (self.root / "static/assets/site.css").write_text("body { font-family: sans-serif; }\n")
        for event in events:
            self.write_event(event)

    def write_event(self, event: BenchEvent) -> None:
        front = (
            f"---\ntitle: {yaml_text(event.title)}\ndate: {event.date}\neventtypes: [{event.type}]\netype: {event.type}\n"
            f"summary: {yaml_text(event.summary)}\nvenue: {event.venue}\ncity: {event.city}\ncountry: {event.country}\n"
            f"guests: {event.guests}\nservices: [{', '.join(event.services)}]\ntags: [{', '.join(event.tags)}]\n"
            f"featured: {'true' if event.featured else 'false'}\nslug: {event.slug}\n---\n\n"
        )
        (self.root / f"content/events/{event.slug}.md").write_text(front + event.body)

    def delete_event(self, event: BenchEvent) -> None:
        (self.root / f"content/events/{event.slug}.md").unlink()

    def edit_template(self) -> None:
        card = self.root / "layouts/partials/card.html"
        card.write_text(card.read_text() + "{{/* edited */}}\n")

    def clean(self) -> None:
        for folder in (self.output, self.root / "resources"):
            if folder.exists():
                shutil.rmtree(folder)


# -- the changes of the rebuild scenarios ------------------------------------------------------------


def edited_writeup(event: BenchEvent) -> BenchEvent:
    return replace(event, body=event.body + "\nOne more paragraph, written after the event.\n")


def edited_record(event: BenchEvent) -> BenchEvent:
    return replace(event, summary=event.summary + " Edited.")


def added_event(count: int) -> BenchEvent:
    return make_event(random.Random(SEED + count), count)
