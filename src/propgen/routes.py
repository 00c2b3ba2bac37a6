"""Every output of a build, planned in one place: its site path, template and subject.

Private routes (proposals, sponsorship prospect pages and overviews) are marked `private`;
that one flag keeps them out of the sitemap, the feed and every listing, and puts
noindex/no-referrer on the page. (Two outputs claiming one file is caught in write.py,
where static files and theme assets join the routes.)
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, lru_cache, partial

from .config import Language
from .errors import keep_secret
from .images import relink
from .links import private_path
from .models import Event, Page, Proposal, Prospectus, Site, Sponsorship
from .sources import split_language, tag_slug
from .urls import Urls

# The pages a multilingual site publishes in every language (404, sitemap and robots.txt
# are the site's, once, at its root; private pages have a `locale:` of their own).
TRANSLATED_KINDS = ("home", "events", "event", "event_type", "tag", "page", "feed", "search")


@dataclass(frozen=True)
class Route:
    path: str  # site path: "" (home), "events/", "events/gala/", "sitemap.xml"
    template: str
    kind: str  # home, events, event, event_type, tag, page, not_found, thanks, search, sitemap, feed, robots,
    # proposal, proposal_expired, proposal_superseded, calendar, prospect, prospect_expired, sponsorship_overview
    source: str = ""  # the content file behind it, for messages
    subject: object = None  # the Event, Page, type name or Tag the route shows
    private: bool = False
    listed: bool = True  # listed in the sitemap (404 is not)
    password: str = field(default="", repr=False)  # encrypt the page with this password
    lang: str = ""  # a language after the first (multilingual sites): its code; "" for the first language and private pages

    @cached_property  # asked for 100,000 times a build at 10,000 events
    def output(self) -> str:
        """The file this route writes: a folder path gets index.html."""
        return self.path + "index.html" if self.path == "" or self.path.endswith("/") else self.path


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str
    events: tuple[Event, ...] = field(default=(), compare=False)


def event_path(event: Event) -> str:
    return f"events/{event.slug}/"


def type_path(kind: str) -> str:
    return f"events/type/{kind}/"


def tag_path(tag_name: str) -> str:
    return f"events/tag/{tag_slug(tag_name)}/"


def page_path(page: Page) -> str:
    return f"{page.slug}/"


_TAGS: list[tuple[Sequence[Event], list[Tag]]] = []  # the last call's events and tags


def collect_tags(events: Sequence[Event]) -> list[Tag]:
    """Tags by slug ('Hybrid' and 'hybrid' are one tag, shown as first written), sorted by name.
    The routes and the site's view ask it of the very same events: worked out once (0.03 s
    at 10,000 events)."""
    if _TAGS and _TAGS[0][0] is events:
        return list(_TAGS[0][1])
    tags = _collected_tags(events)
    _TAGS[:] = [(events, tags)]
    return list(tags)


def _collected_tags(events: Sequence[Event]) -> list[Tag]:
    names: dict[str, str] = {}
    members: dict[str, list[Event]] = {}
    for event in events:
        for name in event.tags:
            slug = tag_slug(name)
            names.setdefault(slug, name)
            members.setdefault(slug, []).append(event)
    return sorted((Tag(slug, names[slug], tuple(members[slug])) for slug in names), key=lambda t: (t.name.lower(), t.slug))


def calendar_name(proposal: Proposal) -> str:
    """The calendar file beside a proposal's page."""
    return f"{proposal.slug}.ics"


def document_name(subject: Proposal | Prospectus) -> str:
    """The PDF beside a proposal's or prospect's page (`propgen build --pdf`)."""
    slug = subject.slug if isinstance(subject, Proposal) else f"{subject.sponsorship.slug}-{subject.prospect.slug}"
    return f"{slug}.pdf"


def proposal_path(site: Site, proposal: Proposal, secret: str) -> str:
    return private_path(site.config.proposals.path, proposal.slug, secret, "proposal")


