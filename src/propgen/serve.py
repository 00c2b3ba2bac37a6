"""`propgen serve`: build into a preview folder, serve it with livereload, rebuild on save.

livereload serves the files, injects its script and keeps the browsers' websockets; the
watching is ours: one poller over the site's inputs that waits for a burst of saves to
settle (an editor often writes several files) and then rebuilds once. A failed build
never stops the server: every HTML request gets the error page until the next good
build, and the browser reloads into the site by itself.

The preview lists every proposal's secret link at /_propgen/, so it answers only requests
addressed to this computer by a loopback name or the address it listens on: a web page
elsewhere cannot point its own domain at 127.0.0.1 (DNS rebinding) and read it.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import shutil
import signal
import stat
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
import watchfiles
from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from livereload.watcher import Watcher
from tornado import httputil, web
from tornado.ioloop import IOLoop
from tornado.routing import AnyMatches, Matcher, Rule

from .build import BuildOptions, BuildResult, build, plural
from .cache import CACHE_FOLDER, BuildCache
from .config import load_config
from .dates import now_from_env
from .errors import Location, Problem, Report, display_path, mask, os_hint, shorten
from .i18n import propgen_translations
from .links import throwaway_secret
from .models import Event, Proposal, Prospectus, Sponsorship
from .parallel import default_jobs
from .routes import Route
from .search import BUNDLE, find_pagefind
from .search_later import IndexWhenAsked
from .sources import is_junk
from .stamps import EventsListing, Since
from .theme import BUILTIN_THEMES
from .urls import Urls
from .walk import is_inside, real
from .write import Held

INDEX_PATH = "_propgen/"
POLL_SECONDS = 0.2
POLL_SHARE = 0.1  # at most this share of a core spent looking for saves, however many files the site has
NUDGED_SHARE = 0.25  # ... and this share when the system's nudges keep coming to no avail (writes nothing reads)
SETTLE_SECONDS = 0.3  # a burst of saves closer together than this gives one rebuild
STOP_CHECK_SECONDS = 0.25  # how soon a waiting watcher notices that the preview is stopping
PREVIEW_PASSWORD = "preview"  # opens protected proposals whose password variable is unset
PREVIEW_TEMPLATES = Path(__file__).parent / "preview"


class QuietWatcher(Watcher):  # type: ignore[misc]
    """livereload's own polling is replaced by `SiteWatcher`; this keeps it idle."""

    def __init__(self) -> None:
        super().__init__()
        self._tasks: dict[str, dict[str, Any]] = {"(propgen watches the site itself)": {}}

    def examine(self) -> tuple[None, None]:
        return None, None


@dataclass
class PreviewState:
    """What the last build left for the request handlers (read from tornado's thread)."""

    problems: list[Problem] = field(default_factory=list)
    result: BuildResult | None = None


def poll_wait(looked: float) -> float:
    """Seconds to wait before looking at the files again, after a look that took `looked`
    seconds: POLL_SECONDS for a site of a few thousand files, longer for a larger one, so an
    idle preview never keeps a core busy (20,000 files take about 0.1 s to look at)."""
    return max(POLL_SECONDS, looked * (1 - POLL_SHARE) / POLL_SHARE)


Seen = tuple[int, int, int]  # a file's modification time, size and inode, as the watcher sees it


