"""Route -> bytes. Template mistakes become problems at the template's own file:line,
with the page that was being rendered, and are reported once however many pages hit them."""

from __future__ import annotations

import base64
import json
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .cache import PagePrints, PageRecord, recorded
from .context import Context, ContextBuilder
from .crypto import encrypt
from .errors import Location, Report
from .ics import proposal_calendar
from .models import Proposal, Prospectus
from .parallel import map_ordered
from .reads import PageReads, recording
from .routes import Route
from .sources import display_path
from .spool import Spool
from .theme import for_locale

Progress = Callable[[str, int, int], None]  # (stage, done, total); total 0 when not counted


LOCKED_TEMPLATE = "locked.html"
PROTECTED_CONTENT = "partials/{kind}-content.html"


Failure = tuple[Location, str, str]  # where, message, hint: a template mistake, made in any process


@dataclass
class RenderedPages:
    files: dict[str, bytes | Path] = field(default_factory=dict)  # by output path: the bytes, or where the spool keeps them
    records: dict[str, PageRecord] = field(default_factory=dict)  # the cache's record of each public page rendered
    clock: bool = False  # a page rendered read the build's time (`site.now`): the build's stamp must cover it


def render_routes(
    env: jinja2.Environment,
    routes: Sequence[Route],
    contexts: ContextBuilder,
    report: Report,
    progress: Progress | None = None,
    secret: str = "",
    jobs: int = 1,
    prints: PagePrints | None = None,
    spool: Spool | None = None,
) -> RenderedPages:
    """Every route's bytes by output path, made by up to `jobs` processes (identical output
    for any number). With `prints`, each public page also comes with its record for the
    cache: what it read of the shared views while its context was made and it rendered, and
    its fingerprint over exactly that. With a `spool`, each page is written there by the
    process that made it (spool.py)."""

    def one(index: int) -> tuple[bytes | Path, PageRecord | None, bool] | Failure:
        route = routes[index]
        try:
            if prints is None:
                data = render_route(env, route, contexts, secret)
                return (spool.put(route.output, data) if spool else data), None, False
            # Private pages too: whether they read the time counts for the stamp. Making the context
            # counts: a page's title and description are an event's, read as the context is made.
            with recording() as reads:
                context = contexts.for_route(route)
                data = render_route(env, route, contexts, secret, context)
            page_reads = PageReads.of(reads)
            record = None
            if recorded(route):
                held: set[str] = set()
                record = PageRecord(prints.of(route, context, page_reads, held), page_reads, held=frozenset(held))
            return (spool.put(route.output, data) if spool else data), record, page_reads.reads_now()
        except Exception as exc:  # a template that fails: report where, never crash
            return _failure(exc, route, env)

    rendered = RenderedPages()
    seen: set[tuple[Location, str]] = set()
    done = (lambda count: progress("rendering", count, len(routes))) if progress else None
    folders = (lambda: spool.make_folders(route.output for route in routes)) if spool else None
    for route, result in zip(routes, map_ordered(one, len(routes), jobs, done, meanwhile=folders), strict=True):
        if isinstance(result[0], bytes | Path):
            data, record, clock = result
            rendered.files[route.output] = data
            rendered.clock = rendered.clock or clock
            if record is not None and record.fingerprint:
                rendered.records[route.output] = record
        else:
            _once(report, seen, *result)
    return rendered


def render_route(env: jinja2.Environment, route: Route, contexts: ContextBuilder, secret: str, context: Context | None = None) -> bytes:
    """One page, a pure function of its route and context."""
    # A proposal in its language; a page of a multilingual site in its page's language.
    env = for_locale(env, route.subject.locale if isinstance(route.subject, Proposal | Prospectus) else contexts.locale_of(route))
    if route.kind == "calendar":
        assert isinstance(route.subject, Proposal)
        return proposal_calendar(route.subject, contexts.site.config.base_url, route.subject.title)
    if route.password:
        return render_locked(env, route, contexts, secret).encode("utf-8")
    return env.get_template(route.template).render(context or contexts.for_route(route)).encode("utf-8")


def _failure(exc: Exception, route: Route, env: jinja2.Environment) -> Failure:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return (
            Location(display_path(Path(exc.filename or route.template)), exc.lineno or 1),
            f"template error: {exc.message}",
            "fix the template's syntax",
        )
    if isinstance(exc, jinja2.TemplateNotFound):
        return _template_location(exc, route, env), f"the theme has no template '{exc.name}'", "add it to the theme's templates/ folder"
    return (
        _template_location(exc, route, env),
        f"template error while rendering {describe(route)}: {exc}",
        "check the names this line uses against docs/themes.md",
    )


def render_locked(env: jinja2.Environment, route: Route, contexts: ContextBuilder, secret: str) -> str:
    """A password-protected private page: its content is rendered, encrypted, and shipped
    inside a page that shows nothing but a password form (see crypto.py)."""
    context = contexts.for_route(route)
    assert isinstance(route.subject, Proposal | Prospectus)
    if isinstance(route.subject, Proposal):  # a prospectus has no calendar
        calendar = proposal_calendar(route.subject, contexts.site.config.base_url, route.subject.title)
        context["proposal"]["calendar"]["url"] = "data:text/calendar;charset=utf-8;base64," + base64.b64encode(calendar).decode()
    inner = env.get_template(PROTECTED_CONTENT.format(kind=route.kind)).render(context)
    title = f"{route.subject.title} · {contexts.site.config.title}"
    payload = encrypt(json.dumps({"title": title, "html": inner}), route.password, secret, route.path)
    locked = {
        "site": context["site"],
        "page": context["page"],
        "theme_options": context["theme_options"],
        "payload": payload.to_json(),
        "kind": route.kind,  # "proposal" or "prospect": the form says which, and a prospectus needs its stylesheet
    }
    return env.get_template(LOCKED_TEMPLATE).render(locked)


def describe(route: Route) -> str:
    """How messages name a page: its address, but never a private page's secret link."""
    return f"the page of {route.source}" if route.private and route.source else f"/{route.path}"


def _once(report: Report, seen: set[tuple[Location, str]], location: Location, message: str, hint: str) -> None:
    key = (location, message.split(" while rendering ")[0])
    if key not in seen:
        seen.add(key)
        report.error(location, message, hint)


def _template_location(exc: BaseException, route: Route, env: jinja2.Environment) -> Location:
    """The innermost template frame of the error (Jinja maps frames back to template lines);
    without one, where the route's own template would be in the most specific theme folder."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return Location(display_path(Path(frame.filename)), frame.lineno or 1)
    loader = env.loader
    if isinstance(loader, jinja2.ChoiceLoader):  # theme.py: the chain first, then "<name>:" prefixes
        loader = loader.loaders[0]
    if isinstance(loader, jinja2.FileSystemLoader) and loader.searchpath:
        return Location(display_path(Path(loader.searchpath[0]) / route.template))
    return Location(route.template)
