"""Documents -> models: read each record with `Fields`, collecting every problem.

This is the one place that knows the content format of events and pages; each
`read_*` function is that record's schema (see docs/content.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .config import Config
from .errors import Location, Report
from .fields import Fields, Source, open_record
from .images import StaticFiles, parse_focus, render_body
from .markdown import Renderer
from .models import Budget, Client, Event, Image, Money, Page, Site, Testimonial, Vendor, Venue
from .proposals import read_proposals
from .sources import Content, Document, Pair, SiteFiles
from .sponsorships.records import read_sponsorships
from .urls import Urls


def build_site(
    config: Config,
    files: SiteFiles,
    content: Content,
    report: Report,
    include_drafts: bool = False,
    draft_proposals: bool = False,
    markdown: Renderer | None = None,
    pictures: Sequence[tuple[str, Location]] = (),
) -> Site:
    """`draft_proposals` keeps draft proposals even without `include_drafts` (`propgen serve`
    always previews them; `propgen proposals` lists them). `markdown` may hold bodies
    rendered ahead of time (the build cache, all cores). `pictures` are files of static/
    that the settings show (a theme's logo), checked and noted like a page's images."""
    markdown = markdown or Renderer(Urls(config.base_url))
    static = StaticFiles(files.static)
    for path, where in pictures:
        static.check(report, where, path)
    events = read_events(content.events, config, markdown, static, report)
    failed_events = {pair.stem for pair in content.events} - {event.slug for event in events}
    proposals = read_proposals(content.proposals, config, events, markdown, static, report, failed_events)
    sponsorships = read_sponsorships(content.sponsorships, config, events, markdown, static, report, failed_events)
    if not (include_drafts or draft_proposals):
        proposals = [p for p in proposals if not p.draft]
        sponsorships = [replace(s, prospects=tuple(p for p in s.prospects if not p.draft)) for s in sponsorships if not s.draft]
    hidden_drafts = 0 if include_drafts else sum(1 for e in events if e.draft)
    if not include_drafts:
        events = [e for e in events if not e.draft]
    events.sort(key=lambda e: (e.date, e.slug), reverse=True)
    pages: list[Page] = []
    intro_html, intro_title = "", ""
    for document in content.pages:
        page = read_page(document, markdown, static, report)
        if page is None:
            continue
        if page.slug == "index":
            intro_html, intro_title = page.body_html, page.title
        else:
            pages.append(page)
    pages.sort(key=lambda p: (p.menu is None, p.menu or 0, p.title.lower(), p.slug))
    return Site(
        config=config,
        events=tuple(events),
        pages=tuple(pages),
        proposals=tuple(proposals),
        sponsorships=tuple(sponsorships),
        hidden_drafts=hidden_drafts,
        intro_html=intro_html,
        intro_title=intro_title,
        static_files=tuple(sorted(static.paths)),
        static_uses=tuple(static.uses),
        static_used_at=tuple(static.used_at.items()),
    )


# -- events ---------------------------------------------------------------------------------


def read_events(pairs: tuple[Pair, ...], config: Config, markdown: Renderer, static: StaticFiles, report: Report) -> list[Event]:
    events = []
    for pair in pairs:
        stem, writeup = pair.stem, pair.text
        if pair.has_record_file:
            record = pair.record
            if writeup is not None and writeup.node is not None:
                report.error(
                    writeup.at(1),
                    f"this write-up has front matter, but the record is in {stem}.yaml",
                    f"move those fields into {stem}.yaml and keep only Markdown here",
                )
        elif writeup is not None and writeup.node is None:
            report.error(
                writeup.at(1),
                f"this event has no record: there is no {stem}.yaml and no front matter",
                f"create {stem}.yaml, or start this file with '---', the fields (title, type, date ...), and '---'",
            )
            continue
        else:
            record = writeup
        if record is None:
            continue  # unreadable: already reported
        fields = open_record(record.node, Source.of(record, report), "event", "title: Annual Gala 2025")
        if fields is None:
            continue
        html = render_body(writeup, markdown, static, report) if writeup is not None else ""
        event = read_event(fields, stem, config, static, html)
        fields.finish()
        if event is not None:
            events.append(event)
    return events


def read_event(f: Fields, slug: str, config: Config, static: StaticFiles, body_html: str) -> Event | None:
    title = f.text("title", required=True, example="Annual Gala 2025")
    kind = f.choice("type", list(config.event_types), required=True)
    date = f.date("date", required=True)
    end_date = f.end_date("end_date", date)
    summary = f.text("summary", example="Three days, 850 guests, 14 sponsors.") or ""
    if not summary and title:
        f.warning(f.node, "this event has no summary", "add  summary: one line for cards and search results")
    venue = read_venue(f.mapping("venue", "venue", example="{name: Grand Ballroom, city: Jakarta, country: Indonesia}"))
    client = read_client(f.mapping("client", "client", example="{name: PT Example, public: false}"))
    guests = f.whole("guests", minimum=0)
    budget = read_budget(f.mapping("budget", "budget", example="{amount: 250000000, currency: IDR, public: false}"), config)
    services = tuple(f.texts("services", example="[venue selection, catering]"))
    vendors = tuple(v for v in (read_vendor(r) for r in f.records("vendors", "vendor", "- {name: Rasa Catering, role: catering}")) if v)
    highlights = tuple(f.texts("highlights", example="[Matched 14 sponsors]"))
    gallery = tuple(
        i for i in (read_image(r, static) for r in f.records("gallery", "gallery image", "- {src: images/x.jpg, alt: ...}")) if i
    )
    cover: Image | None = None
    cover_src = f.text("cover", example="images/x.jpg")
    if cover_src is not None:
        checked = static.check(f.source.report, f.location("cover"), cover_src)
        if checked:
            cover = next((i for i in gallery if i.src == checked), None) or Image(checked, title or "")
    elif gallery:
        cover = gallery[0]
    testimonial = read_testimonial(f.mapping("testimonial", "testimonial", example='{quote: "...", author: ..., role: ...}'))
    tags = tuple(dict.fromkeys(f.texts("tags", example="[hybrid, sponsorship]")))
    featured = f.flag("featured", False)
    draft = f.flag("draft", False)
    if title is None or kind is None or date is None:
        return None
    return Event(
        slug=slug,
        title=title,
        type=kind,
        date=date,
        source=f.source.display,
        end_date=end_date,
        summary=summary,
        venue=venue,
        client=client,
        guests=guests,
        budget=budget,
        services=services,
        vendors=vendors,
        highlights=highlights,
        gallery=gallery,
        cover=cover,
        testimonial=testimonial,
        tags=tags,
        featured=featured,
        draft=draft,
        body_html=body_html,
    )


def read_venue(f: Fields | None) -> Venue | None:
    if f is None:
        return None
    name = f.text("name", required=True, example="Grand Ballroom")
    venue = Venue(name=name or "", city=f.text("city") or "", country=f.text("country") or "")
    f.finish()
    return venue if name else None


def read_client(f: Fields | None) -> Client | None:
    if f is None:
        return None
    name = f.text("name", required=True, example="PT Example")
    public = f.flag("public", True)
    f.finish()
    return Client(name, public) if name else None


def read_money(f: Fields, config: Config, key: str = "amount") -> Money | None:
    currency = f.currency("currency", config.currency)
    amount = f.money_amount(key, currency, required=True)
    return Money(amount, currency) if amount is not None else None


def read_budget(f: Fields | None, config: Config) -> Budget | None:
    if f is None:
        return None
    money = read_money(f, config)
    public = f.flag("public", False)
    f.finish()
    return Budget(money, public) if money else None


def read_vendor(f: Fields) -> Vendor | None:
    name = f.text("name", required=True, example="Rasa Catering")
    vendor = Vendor(name=name or "", role=f.text("role") or "", url=f.url("url") or "")
    f.finish()
    return vendor if name else None


def read_image(f: Fields, static: StaticFiles) -> Image | None:
    src = f.text("src", required=True, example="images/gala/stage.jpg")
    alt = f.text("alt", example="Guests at the welcome dinner") or ""
    if src is not None and not alt:
        f.error(f.node, f"image '{src}' has no alt text", "add  alt: a short description for people who cannot see it")
    focus = f.text("focus", example='"50% 20%"') or ""
    if focus and parse_focus(focus) is None:
        f.error(
            f.node_of("focus"),
            f"focus '{focus}' is not a point of the photo",
            'write two percentages, across then down, e.g.  focus: "50% 20%"  for a face near the top',
        )
        focus = ""
    f.finish()
    checked = static.check(f.source.report, f.location("src"), src) if src is not None else None
    return Image(checked, alt, focus) if checked else None


def read_testimonial(f: Fields | None) -> Testimonial | None:
    if f is None:
        return None
    quote = f.text("quote", required=True, example='"Everything ran on time."')
    testimonial = Testimonial(quote or "", f.text("author") or "", f.text("role") or "")
    f.finish()
    return testimonial if quote else None


# -- pages ----------------------------------------------------------------------------------


def read_page(document: Document, markdown: Renderer, static: StaticFiles, report: Report) -> Page | None:
    if document.node is None:
        report.error(
            document.at(1),
            "this page has no front matter",
            "start the file with three lines:  ---  /  title: About  /  ---",
        )
        return None
    f = open_record(document.node, Source.of(document, report), "page", "title: About")
    if f is None:
        return None
    title = f.text("title", required=True, example="About")
    menu = f.whole("menu", example="1")
    description = f.text("description") or ""
    html = render_body(document, markdown, static, report)
    f.finish()
    if title is None:
        return None
    return Page(slug=document.slug, title=title, source=document.display, menu=menu, description=description, body_html=html)