def snapshot(paths: list[Path], site: Path, folders: set[str] | None = None) -> dict[str, Seen]:
    """Modification time, size and inode of every input file, to notice saves, new files and
    deletions: a file replaced by one of the same size and time (an editor's save by renaming,
    `cp -p`, a sync) is a save too, and the build takes the watcher's word for what moved.
    The files the build reads (walk.py): dotfiles too (static/.well-known/ is published), and
    folders reached through links that stay inside `site`, each real folder once; an editor's
    droppings (swap files, backups, autosaves) are left out, so typing does not rebuild.
    `folders`: the real folders walked go into it (and the one holding a file of `paths`)."""
    seen: dict[str, Seen] = {}
    inside = real(site)
    for base in paths:
        if base.is_file():
            stat = base.stat()
            seen[str(base)] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            if folders is not None:
                folders.add(real(base.parent))
            continue
        if base.is_symlink() and not is_inside(real(base), inside):
            continue  # the build refuses it, and a link to / must not be walked five times a second
        visited = {real(base)}
        for dirpath, dirnames, filenames in os.walk(base, followlinks=True):
            kept = []
            for name in dirnames:
                path = os.path.join(dirpath, name)
                target = real(Path(path))
                if name == "__pycache__" or target in visited or (os.path.islink(path) and not is_inside(target, inside)):
                    continue
                visited.add(target)
                kept.append(name)
            dirnames[:] = kept
            for name in filenames:
                if is_junk(name):  # never published: the build's own rule, so what it publishes is watched
                    continue
                path = os.path.join(dirpath, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue  # deleted while we looked
                seen[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if folders is not None and base.is_dir():
            folders.update(visited)
    return seen


def differing(before: Mapping[str, Seen], after: Mapping[str, Seen]) -> list[str]:
    """The paths of two snapshots whose files moved: saved, made or deleted in between."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def status_of(path: str, site: Path) -> Seen | None:
    """A file's time, size and inode as `snapshot` takes them; None when `snapshot` would not list it
    (gone, a folder now, or reached through a link out of the site)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode) or not is_inside(real(Path(path)), real(site)):
        return None
    return found.st_mtime_ns, found.st_size, found.st_ino


class Nudges:
    """The system's word (inotify, FSEvents, ReadDirectoryChangesW, through watchfiles) that
    a watched file changed, so that the preview looks at once rather than at its next look,
    which is spaced to cost a tenth of a core (about 2 s apart at 20,000 files). Only a
    nudge: what moved is what the looks see, and they go on as before, so a change the
    system does not report (a network folder, a watch limit reached) is seen all the same,
    at the next look. Each folder a look walks is watched alone, not its tree: a link the
    build refuses (static/usr -> /usr) is never watched, and a folder made or gone has the
    watch made again (`watch`)."""

    def __init__(self, site: Path, stopping: threading.Event, log: Callable[[str], None]) -> None:
        self.site = site
        self.stopping = stopping
        self.log = log
        self.nudged = threading.Event()
        self.folders: frozenset[str] = frozenset()
        self.ended = threading.Event()  # the current watch's own end: set when the folders change
        self.noted = False

    def watch(self, folders: frozenset[str]) -> None:
        """Watch these folders (the real folders a look walked), and no others."""
        if folders == self.folders:
            return
        self.ended.set()
        self.folders, self.ended = folders, threading.Event()
        threading.Thread(target=self._listen, args=(sorted(folders), self.ended), name="propgen-nudges", daemon=True).start()

    def _listen(self, folders: list[str], ended: threading.Event) -> None:
        root = str(real(self.site))
        top = {"propgen.yaml", "content", "static", "themes"}

        class Stop:  # watchfiles asks `is_set()` of its stop event
            @staticmethod
            def is_set() -> bool:
                return ended.is_set() or self.stopping.is_set()

        try:
            for changes in watchfiles.watch(*folders, stop_event=Stop(), recursive=False, watch_filter=None, raise_interrupt=False):
                for _change, path in changes:
                    folder, name = os.path.split(path)
                    if is_junk(name) or name == "__pycache__" or (folder == root and name not in top):
                        continue  # never read, or beside the site's own inputs (output/, .propgen-cache/)
                    self.nudged.set()
                    break
        except Exception as exc:  # whatever the system says (a watch limit, a folder gone meanwhile), the looks go on
            if not Stop.is_set() and not self.noted:
                self.noted = True
                self.log(f"note: saves are seen at the preview's next look, not at once ({_watch_trouble(exc)})")

    def wait(self, seconds: float, deaf: float = 0.0) -> bool:
        """Until `seconds` have passed, a nudge comes, or the preview is stopping; whether a nudge
        came. For the first `deaf` seconds a nudge is kept for later, not heeded."""
        started = time.monotonic()
        deadline, heard = started + seconds, started + min(deaf, seconds)
        while not self.stopping.is_set() and (left := deadline - (now := time.monotonic())) > 0:
            if now < heard:
                self.stopping.wait(min(heard - now, STOP_CHECK_SECONDS))
            elif self.nudged.wait(min(left, STOP_CHECK_SECONDS)):
                self.nudged.clear()
                return True
        return False


def _watch_trouble(exc: Exception) -> str:
    """Why the system does not tell of saves, in a few words and what to do, for a one-line note."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "limit" in text.lower() or "MaxFilesWatch" in text:
        return "the computer's limit of watched folders is reached: raise fs.inotify.max_user_watches to have them seen at once"
    if "Too many open files" in text:
        return "the computer's limit of watches is reached: close other programs that watch files, or raise fs.inotify.max_user_instances"
    return shorten(text.split(" about [")[0], 120)


class Preview:
    def __init__(self, options: BuildOptions, log: Callable[[str], None]) -> None:
        self.options = options
        self.log = masked(log)
        self.state = PreviewState()
        self.builds = 0
        self.announced: set[str] = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        root = options.site
        self.watched = [root / "propgen.yaml", root / "content", root / "static", root / "themes", BUILTIN_THEMES]
        self.environments: dict[str, jinja2.Environment] = {}
        self.held: Held | None = None  # what the preview folder holds since the last build wrote it
        self.listing: EventsListing | None = None  # content/events/ as the last build's walk found it (stamps.py)
        self.building = threading.Lock()  # held while a build may write the preview folder
        self.written = 0  # builds that wrote the preview folder
        program = find_pagefind() if options.search_later else None
        self.search = IndexWhenAsked(program, Location(display_path(root / "propgen.yaml"))) if program else None

    # -- building ----------------------------------------------------------------------------

    def rebuild(self, moved: Iterable[str] | None = None) -> bool:
        """Build into the preview folder. `moved`: the input files the watcher saw move since
        the last build started (before its walk), which are then all the build looks at again
        in content/events/; None: it looks at every file."""
        started = time.monotonic()
        # The preview folder and what the preview knows of it change together: a search
        # request reads the pages a build wrote by the list that build gave (search_folder).
        with self.building:
            result = self.build_once(None if moved is None else frozenset(moved))
        problems = result.report.sorted()
        for problem in problems:
            self.log(str(problem))
        self.announce_preview_passwords(result)
        if result.written:
            verb = "rebuilt" if self.builds > 1 else "built"
            self.log(f"{verb} {result.summary()} in {time.monotonic() - started:.2f} s")
        else:
            count = len(result.report.errors)
            self.log(f"build failed ({count} error{'' if count == 1 else 's'}): the browser shows them until they are fixed")
        return result.written

    def build_once(self, moved: frozenset[str] | None = None) -> BuildResult:
        crashed = False
        since = Since(self.listing, moved) if self.listing is not None and moved is not None else None
        self.listing = None  # until this build has walked: a build that stops before looks at every file next time
        try:
            # Forking beside the server's threads is not safe, so saves build in one process; the
            # first build runs before any thread starts, and processes a site's photos on every core.
            jobs = default_jobs() if threading.active_count() == 1 else self.options.jobs
            # The preview folder is its own, written by nothing else: what the last build left
            # there is known, and the next one need not walk it (10,000 pages: a fifth of a save).
            result = build(replace(self.options, now=now_from_env(self.options.environ), jobs=jobs, held=self.held, since=since))
            self.listing = result.listing
        except Exception as exc:  # the disk said no, or a bug: show it like any problem, keep watching
            result = BuildResult()
            result.report.problems.append(self.crash_problem(exc))
            crashed = True
        if result.written:
            self.held = result.held
        elif crashed or result.write_error is not None:  # it may have stopped while writing: the next build looks
            self.held = None
        # else: the content's errors stopped it before writing, and the folder is as it was
        if result.write_error is not None:  # the preview folder could not be written: shown like any error
            result.report.error(Location(display_path(self.options.site)), str(result.write_error), result.write_error.hint)
        self.builds += 1
        with self.lock:
            if result.written:
                self.state = PreviewState([], result)
                self.written += 1
            else:
                self.state = PreviewState(result.report.sorted(), self.state.result)
        return result

    def search_folder(self, path: str) -> Path | None:
        """The folder holding the file `path` of the search bundle (under `pagefind/`) for the
        pages the preview folder holds (search_later.py); None when the preview has no search,
        and the file is then looked for in the preview folder (a `static/pagefind/` file)."""
        with self.lock:
            written, result = self.written, self.state.result
        if self.search is None or result is None or not result.searchable or self.stopping.is_set():
            return None
        out = self.options.out

        def pages() -> Generator[tuple[str, bytes], None, None]:
            with self.building:  # no save writes the folder meanwhile: the pages of one build
                with self.lock:
                    last = self.state.result
                for page in sorted(last.searchable) if last else []:  # in the order Pagefind's copy is made in
                    yield page, (out / page).read_bytes()

        report = Report()
        started = time.monotonic()
        try:
            folder, indexed = self.search.folder_of(path, written, pages, report)
        except OSError as exc:  # a page of the preview folder removed by hand: the next request tries again
            where = display_path(Path(exc.filename)) if isinstance(exc.filename, str) else display_path(self.options.site)
            report.error(Location(where), f"the search index could not be made: cannot read this file: {exc.strerror or exc}", os_hint(exc))
            folder, indexed = None, 0
        if self.stopping.is_set():
            return None  # stopped meanwhile: Pagefind was stopped, and its folders go
        for problem in report.sorted():
            self.log(str(problem))
        if folder is not None and indexed:  # why this search took a moment
            self.log(f"search index made of {plural(indexed, 'page')} in {time.monotonic() - started:.2f} s")
        return folder

    def crash_problem(self, exc: Exception) -> Problem:
        if isinstance(exc, OSError):
            where = display_path(Path(exc.filename)) if isinstance(exc.filename, str) and exc.filename else display_path(self.options.site)
            return Problem(Location(where), f"the build stopped: cannot use this file: {exc.strerror or exc}", os_hint(exc))
        return Problem(
            Location(display_path(self.options.site)),
            f"the build stopped: {type(exc).__name__}: {exc}",
            "this is a bug in propgen: please report it, with this line",
        )

    def announce_preview_passwords(self, result: BuildResult) -> None:
        """Say once, for each unset password variable, that the preview uses its own password."""
        proposals = result.site.proposals if result.site else ()
        for name in sorted({p.password_env for p in proposals if p.password_env and not self.options.environ.get(p.password_env)}):
            if name not in self.announced:
                self.announced.add(name)
                self.log(f"{name} is not set: the preview protects that proposal with the password '{PREVIEW_PASSWORD}'")

    def watch(self, loop: IOLoop, before: dict[str, Seen]) -> None:
        """Poll the inputs; after a change, wait until it settles, rebuild once, reload browsers.
        `before` is the snapshot taken before the first build, so no save is ever missed. The
        system's word that a file changed (`Nudges`) has the next look taken at once."""
        nudges = Nudges(self.options.site, self.stopping, self.log)  # watching what the first look walks
        wait = POLL_SECONDS
        deaf = 0.0  # after a nudge whose look found nothing: no storm of looks (NUDGED_SHARE of a core at most)
        while True:
            nudged = nudges.wait(wait, deaf)
            if self.stopping.is_set():
                nudges.ended.set()
                return
            try:
                started = time.monotonic()
                nudges.nudged.clear()  # what the system said so far, this look sees
                folders: set[str] = set()
                now = snapshot(self.watched, self.options.site, folders)
                looked = time.monotonic() - started
                wait = poll_wait(looked)
                deaf = max(POLL_SECONDS, looked * (1 - NUDGED_SHARE) / NUDGED_SHARE) if nudged and now == before else 0.0
                nudges.watch(frozenset(folders))
                if now == before:
                    continue
                # Settled when the files that moved stop moving, looked at alone every 0.3 s (a
                # whole look at 20,000 files, spaced as the idle looks are, made a save wait a
                # second more), then one whole look finds any other file of the burst.
                moved = differing(before, now)
                while not self.stopping.wait(SETTLE_SECONDS):
                    again = {path: status_of(path, self.options.site) for path in moved}
                    if any(again[path] != now.get(path) for path in moved):
                        now = {path: found for path, found in {**now, **again}.items() if found is not None}
                        continue
                    whole = snapshot(self.watched, self.options.site)
                    if whole == now:
                        break
                    moved = differing(now, whole)
                    now = whole
            except OSError:
                continue  # a file vanished while we looked: look again
            if self.stopping.is_set():
                return  # the server is stopping: no build that nobody will see
            moved, before = differing(before, now), now
            self.rebuild(moved)
            loop.add_callback(LiveReloadHandler.reload_waiters)

    # -- pages of the preview itself --------------------------------------------------------------

    def index_page(self) -> str:
        with self.lock:
            result = self.state.result
        routes: list[Route] = result.routes if result else []
        site = result.site if result else None
        urls = Urls(self.options.base_url or "/")
        today = now_from_env(self.options.environ).date()
        proposals = []
        drafts = []
        if site is not None:
            for route in routes:
                p = route.subject
                if isinstance(p, Proposal) and route.kind in ("proposal", "proposal_expired", "proposal_superseded"):
                    proposals.append(
                        {
                            "client": p.client.name,
                            "title": p.title,
                            "kind": "proposal",
                            "url": urls.page(route.path),
                            "valid_until": p.valid_until,
                            "expired": p.expired(today),
                            "protected": p.protected,
                            "draft": p.draft,
                            "source": p.source,
                        }
                    )
                elif isinstance(p, Prospectus) and route.kind in ("prospect", "prospect_expired"):
                    proposals.append(
                        {
                            "client": p.prospect.name,
                            "title": p.title,
                            "kind": "prospect",
                            "url": urls.page(route.path),
                            "valid_until": p.valid_until,
                            "expired": p.expired(today),
                            "protected": p.protected,
                            "draft": p.draft,
                            "source": p.source,
                        }
                    )
                elif isinstance(p, Sponsorship) and route.kind == "sponsorship_overview":
                    proposals.append(
                        {
                            "client": "",  # the coordinator's own team
                            "title": p.title,
                            "kind": "overview",
                            "url": urls.page(route.path),
                            "valid_until": None,
                            "expired": False,
                            "protected": False,
                            "draft": p.draft,
                            "source": p.source,
                        }
                    )
                elif isinstance(p, Event) and p.draft:
                    drafts.append({"title": p.title, "url": urls.page(route.path), "source": route.source})
        return self.template("index").render(
            site_title=site.config.title if site else "",
            site_url=urls.page(""),
            proposals=proposals,
            drafts=drafts,
            hidden_drafts=site.hidden_drafts if site else 0,
            throwaway=not self.options.environ.get(site.config.proposals.secret_env if site else "PROPGEN_SECRET"),
            drafts_enabled=self.options.drafts,
        )

    def error_page(self) -> str | None:
        with self.lock:
            problems = list(self.state.problems)
        if not problems or not any(p.severity.value == "error" for p in problems):
            return None
        return self.template("errors").render(problems=problems)

    def template(self, name: str) -> jinja2.Template:
        """A page of the preview itself, in the site's language (its `locale`, read afresh:
        the last build may have failed before it had a site)."""
        config = load_config(self.options.site, Report(), self.options.base_url)
        locale = config.locale if config else "en"
        env = self.environments.get(locale)
        if env is None:
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(str(PREVIEW_TEMPLATES)), autoescape=True, extensions=["jinja2.ext.i18n"]
            )
            env.install_gettext_translations(propgen_translations(locale), newstyle=True)  # type: ignore[attr-defined]
            env.globals["lang"] = locale.replace("_", "-")
            self.environments[locale] = env
        return env.get_template(f"{name}.html")


