"""Documents -> models: read each record with `Fields`, collecting every problem.

This is the one place that knows the content format of events and pages; each
`read_*` function is that record's schema (see docs/content.md).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace

from . import translated
from .config import Config
from .errors import Location, Report, Severity, shorten
from .fields import Fields, Source, open_record
from .images import StaticFiles, parse_focus, render_body
from .kept import KeptEvent, KeptEvents, event_shapes
from .markdown import Renderer
from .models import Budget, Client, Event, EventText, Image, Money, Page, Service, Site, Testimonial, Vendor, Venue
from .proposals import read_proposals
from .sources import Content, Document, Pair, SiteFiles, composed, split_language
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
    kept: KeptEvents | None = None,
) -> Site:
    """`draft_proposals` keeps draft proposals even without `include_drafts` (`propgen serve`
    always previews them; `propgen proposals` lists them). `markdown` may hold bodies
    rendered ahead of time (the build cache, all cores). `pictures` are files of static/
    that the settings show (a theme's logo), checked and noted like a page's images. `kept`
    holds the events the last build read (kept.py), and takes this build's."""
    markdown = markdown or Renderer(Urls(config.base_url))
    static = StaticFiles(files.static)
    for path, where in pictures:
        static.check(report, where, path)
    events = read_events(content.events, config, markdown, static, report, kept)
    writeups, page_translations = read_translations(content, config, markdown, static, report)
    events = [with_writeups(e, writeups.get(e.slug, {})) for e in events]
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
    intro_translations: tuple[tuple[str, str, str], ...] = ()
    for document in content.pages:
        page = read_page(document, config, markdown, static, report)
        if page is None:
            continue
        page = replace(page, translations=tuple(sorted(page_translations.get(page.slug, {}).items())))
        if page.slug == "index":
            intro_html, intro_title = page.body_html, page.title
            intro_translations = tuple((code, t.title, t.body_html) for code, t in page.translations)
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
        intro_translations=intro_translations,
        static_files=tuple(sorted(static.paths)),
        static_uses=tuple(static.uses),
        static_used_at=tuple(static.used_at.items()),
    )


# -- events ---------------------------------------------------------------------------------


def read_events(
    pairs: tuple[Pair, ...], config: Config, markdown: Renderer, static: StaticFiles, report: Report, kept: KeptEvents | None = None
) -> list[Event]:
    """With `kept`, an event the last build kept (its files unchanged) is replayed, and every
    event read without an error is kept for the next build."""
    events = []
    for pair in pairs:
        if kept is not None and pair.kept:
            entry = kept.keep(pair.digest, pair.signature)
            # Made again, so that they are masked with every secret known now (kept.py keeps them as made).
            report.problems.extend(replace(p, location=replace(p.location)) for p in entry.problems)
            static.replay(entry.checked, entry.uses)
            events.append(entry.event)
            continue
        problems, checked, uses = len(report.problems), len(static.checked), len(static.uses)
        if kept is None:
            event = read_pair(pair, config, markdown, static, report)
        else:
            with markdown.kept_elsewhere():
                event = read_pair(pair, config, markdown, static, report)
        if event is None:
            continue
        events.append(event)
        found = report.problems[problems:]
        if kept is not None and pair.digest and not any(p.severity is Severity.ERROR for p in found):
            checks, used = tuple(static.checked[checked:]), tuple(static.uses[uses:])
            kept.add(pair.digest, KeptEvent(event, tuple(found), checks, used, pair.signature, *event_shapes(event)))
    return events


def read_pair(pair: Pair, config: Config, markdown: Renderer, static: StaticFiles, report: Report) -> Event | None:
    pair = composed(pair, report)  # its YAML nodes live only while this event is read
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
        return None
    else:
        record = writeup
    if record is None:
        return None  # unreadable: already reported
    fields = open_record(record.node, Source.of(record, report), "event", "title: Annual Gala 2025")
    if fields is None:
        return None
    html = render_body(writeup, markdown, static, report) if writeup is not None else ""
    event = read_event(fields, stem, config, static, html)
    fields.finish()
    return event


