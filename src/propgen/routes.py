"""Every output of a build, planned in one place: its site path, template and subject.

Private routes (proposals, and later sponsorship prospectuses) are marked `private`;
that one flag keeps them out of the sitemap, the feed and every listing, and puts
noindex/no-referrer on the page. (Two outputs claiming one file is caught in write.py,
where static files and theme assets join the routes.)
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .errors import keep_secret
from .images import relink
from .links import private_path
from .models import Event, Page, Proposal, Prospectus, Site, Sponsorship
from .sources import tag_slug
from .urls import Urls


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

    @property
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


def collect_tags(events: Sequence[Event]) -> list[Tag]:
    """Tags by slug ('Hybrid' and 'hybrid' are one tag, shown as first written), sorted by name."""
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


@dataclass(frozen=True)
class StaticCopy:
    output: str  # its path in the output
    source: str  # its path under static/


def place_static(site: Site, routes: Sequence[Route], content_files: Collection[str]) -> tuple[list[Route], list[StaticCopy]]:
    """Where each file of static/ is published, and the routes with proposal pages pointing there.

    A file that a public page uses, or that nothing uses (a favicon, CNAME, a download linked from elsewhere),
    stays at its own path: static/ is copied as it is. A file used only by proposals is
    published only inside each of their private folders, where nobody can guess it, and
    their pages link to that copy; an expired proposal shows none, so gets none. A file used
    only by drafts left out of this build is not published. `content_files` are the display
    paths of every event and proposal file, drafts included, to tell drafts from the rest.
    """
    urls = Urls(site.config.base_url)
    published = {_family(e.source) for e in site.events} | {_family(p.source) for p in site.pages}
    proposals = {_family(r.source): r for r in routes if r.kind in ("proposal", "proposal_expired", "proposal_superseded")}
    unpublished = {_family(f) for f in content_files} - published - set(proposals)
    users: dict[str, set[str]] = {}
    for path, user in site.static_uses:
        users.setdefault(path, set()).add(_family(user))
    copies: list[StaticCopy] = []
    moved: dict[str, dict[str, str]] = {}  # proposal route path -> {static path: site path of its copy}
    for path in site.static_files:
        who = users.get(path, set())
        if not who or who - set(proposals) - unpublished:
            copies.append(StaticCopy(path, path))
            continue
        for family in sorted(who & set(proposals)):
            route = proposals[family]
            if route.kind == "proposal":
                copies.append(StaticCopy(route.path + path, path))
                moved.setdefault(route.path, {})[path] = route.path + path
    placed = []
    for route in routes:
        if route.path in moved and route.kind == "proposal" and isinstance(route.subject, Proposal):
            proposal = route.subject
            route = replace(route, subject=replace(proposal, letter_html=relink(proposal.letter_html, urls, moved[route.path])))
        placed.append(route)
    return placed, copies


def _family(path: str) -> str:
    """A content file and its companion (gala.yaml and gala.md) use static files as one."""
    return posixpath.splitext(path)[0]