def make_handler(preview: Preview, folder: Path) -> type[web.RequestHandler]:
    class PreviewHandler(StaticFileHandler):  # type: ignore[misc]
        """Serves the preview folder; the error page while the last build failed; 404.html."""

        def initialize(self, **kwargs: Any) -> None:
            super().initialize(path=str(folder), default_filename="index.html")

        async def get(self, path: str, include_body: bool = True) -> None:
            if path.rstrip("/") == INDEX_PATH.rstrip("/"):
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(preview.index_page())
                return
            page = preview.error_page()
            if page is not None and (path == "" or path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]):
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(page)
                return
            try:
                # From where the preview's index is, unless the site publishes the file itself
                # (static/pagefind/: `propgen build` reports it if the index makes one too).
                if preview.search is not None and path.startswith(BUNDLE) and not (folder / path).is_file():
                    inside = path[len(BUNDLE) :]
                    bundle = await IOLoop.current().run_in_executor(None, preview.search_folder, inside)
                    if bundle is not None and (bundle / inside).is_file():  # else the preview folder's (static/pagefind/) or 404
                        self.root, path = str(bundle), inside
                await super().get(path, include_body)
            except web.HTTPError as exc:
                if exc.status_code != 404 or not (folder / "404.html").is_file():
                    raise
                self.clear()
                self.set_status(404)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish((folder / "404.html").read_bytes())

        def compute_etag(self) -> str | None:
            return super().compute_etag() if getattr(self, "absolute_path", None) else None

        def set_extra_headers(self, path: str) -> None:
            self.set_header("Cache-Control", "no-store")

    return PreviewHandler


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARDS = ("", "0.0.0.0", "::")
# livereload's snippet: the browser asks this same server for livereload.js and its websocket.
LIVE_SCRIPT = (
    b'<script type="text/javascript">(function(){var s=document.createElement("script");'
    b"var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    b's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
    b"document.head.appendChild(s);})();</script>"
)


