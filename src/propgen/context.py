"""The template context: a view of the model made for themes (documented in docs/themes.md).

Templates never see models or settings directly: they get plain dicts whose links are
already resolved, and whose private facts (a client who asked not to be named, a budget
not marked public) are simply absent, so no theme can leak them by accident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, overload

import babel

from .config import Language
from .kept import DISPLAY_FIELDS, GATHERED_FIELDS
from .models import Event, Image, Page, Proposal, Prospectus, Site, Sponsorship
from .proposal_view import expired_view, proposal_view, superseded_view
from .rankings import TagIndex
from .reads import NOW, SITE_VIEW, View
from .routes import TRANSLATED_KINDS, Route, Tag, collect_tags, event_path, page_path, tag_path, type_path, unprefixed
from .sponsorships.view import expired_view as prospect_expired_view
from .sponsorships.view import overview_view, prospect_view
from .theme_settings import Options
from .urls import Urls

Context = dict[str, Any]
# Pages whose context reads the build's time other than through the site's view (the feed's
# date with no event to date it, the team's overview of prospects' expiry): the cache
# fingerprints them on every build.
CLOCK_KINDS = frozenset({"feed", "sponsorship_overview"})
# The keys of an event's view made from its write-up, in every language (in another
# language, `html_lang` names the first when the write-up is shown untranslated): when
# nothing but write-ups changed, a page that read none of them of an event's view shows it
# as it was (cache.py's `Changes`; tests/unit/test_cache.py holds the views to it).
WRITE_UP_KEYS = frozenset({"html", "html_lang"})
DISPLAY_KEYS = frozenset(DISPLAY_FIELDS)  # an event view's keys made from them: each field's of the same name
GATHERED_KEYS = frozenset({*GATHERED_FIELDS, "city"})  # and from those: the venue's city is a key of its own
# The public pages whose context gathers `GATHERED_FIELDS` from every event, not only from the
# views they hold: the home page's counts, the feed's date. Fingerprinted whenever a record changed.
GATHERING_KINDS = frozenset({"home", "feed"})
FAVICONS = ("favicon.svg", "favicon.png", "favicon.ico")


class EventViews(Sequence[View]):
    """The events' views in the site's order, each made when a page first asks for it: a
    rebuild after one edit makes a handful of 10,000 (making them all was a tenth of a second).
    Contexts get lists of them, never this: a context is digested whole (cache.py)."""

    def __init__(self, events: Sequence[Event], make: Callable[[Event], View]) -> None:
        self._events, self._make = events, make
        self._made: list[View | None] = [None] * len(events)
        self.position = {e.slug: index for index, e in enumerate(events)}
        self.by_slug: Mapping[str, View] = BySlug(self)

    def __len__(self) -> int:
        return len(self._events)

    @overload
    def __getitem__(self, index: int) -> View: ...

    @overload
    def __getitem__(self, index: slice) -> list[View]: ...

    def __getitem__(self, index: int | slice) -> View | list[View]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]  # a negative index as a list takes it; IndexError past the end
        view = self._made[index]
        if view is None:
            view = self._made[index] = self._make(self._events[index])
        return view

    def __iter__(self) -> Iterator[View]:
        made, events, make = self._made, self._events, self._make  # a list page walks 10,000 of them
        for index, view in enumerate(made):
            if view is None:
                view = made[index] = make(events[index])
            yield view


class BySlug(Mapping[str, View]):
    """The events' views by slug, made as `EventViews` makes them."""

    def __init__(self, views: EventViews) -> None:
        self._views = views

    def __getitem__(self, slug: str) -> View:
        return self._views[self._views.position[slug]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._views.position)

    def __len__(self) -> int:
        return len(self._views.position)