def prospect_path(site: Site, prospectus: Prospectus, secret: str) -> str:
    """`<proposals.path>/<sponsorship>-<prospect>-<token>/`: the same secret-link rule as proposals."""
    return private_path(site.config.proposals.path, prospectus.slug, secret, "sponsorship")


def overview_path(site: Site, sponsorship: Sponsorship, secret: str) -> str:
    """The coordinator's team's overview of one sponsorship, at a secret link of its own."""
    return private_path(site.config.proposals.path, sponsorship.slug, secret, "sponsorship-overview")


def plan_routes(
    site: Site, secret: str = "", today: dt.date | None = None, passwords: Mapping[str, str] | None = None, search: bool = False
) -> list[Route]:
    """All outputs. `secret` makes the proposal links; `passwords` maps a proposal slug
    to its password; `today` decides which proposals have expired; `search` adds the search
    page (Pagefind is installed: search.py)."""
    routes = [
        Route("", "home.html", "home"),
        Route("events/", "events.html", "events"),
    ]
    routes += [Route(event_path(e), "event.html", "event", e.source, e) for e in site.events]
    present = {e.type for e in site.events}
    routes += [Route(type_path(kind), "events.html", "event_type", subject=kind) for kind in site.config.event_types if kind in present]
    routes += [Route(tag_path(tag.name), "events.html", "tag", subject=tag) for tag in collect_tags(site.events)]
    routes += [Route(page_path(p), "page.html", "page", p.source, p) for p in site.pages]
    routes += [
        Route("404.html", "404.html", "not_found", listed=False),
        Route("sitemap.xml", "sitemap.xml", "sitemap", listed=False),
        Route("feed.xml", "feed.xml", "feed", listed=False),
        Route("robots.txt", "robots.txt", "robots", listed=False),
    ]
    if site.config.enquiry is not None:  # where form endpoints send the visitor back to (noindex)
        routes.append(Route("thanks/", "thanks.html", "thanks", listed=False))
    if search:
        routes.append(Route("search/", "search.html", "search", listed=False))
    for proposal in site.proposals:
        path = proposal_path(site, proposal, secret)
        password = (passwords or {}).get(proposal.slug, "")
        keep_secret(password)
        if site.newest_version(proposal) is not None:  # its link stays alive and points to the newer version
            routes.append(Route(path, "proposal-superseded.html", "proposal_superseded", proposal.source, proposal, True, False, password))
            continue
        if today is not None and proposal.expired(today):
            routes.append(Route(path, "proposal-expired.html", "proposal_expired", proposal.source, proposal, private=True, listed=False))
            continue
        routes.append(Route(path, "proposal.html", "proposal", proposal.source, proposal, private=True, listed=False, password=password))
        if not password:
            routes.append(Route(path + calendar_name(proposal), "", "calendar", proposal.source, proposal, private=True, listed=False))
    for prospectus in site.prospectuses:  # a prospect's page is a private page like a proposal's
        path = prospect_path(site, prospectus, secret)
        password = (passwords or {}).get(prospectus.key, "")
        keep_secret(password)
        if today is not None and prospectus.expired(today):
            routes.append(
                Route(path, "prospect-expired.html", "prospect_expired", prospectus.source, prospectus, private=True, listed=False)
            )
        else:
            routes.append(
                Route(path, "prospect.html", "prospect", prospectus.source, prospectus, private=True, listed=False, password=password)
            )
    for sponsorship in site.sponsorships:
        path = overview_path(site, sponsorship, secret)
        routes.append(
            Route(path, "sponsorship-overview.html", "sponsorship_overview", sponsorship.source, sponsorship, private=True, listed=False)
        )
    return routes


def language_routes(sites: Sequence[tuple[Language, Site]], search: bool = False) -> list[Route]:
    """The public pages of each language after the first, under its folder (`en/events/`),
    each showing that language's model (languages.py); with `search`, its search page too,
    which searches that language's pages (Pagefind keeps an index per language)."""
    routes: list[Route] = []
    for language, site in sites:
        for route in plan_routes(site, search=search):
            if route.kind in TRANSLATED_KINDS:
                routes.append(replace(route, path=language.folder + route.path, lang=language.code))
    return routes