def is_loopback(host: str) -> bool:
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class AddressedHere(Matcher):
    """Requests whose Host is a loopback name or the address the server listens on. Bound to
    every address (0.0.0.0, ::), any IP address is accepted too, so phones on the network can
    use the computer's IP; names still are not: DNS rebinding always arrives with the
    attacker's own name in Host."""

    def __init__(self, bound: str) -> None:
        self.bound = bound.strip("[]").lower()

    def match(self, request: httputil.HTTPServerRequest) -> dict[str, Any] | None:
        name = request.host_name.strip("[]")
        if is_loopback(name) or name == self.bound:
            return {}
        if self.bound in WILDCARDS:
            try:
                ipaddress.ip_address(name)
                return {}
            except ValueError:
                pass
        return None


class ElsewhereHandler(web.RequestHandler):
    """The answer to a request addressed to another name (DNS rebinding): nothing of the site."""

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("propgen serve answers only requests addressed to localhost or to the address it listens on.\n")


class PreviewServer(Server):  # type: ignore[misc]
    def __init__(self, handler: type[web.RequestHandler]) -> None:
        super().__init__(watcher=QuietWatcher())
        self.handler = handler

    def application(self, port: int, host: str, liveport: int | None = None, debug: bool | None = None, live_css: bool = True) -> None:
        """livereload's application, with every handler (its own too) behind the Host check."""
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css

        class Inject(LiveScriptInjector):  # type: ignore[misc]
            script = LIVE_SCRIPT

        handlers = [
            (r"/livereload", LiveReloadHandler),
            (r"/forcereload", ForceReloadHandler),
            (r"/livereload.js", LiveReloadJSHandler),
            *self.get_web_handlers(LIVE_SCRIPT),
        ]
        rules = [Rule(AddressedHere(host), handlers), Rule(AnyMatches(), ElsewhereHandler)]
        web.Application(rules, transforms=[Inject]).listen(port, address=host)

    def get_web_handlers(self, script: bytes) -> list[tuple[str, type[web.RequestHandler]]]:
        return [(r"/(.*)", self.handler)]

    def _setup_logging(self) -> None:
        """livereload logs every request and reload; propgen prints its own short lines."""