class ContextBuilder:
    """Builds each route's context; site-wide parts are computed once per build."""

    def __init__(
        self,
        site: Site,
        routes: Sequence[Route],
        now: dt.datetime,
        has_custom_css: bool = False,
        images: Mapping[str, Mapping[str, Any]] | None = None,
        documents: Mapping[str, str] | None = None,
        translations: Sequence[tuple[Language, Site]] = (),
        language: Language | None = None,
        options: Options | None = None,
        search: bool = False,
    ) -> None:
        """`translations` are the site in each language after the first (languages.py): each
        gets a builder of its own, to which `for_route` hands that language's routes."""
        self.site = site
        self.documents = documents or {}  # `build --pdf`: a private page's path -> its PDF's path (pdf.py)
        self.search = search  # Pagefind indexes the public pages: the theme shows a search page
        self.images = images or {}  # views of the processed pictures by path under static/ (images/store.py)
        self.has_custom_css = has_custom_css
        self.urls = Urls(site.config.base_url)
        self.languages = site.config.languages
        self.language = language or (self.languages[0] if self.languages else None)
        self.folder = self.language.folder if self.language else ""  # where this language's pages are: "" or "en/"
        self.locale = self.language.locale if self.language else site.config.locale
        self.now = now
        self.links: dict[str, str] = {}
        self.events = EventViews(site.events, self.event)
        self.by_slug = self.events.by_slug
        self.position = self.events.position
        self.by_type: dict[str, list[int]] = {}  # positions in self.events
        for index, event in enumerate(site.events):
            self.by_type.setdefault(event.type, []).append(index)
        self.tag_index = TagIndex(site.events)  # positions in site.events are positions in self.events
        self.public_routes = [r for r in routes if not r.private and r.listed]
        self.proposal_paths = {r.subject.slug: r.path for r in routes if r.kind.startswith("proposal") and isinstance(r.subject, Proposal)}
        self.prospect_pages = [r for r in routes if isinstance(r.subject, Prospectus)]
        self.site_view = self._site_view()
        self.theme_options = self._theme_options(options or Options())
        first = next((index for index, e in enumerate(site.events) if e.featured), 0)  # the home page's first event
        home = self.events[first] if self.events else None
        self.site_preview = home["cover"]["og"] if home and home["cover"] else None  # pages without a photo of their own
        self.others = {
            lang.code: ContextBuilder(other, routes, now, has_custom_css, images, options=options, search=search, language=lang)
            for lang, other in translations
        }
        self.translated_paths = {r.path for r in routes if r.kind in TRANSLATED_KINDS and not r.lang}

    def site_views(self) -> list[View]:
        """The site's view in each language: the pages' contexts hold them besides the events'."""
        return [self.site_view, *(other.site_view for other in self.others.values())]

    def page_url(self, path: str) -> str:
        """The link of a site path ('events/') in this builder's language."""
        return self.urls.page(self.folder + path)

    def page_absolute(self, path: str) -> str:
        return self.urls.absolute(self.folder + path)

    def speaking(self, locale: str) -> ContextBuilder:
        """The builder of the site's language closest to `locale` (a private page's): this one
        unless the site has a later language of the same tongue. An English proposal on an
        Indonesian-first site links to the English event pages, and has the English tagline
        in its footer."""
        language = babel.Locale.parse(locale).language
        for other in self.others.values():
            if babel.Locale.parse(other.locale).language == language:
                return other
        return self

    def events_in(self, locale: str) -> Mapping[str, View]:
        """Event views by slug in the site's language closest to `locale` (`speaking`)."""
        return self.speaking(locale).by_slug

    def locale_of(self, route: Route) -> str | None:
        """The locale a route's page is written in, when it is a language after the first."""
        return self.others[route.lang].locale if route.lang in self.others else None

    def _theme_options(self, options: Options) -> dict[str, Any]:
        """Options as templates use them: an image option as a picture (renditions, size, alt)."""
        view: dict[str, Any] = dict(options.as_dict())
        for name, path, _where in options.images:
            view[name] = self.image(Image(path, self.site.config.title))
        return view

    # -- pieces ------------------------------------------------------------------------------

    def link(self, path: str) -> str:
        """A type's or tag's page link: thousands of events share a few dozen, so each is made once."""
        if path not in self.links:
            self.links[path] = self.page_url(path)
        return self.links[path]

    def image(self, image: Image | None) -> dict[str, Any] | None:
        """A picture as templates show it: its renditions' URLs, srcset and real size, its
        alt, its focus (CSS object-position) and its OpenGraph crop for that focus."""
        if image is None:
            return None
        url = self.urls.asset(image.src)
        view: dict[str, Any] = {
            "src": url,
            "absolute": self.urls.absolute(image.src),
            "srcset": "",
            "webp_srcset": "",
            "avif_srcset": "",
            "full": url,
        }
        view.update({"width": None, "height": None, "type": "", "portrait": False, **self.images.get(image.src, {})})
        view.update(alt=image.alt, focus=image.focus or "50% 50%", og=view.get("og", {}).get(image.focus))
        return view

    def event(self, e: Event) -> View:
        """An event as templates see it; a View, so the cache learns which of it each page reads."""
        return View(
            e.slug,
            {
                "slug": e.slug,
                "url": self.page_url(event_path(e)),
                "absolute_url": self.page_absolute(event_path(e)),
                "title": e.title,
                "type": e.type,
                "type_url": self.link(type_path(e.type)),
                "date": e.date,
                "end_date": e.end_date,
                "summary": e.summary,
                "venue": {"name": e.venue.name, "city": e.venue.city, "country": e.venue.country} if e.venue else None,
                "city": e.city,
                "client": e.client.name if e.client and e.client.public else None,
                "guests": e.guests,
                "budget": e.budget.money if e.budget and e.budget.public else None,
                "services": list(e.services),
                "vendors": [{"name": v.name, "role": v.role, "url": v.url} for v in e.vendors],
                "highlights": list(e.highlights),
                "gallery": [self.image(i) for i in e.gallery],
                "cover": self.image(e.cover),
                "testimonial": {"quote": e.testimonial.quote, "author": e.testimonial.author, "role": e.testimonial.role}
                if e.testimonial
                else None,
                "tags": [{"name": t, "url": self.link(tag_path(t))} for t in e.tags],
                "featured": e.featured,
                "draft": e.draft,
                "html": e.body_html,
                "html_lang": e.body_lang.replace("_", "-"),  # the write-up's language when it is shown untranslated
            },
        )

    def _site_view(self) -> View:
        """A `View` like the events' (reads.py): the cache learns which of its keys a page read,
        so a page showing `site.now` is rendered again when the time moves, and only such a page."""
        config = self.site.config
        c = config.coordinator
        present = self.by_type
        return View(
            f"{SITE_VIEW}:{self.locale}",
            {
                "title": config.title,
                "url": self.page_url(""),
                "base_url": config.base_url,
                "home_absolute_url": self.page_absolute(""),
                "locale": self.locale,
                "lang": self.locale.replace("_", "-"),
                "coordinator": {
                    "name": c.name,
                    "tagline": c.tagline,
                    "email": c.email,
                    "phone": c.phone,
                    "city": c.city,
                    "whatsapp_url": f"https://wa.me/{c.whatsapp}" if c.whatsapp else None,
                    "links": [{"name": name, "url": url} for name, url in c.links],
                },
                "nav": [
                    {"title": p.title, "url": self.page_url(page_path(p)), "slug": p.slug, "lang": p.lang.replace("_", "-")}
                    for p in self.site.pages
                    if p.menu is not None
                ],
                "events_url": self.page_url("events/"),
                "event_types": [
                    {"name": kind, "url": self.page_url(type_path(kind)), "count": len(self.by_type[kind])}
                    for kind in config.event_types
                    if kind in present
                ],
                "tags": [
                    {"name": t.name, "url": self.page_url(tag_path(t.name)), "count": len(t.events)} for t in collect_tags(self.site.events)
                ],
                "enquiry": self._enquiry(),
                # The search page of this language; Pagefind's result links are made from the site's root.
                "search": {"url": self.page_url("search/"), "bundle_url": self.urls.asset("pagefind/"), "base_url": self.urls.page("")}
                if self.search
                else None,
                "feed_url": self.page_url("feed.xml"),
                "feed_absolute_url": self.page_absolute("feed.xml"),
                "sitemap_absolute_url": self.urls.absolute("sitemap.xml"),
                "assets_url": self.urls.asset("assets/"),
                "custom_css": self.urls.asset("assets/custom.css") if self.has_custom_css else None,
                "favicon": next((self.urls.asset(name) for name in FAVICONS if name in self.site.static_files), None),
                NOW: self.now,
                "year": self.now.year,
                "organization": self._organization(),
            },
        )

    def _enquiry(self) -> dict[str, Any] | None:
        """The enquiry form's settings; None when propgen.yaml has no `enquiry:`."""
        config = self.site.config
        if config.enquiry is None:
            return None
        action = config.enquiry.action
        on_site = action.startswith("/")  # Netlify Forms: the host takes the POST and shows that page
        contact = next((p for p in self.site.pages if p.slug == "contact"), None)
        return {
            "action": self.urls.page(action.lstrip("/")) if on_site else action,
            "netlify": on_site,
            "email": config.coordinator.email,
            "event_types": list(config.event_types),
            "contact_url": self.page_url(page_path(contact)) + "#enquiry" if contact else None,  # in this language's folder
            "thanks_url": self.urls.page("thanks/"),
        }

    def _organization(self) -> dict[str, Any]:
        config = self.site.config
        c = config.coordinator
        person: dict[str, Any] = {"@type": "Person", "name": c.name, "email": c.email}
        if c.phone:
            person["telephone"] = c.phone
        org: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": config.title,
            "url": config.base_url,
            "email": c.email,
            "founder": person,
        }
        if c.tagline:
            org["description"] = c.tagline
        if c.phone:
            org["telephone"] = c.phone
        if c.city:
            org["address"] = {"@type": "PostalAddress", "addressLocality": c.city}
        if c.links:
            org["sameAs"] = [url for _name, url in c.links]
        return org

    def stats(self) -> dict[str, int]:
        events = self.site.events
        return {
            "events": len(events),
            "guests": sum(e.guests or 0 for e in events),
            "cities": len({e.city for e in events if e.city}),
            "types": len({e.type for e in events}),
        }

    def event_json_ld(self, view: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": view["title"],
            "startDate": view["date"].isoformat(),
            "url": view["absolute_url"],
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "organizer": {"@type": "Organization", "name": self.site.config.title, "url": self.site.config.base_url},
        }
        if view["end_date"]:
            data["endDate"] = view["end_date"].isoformat()
        if view["summary"]:
            data["description"] = view["summary"]
        if view["cover"]:
            data["image"] = [img["absolute"] for img in view["gallery"]] or [view["cover"]["absolute"]]
        if view["venue"]:
            venue = view["venue"]
            address = {"@type": "PostalAddress", "addressLocality": venue["city"], "addressCountry": venue["country"]}
            data["location"] = {"@type": "Place", "name": venue["name"], "address": {k: v for k, v in address.items() if v}}
        if view["guests"] is not None:
            data["maximumAttendeeCapacity"] = view["guests"]
        return data

    # -- per route ---------------------------------------------------------------------------

    def document(self, route: Route) -> dict[str, str] | None:
        """The page's PDF (`build --pdf`), for a "Download PDF" link; None without one."""
        path = self.documents.get(route.path)
        return {"url": self.urls.page(path), "name": path.rsplit("/", 1)[-1]} if path else None

    def for_route(self, route: Route) -> Context:
        if route.lang in self.others:
            return self.others[route.lang].for_route(route)
        context = self._for_route(route)
        page = context["page"]
        if route.kind in TRANSLATED_KINDS and route.kind != "feed" and self.languages:
            page["alternates"] = self.alternates(unprefixed(route, self.languages))
            fallback = self.fallback_language(route, context)
            if fallback:
                page["untranslated"] = {
                    "lang": fallback.replace("_", "-"),
                    "language": language_name(self.locale, self.locale),
                    "original": language_name(fallback, self.locale),
                }
        return context

    def alternates(self, path: str) -> list[dict[str, Any]]:
        """The same page in each language (the first language's is also x-default)."""
        assert self.language is not None
        return [
            {
                "code": lang.code,
                "hreflang": lang.hreflang,
                "name": language_name(lang.locale, lang.locale),
                "url": self.urls.page(lang.folder + path),
                "absolute": self.urls.absolute(lang.folder + path),
                "current": lang.code == self.language.code,
            }
            for lang in self.languages
        ]

    def fallback_language(self, route: Route, context: Context) -> str:
        """The language of a page's main text when it is not this page's (no translation)."""
        if route.kind == "page" and isinstance(route.subject, Page):
            return route.subject.lang
        if route.kind == "event":
            return str(context["event"]["html_lang"]).replace("-", "_")
        if route.kind == "home":
            return self.site.intro_lang
        return ""

    def _for_route(self, route: Route) -> Context:
        page: dict[str, Any] = {
            "kind": route.kind,
            "path": route.path,
            "url": self.urls.page(route.path),
            "canonical": self.urls.absolute(route.path),
            "title": "",
            "description": self.site.config.coordinator.tagline,
            "image": None,
            "private": route.private,
            "json_ld": None,
            "og_type": "website",
            "alternates": [],  # the same page in each language, when the site has several
            "untranslated": None,  # {lang, language, original} when the main text is another language's
        }
        context: Context = {"site": self.site_view, "page": page, "theme_options": self.theme_options}
        kind = route.kind
        if isinstance(route.subject, Proposal | Prospectus) and route.subject.locale:  # a private page in a language of its own
            context["site"] = self.speaking(route.subject.locale).site_view
        if kind == "home":
            page["json_ld"] = self.site_view["organization"]
            featured = [self.events[index] for index, e in enumerate(self.site.events) if e.featured] or self.events[:3]
            page["image"] = featured[0]["cover"]["og"] if featured and featured[0]["cover"] else None
            context.update(
                intro={"title": self.site.intro_title, "html": self.site.intro_html, "lang": self.site.intro_lang.replace("_", "-")},
                featured=featured,
                recent=self.events[:6],
                stats=self.stats(),
                testimonials=[
                    {**self.events[index]["testimonial"], "event": self.events[index]}
                    for index in [index for index, e in enumerate(self.site.events) if e.testimonial][:6]
                ],
            )
        elif kind in ("events", "event_type", "tag"):
            events: Sequence[dict[str, Any]] = list(self.events)
            if kind == "event_type":
                assert isinstance(route.subject, str)
                events = [self.events[index] for index in self.by_type[route.subject]]
                context["type"] = route.subject
            elif kind == "tag":
                assert isinstance(route.subject, Tag)
                events = [self.by_slug[e.slug] for e in route.subject.events]  # already newest first
                context["tag"] = {"name": route.subject.name, "url": page["url"]}
            context["events"] = events
        elif kind == "event":
            assert isinstance(route.subject, Event)
            view = self.by_slug[route.subject.slug]
            page.update(title=view["title"], description=view["summary"] or page["description"], og_type="article")
            page["image"] = view["cover"]["og"] if view["cover"] else None
            page["json_ld"] = self.event_json_ld(view)
            index = self.position[view["slug"]]
            context.update(
                event=view,
                newer=self.events[index - 1] if index > 0 else None,
                older=self.events[index + 1] if index + 1 < len(self.events) else None,
                related=self.related(view),
            )
        elif kind == "page":
            assert isinstance(route.subject, Page)
            p = route.subject
            page.update(title=p.title, description=p.description or page["description"])
            context["content"] = {
                "slug": p.slug,
                "title": p.title,
                "description": p.description,
                "html": p.body_html,
                "lang": p.lang.replace("_", "-"),  # the page's language when it is shown untranslated
                "services": [
                    {"name": v.name, "summary": v.summary, "includes": list(v.includes), "price_from": v.price_from} for v in p.services
                ],
            }
        elif kind in ("proposal", "proposal_expired"):
            assert isinstance(route.subject, Proposal)
            protected = route.subject.protected
            # A protected proposal's outer page must not carry its title, even expired.
            page.update(title="" if protected else route.subject.title, description="")
            if kind == "proposal":
                context["format_locale"] = route.subject.locale or self.site.config.locale  # theme.py's filters use it
                past = self.events_in(context["format_locale"])  # past events in the proposal's language, where the site has it
                context["proposal"] = proposal_view(route.subject, route.path, self.urls, past, context["format_locale"])
                context["proposal"]["pdf"] = self.document(route)
            else:
                context["proposal"] = expired_view(route.subject)
        elif kind == "proposal_superseded":
            assert isinstance(route.subject, Proposal)
            page.update(title="" if route.subject.protected else route.subject.title, description="")
            newest = self.site.newest_version(route.subject)
            assert newest is not None
            context["proposal"] = superseded_view(route.subject, newest, self.urls.page(self.proposal_paths[newest.slug]))
        elif kind in ("prospect", "prospect_expired"):
            assert isinstance(route.subject, Prospectus)
            # Like a proposal: a protected prospect's outer page must not carry its title.
            page.update(title="" if route.subject.protected else route.subject.title, description="")
            context["format_locale"] = route.subject.locale or self.site.config.locale  # its words and formats, as a proposal's
            if kind == "prospect":
                past = self.events_in(context["format_locale"])  # past events in its language, where the site has it
                context["prospectus"] = prospect_view(route.subject, route.path, self.urls, past)
                context["prospectus"]["pdf"] = self.document(route)
            else:
                context["prospectus"] = prospect_expired_view(route.subject)
        elif kind == "sponsorship_overview":
            assert isinstance(route.subject, Sponsorship)
            page.update(title=route.subject.title, description="")
            links = {
                r.subject.prospect.slug: self.urls.page(r.path)
                for r in self.prospect_routes(route.subject)
                if isinstance(r.subject, Prospectus)
            }
            context["overview"] = overview_view(route.subject, links, self.now.date())
        elif kind == "sitemap":
            context["urls"] = [self.urls.absolute(r.path) for r in self.public_routes]
            context["alternates"] = {
                self.urls.absolute(r.path): self.alternates(unprefixed(r, self.languages))
                for r in self.public_routes
                if self.languages and r.kind in TRANSLATED_KINDS and unprefixed(r, self.languages) in self.translated_paths
            }
        elif kind == "feed":
            context["events"] = self.events[:50]
            context["updated"] = max((e.end_date or e.date for e in self.site.events), default=self.now.date())
        # A link preview for every page: a private one never shows a photo of the client's event.
        neutral = self.images.get("", {}).get("og", {}).get("")
        page["image"] = neutral if route.private else page["image"] or self.site_preview or neutral
        return context

    def prospect_routes(self, sponsorship: Sponsorship) -> list[Route]:
        return [r for r in self.prospect_pages if isinstance(r.subject, Prospectus) and r.subject.sponsorship.slug == sponsorship.slug]

    def related(self, view: dict[str, Any], limit: int = 3) -> list[dict[str, Any]]:
        """Other events of the same type or sharing tags, the most alike first (see rankings.py)."""
        return [self.events[other] for other in self.tag_index.related(self.position[view["slug"]], limit)]


def language_name(code: str, locale: str) -> str:
    """A language's name in a locale's words, as a label starts: 'English', 'Indonesia', 'Inggris'."""
    name = babel.Locale.parse(code).get_language_name(locale) or code
    return name[:1].upper() + name[1:]