def read_event(f: Fields, slug: str, config: Config, static: StaticFiles, body_html: str) -> Event | None:
    codes = config.codes
    title, titles = translated.text(f, "title", codes, required=True, example="Annual Gala 2025")
    kind = f.choice("type", list(config.event_types), required=True)
    date = f.date("date", required=True)
    end_date = f.end_date("end_date", date)
    summary_text, summaries = translated.text(f, "summary", codes, example="Three days, 850 guests, 14 sponsors.")
    summary = summary_text or ""
    if not summary and title:
        f.absent(("summary",), "this event has no summary", "add  summary: one line for cards and search results", warning=True)
    venue = read_venue(f.mapping("venue", "venue", example="{name: Grand Ballroom, city: Jakarta, country: Indonesia}"))
    client = read_client(f.mapping("client", "client", example="{name: PT Example, public: false}"))
    guests = f.whole("guests", minimum=0)
    budget = read_budget(f.mapping("budget", "budget", example="{amount: 250000000, currency: IDR, public: false}"), config)
    services_list, services_in = translated.texts(f, "services", codes, example="[venue selection, catering]")
    services = tuple(services_list)
    vendors = tuple(v for v in (read_vendor(r) for r in f.records("vendors", "vendor", "- {name: Rasa Catering, role: catering}")) if v)
    highlights_list, highlights_in = translated.texts(f, "highlights", codes, example="[Matched 14 sponsors]")
    highlights = tuple(highlights_list)
    pictures = [
        i for i in (read_image(r, static, codes) for r in f.records("gallery", "gallery image", "- {src: images/x.jpg, alt: ...}")) if i
    ]
    gallery = tuple(image for image, _alts in pictures)
    cover_src = f.text("cover", example="images/x.jpg")
    checked = static.check(f.source.report, f.location("cover"), cover_src) if cover_src is not None else None
    cover = pick_cover(gallery, checked, cover_src is not None, title or "")
    testimonial, testimonial_in = read_testimonial(
        f.mapping("testimonial", "testimonial", example='{quote: "...", author: ..., role: ...}'), codes
    )
    tags = tuple(dict.fromkeys(f.texts("tags", example="[hybrid, sponsorship]")))
    featured = f.flag("featured", False)
    draft = f.flag("draft", False)
    if title is None or kind is None or date is None:
        return None

    def words_in(code: str) -> EventText:
        """The event's words in another language: each field's own text there, else the first's."""
        gallery_there = tuple(replace(image, alt=alts.get(code, image.alt)) for image, alts in pictures)
        return EventText(
            title=titles.get(code, title),
            summary=summaries.get(code, summary),
            services=tuple(services_in.get(code, services)),
            highlights=tuple(highlights_in.get(code, highlights)),
            testimonial=testimonial_in.get(code, testimonial),
            gallery=gallery_there,
            cover=pick_cover(gallery_there, checked, cover_src is not None, titles.get(code, title)),
            body_html=None,
        )

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
        translations=tuple((code, words_in(code)) for code in codes[1:]),
    )


def pick_cover(gallery: tuple[Image, ...], checked: str | None, given: bool, title: str) -> Image | None:
    """`cover:` names a gallery photo (with its alt) or another file (the title is its alt);
    without it, the first photo of the gallery."""
    if not given:
        return gallery[0] if gallery else None
    if not checked:
        return None
    return next((i for i in gallery if i.src == checked), None) or Image(checked, title)


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


def read_image(f: Fields, static: StaticFiles, codes: tuple[str, ...] = ()) -> tuple[Image, translated.Others] | None:
    """A gallery photo with its alt text in the first language, and in others where written."""
    src = f.text("src", required=True, example="images/gala/stage.jpg")
    alt_text, alts = translated.text(f, "alt", codes, example="Guests at the welcome dinner")
    alt = alt_text or ""
    if src is not None and not alt:
        f.absent(("alt",), f"image '{src}' has no alt text", "add  alt: a short description for people who cannot see it")
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
    return (Image(checked, alt, focus), alts) if checked else None


def read_testimonial(f: Fields | None, codes: tuple[str, ...] = ()) -> tuple[Testimonial | None, dict[str, Testimonial]]:
    """A client's words, and the same words in other languages where written (`quote` and `role`)."""
    if f is None:
        return None, {}
    quote, quotes = translated.text(f, "quote", codes, required=True, example='"Everything ran on time."')
    author = f.text("author") or ""
    role_text, roles = translated.text(f, "role", codes)
    role = role_text or ""
    f.finish()
    if not quote:
        return None, {}
    others = {code: Testimonial(quotes.get(code, quote), author, roles.get(code, role)) for code in {*quotes, *roles}}
    return Testimonial(quote, author, role), others


# -- translations ---------------------------------------------------------------------------