def unprefixed(route: Route, languages: Sequence[Language]) -> str:
    """A page's path within its language: the same for each language's version of it."""
    for language in languages[1:]:
        if route.lang == language.code:
            return route.path[len(language.folder) :]
    return route.path


@dataclass(frozen=True)
class StaticCopy:
    output: str  # its path in the output
    source: str  # its path under static/


# The private pages that show their content, so get the files it uses (an expired one shows none).
SHOWS_FILES = ("proposal", "prospect")


def place_static(site: Site, routes: Sequence[Route], content_files: Callable[[], Iterable[str]]) -> tuple[list[Route], list[StaticCopy]]:
    """Where each file of static/ is published, and the routes with private pages pointing there.

    A file that a public page uses, or that nothing uses (a favicon, CNAME, a download linked from elsewhere),
    stays at its own path: static/ is copied as it is. A file used only by private pages (a proposal's
    cover letter or terms notes, a sponsorship's cover letter) is published only inside the private
    folder of each page that shows it, where nobody can guess it, and those pages link to that copy:
    every prospect of a sponsorship gets its own copy of what the shared letter shows, so no link
    of one sponsor leads to another's folder. An expired page shows none, so gets none. A file used
    only by drafts left out of this build is not published. `content_files` gives the display paths of
    every event, proposal and sponsorship file, drafts included, to tell drafts from the rest; it is
    asked only for a file that no published page and no private page uses (20,000 names at 10,000 events).
    """
    urls = Urls(site.config.base_url)
    published = {_family(e.source) for e in site.events} | {_family(p.source) for p in site.pages}
    private: dict[str, list[Route]] = {}  # content file family -> its private routes
    for route in routes:
        if route.private:
            private.setdefault(_family(route.source), []).append(route)

    @cache
    def families() -> set[str]:  # of every content file, drafts included: made when first needed
        return {_family(f) for f in content_files()}

    users: dict[str, set[str]] = {}
    for path, user in site.static_uses:
        users.setdefault(path, set()).add(_family(user))
    copies: list[StaticCopy] = []
    moved: dict[str, dict[str, str]] = {}  # private route path -> {static path: site path of its copy}
    for path in site.static_files:
        who = users.get(path, set())
        public = who - private.keys()  # used by a page that is not private: published, a draft, or no content file
        if not who or public & published or (public and not public <= families()):
            copies.append(StaticCopy(path, path))
            continue
        for family in sorted(who & set(private)):
            for route in private[family]:
                if route.kind in SHOWS_FILES:
                    copies.append(StaticCopy(route.path + path, path))
                    moved.setdefault(route.path, {})[path] = route.path + path
    placed = []
    for route in routes:
        if route.path in moved and route.kind in SHOWS_FILES:
            route = replace(route, subject=with_bodies(route.subject, partial(relink, urls=urls, moved=moved[route.path])))
        placed.append(route)
    return placed, copies


def with_bodies(subject: object, change: Callable[[str], str]) -> object:
    """A private page's subject with each Markdown body it shows changed by `change`: a proposal's
    cover letter and terms notes, a prospect's sponsorship letter. The one list of them, used to
    point them at their private copies and to show their photos as <picture>s (images/store.py)."""
    if isinstance(subject, Proposal):
        terms = subject.terms
        if terms is not None and terms.notes_html:
            terms = replace(terms, notes_html=change(terms.notes_html))
        return replace(subject, letter_html=change(subject.letter_html), terms=terms)
    if isinstance(subject, Prospectus) and subject.letter_html:
        return replace(subject, page_letter_html=change(subject.letter_html))
    return subject


@lru_cache(maxsize=65536)  # every content file's family is asked for on every build
def _family(path: str) -> str:
    """A content file and its companion (gala.yaml and gala.md) use static files as one."""
    stem = posixpath.splitext(path)[0]
    folder, name = posixpath.split(stem)
    return posixpath.join(folder, split_language(name)[0])  # about.en.md is about.md's family