def serve(
    site: Path,
    host: str,
    port: int,
    drafts: bool,
    environ: Mapping[str, str],
    open_browser: bool,
    log: Callable[[str], None],
) -> int:
    """Run until Ctrl-C. Returns the exit code. Raises OSError when the port is taken."""
    log = masked(log)
    folder = Path(tempfile.mkdtemp(prefix="propgen-preview-")) / "site"
    base_url = f"http://{host if ':' not in host else '[' + host + ']'}:{port}/"
    config = load_config(site, Report())
    secret_env = config.proposals.secret_env if config else "PROPGEN_SECRET"
    # Always at hand: the build prefers the environment's secret, and falls back on this one
    # even if propgen.yaml later names another variable.
    secret = throwaway_secret()
    options = BuildOptions(
        site=site,
        out=folder,
        now=now_from_env(environ),
        drafts=drafts,
        draft_proposals=True,  # a draft proposal is previewed before it is sent
        base_url=base_url,
        environ=dict(environ),
        secret=secret,
        fallback_password=PREVIEW_PASSWORD,
        # The cache lives in memory between saves, so a save re-renders only the pages it
        # changed; one process once the server's threads run (Preview.rebuild).
        cache=BuildCache(None),
        photo_cache=site / CACHE_FOLDER,  # camera files are processed once, not at every start
        jobs=1,
        search_later=True,  # the search index is made when the browser asks for it (Preview.search_folder)
    )
    preview = Preview(options, log)
    server = PreviewServer(make_handler(preview, folder))
    try:
        server.application(port, host, live_css=False)  # raises OSError if the port is taken
        logging.getLogger("tornado.access").setLevel(logging.CRITICAL)
        quiet_tornado(log)
        if not is_loopback(host):
            log(
                f"warning: --host {host} lets other computers on your network reach this preview,"
                f" and {base_url}{INDEX_PATH} lists every proposal's secret link to them"
                " (hint: leave out --host to keep the preview on this computer)"
            )
        inputs = snapshot(preview.watched, site)
        preview.rebuild()
        if not environ.get(secret_env) and any((site / "content" / "proposals").glob("*.yaml")):
            log(f"{secret_env} is not set: proposal links use a throwaway secret, valid only while this server runs")
        loop = IOLoop.current()
        watcher = threading.Thread(target=preview.watch, args=(loop, inputs), name="propgen-watch", daemon=True)
        watcher.start()
        log(f"serving {base_url}  (proposals and drafts: {base_url}{INDEX_PATH})")
        log("watching for changes; press Ctrl-C to stop")
        LiveReloadHandler.watcher = server.watcher
        LiveReloadHandler.start_tasks()
        if open_browser:
            loop.call_later(0.5, webbrowser.open, base_url)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: loop.add_callback_from_signal(loop.stop))
        try:
            loop.start()
        finally:
            preview.stopping.set()
            if preview.search is not None:
                preview.search.stop()  # Pagefind, if a search started it: the server stops now
            watcher.join(timeout=30)  # let a rebuild in progress finish before its folder goes
            log("stopped")
        return 0
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def masked(log: Callable[[str], None]) -> Callable[[str], None]:
    """The server's log, through errors.mask: a secret link never reaches the terminal."""

    def write(line: str) -> None:
        log(mask(line))

    return write


class _MaskedLog(logging.Handler):
    """tornado's own messages (a failed request, with its address) in one masked line each."""

    def __init__(self, log: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        self.log(f"{record.name}: {record.getMessage()}".splitlines()[0])


def quiet_tornado(log: Callable[[str], None]) -> None:
    for name in ("tornado.application", "tornado.general"):
        logger = logging.getLogger(name)
        logger.handlers = [_MaskedLog(log)]
        logger.propagate = False