def read_translations(
    content: Content, config: Config, markdown: Renderer, static: StaticFiles, report: Report
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, Page]]]:
    """`events/<slug>.<lang>.md` (a write-up: Markdown only, the record's fields hold the
    other words) and `pages/<slug>.<lang>.md` (front matter with title and description),
    each beside its original and in one of the site's other languages. Returns the write-ups'
    HTML and the pages, by original slug and language."""
    event_stems = {pair.stem for pair in content.events}
    page_stems = {document.slug for document in content.pages}
    writeups: dict[str, dict[str, str]] = {}
    pages: dict[str, dict[str, Page]] = {}
    for document in content.translations:
        slug, code = split_language(document.slug)
        is_event = document.path.parent.name == "events"
        if not language_known(document, slug, code, config, report):
            continue
        if slug not in (event_stems if is_event else page_stems):
            what, original = ("event", f"{slug}.yaml or {slug}.md") if is_event else ("page", f"{slug}.md")
            close = difflib.get_close_matches(slug, sorted(event_stems if is_event else page_stems), n=1)
            report.error(
                document.at(1),
                f"this translates the {what} '{slug}', but there is no {original}",
                f"did you mean {close[0]}.{code}.md?"
                if close
                else f"a translation sits beside its original: write {original.split(' or ')[0]} first",
            )
            continue
        if is_event:
            if document.node is not None:
                report.error(
                    document.at(1),
                    "a translated write-up has no front matter: the event's record holds every language",
                    f"keep only Markdown here, and write the other fields in the record, e.g.  title: {{{config.codes[0]}: ..., {code}: ...}}",
                )
                continue
            writeups.setdefault(slug, {})[code] = render_body(document, markdown, static, report)
        else:
            page = read_page(document, config, markdown, static, report, translation=True)
            if page is not None:
                pages.setdefault(slug, {})[code] = replace(page, slug=slug)
    return writeups, pages


def language_known(document: Document, slug: str, code: str, config: Config, report: Report) -> bool:
    """A translation's language is one of the site's others; the first language's text is the original."""
    codes = config.codes
    if code in codes[1:]:
        return True
    if not codes:
        hint = f"to publish the site in more languages, add  languages: [{config.locale.split('_')[0]}, {code}]  to propgen.yaml"
        report.error(document.at(1), f"this is a translation into '{shorten(code)}', but the site has one language", hint)
    elif code == codes[0]:
        report.error(
            document.at(1),
            f"'{code}' is the site's first language: its text is the original, {slug}.md",
            f"put this text in {slug}.md, or name the file after another language: {', '.join(codes[1:])}"
            if codes[1:]
            else f"put this text in {slug}.md",
        )
    else:
        close = difflib.get_close_matches(code, codes, n=1)
        report.error(
            document.at(1),
            f"'{shorten(code)}' is not one of the site's languages ({', '.join(codes)})",
            f"did you mean {slug}.{close[0]}.md?" if close else "add it to  languages:  in propgen.yaml, or rename the file",
        )
    return False


def with_writeups(event: Event, writeups: dict[str, str]) -> Event:
    """An event with its translated write-ups in the words of each language."""
    if not writeups:
        return event
    return replace(event, translations=tuple((code, replace(text, body_html=writeups.get(code))) for code, text in event.translations))


# -- pages ----------------------------------------------------------------------------------


def read_page(
    document: Document, config: Config, markdown: Renderer, static: StaticFiles, report: Report, translation: bool = False
) -> Page | None:
    """A page; a translation (`about.en.md`) has its own title, description and services, and
    takes its place in the menu from the original."""
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
    if translation and menu is not None:
        f.error(
            f.node_of("menu"),
            "a translated page takes its place in the menu from the original",
            f"remove  menu:  here; it is set in {split_language(document.slug)[0]}.md",
        )
        menu = None
    description = f.text("description") or ""
    example = "- {name: Full planning, includes: [Venue search, Budget], from: 50000000}"
    services = tuple(s for s in (read_service(r, config) for r in f.records("services", "service", example)) if s)
    html = render_body(document, markdown, static, report)
    f.finish()
    if title is None:
        return None
    return Page(
        slug=document.slug, title=title, source=document.display, menu=menu, description=description, body_html=html, services=services
    )


def read_service(f: Fields, config: Config) -> Service | None:
    """A service card: `from` is the price it starts from, in `currency` (the site's by default)."""
    name = f.text("name", required=True, example="Full planning")
    summary = f.text("summary", example="From the first call to the last guest home") or ""
    includes = tuple(f.texts("includes", example="[Venue search, Budget, Vendors]"))
    currency = f.currency("currency", config.currency)
    amount = f.money_amount("from", currency, example="50000000")
    f.finish()
    if name is None:
        return None
    return Service(name, summary, includes, Money(amount, currency) if amount is not None else None)
