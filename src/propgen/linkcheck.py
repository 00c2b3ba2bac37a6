"""Every link of a built site checked against the built site itself, as a visitor's browser
would follow it: pages, `#fragments`, `srcset` candidates, stylesheets, scripts, images,
`url()` in CSS, the sitemap and the feed, all under base_url's folder.

The check reads the output, not the model, so it also catches what templates and
hand-written files in static/ produce. A broken link is reported where it was written
when a source file shows it (a Markdown link at its line, a literal in a template), else
at the page's own source. Like Zola's checker (components/site/src/link_checking.rs) the
internal check runs on every strict build; external links are checked only on request
(external.py).
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .crypto import Payload, decrypt
from .errors import Location, Report
from .references import Reference, Scanned, scan_file, scan_html
from .routes import Route
from .sources import display_path
from .urls import Urls
from .write import OutputFile

SKIPPED_SCHEMES = {"mailto", "tel", "sms", "data", "javascript", "blob", "about", "geo", "webcal", "callto"}


@dataclass(frozen=True)
class BuiltFile:
    """A file of the built site, with what is known about where its links were written."""

    path: str  # posix path inside the output folder
    read: Callable[[], bytes]
    written_in: tuple[Path, ...] = ()  # files to search for a broken link's text, most likely first
    origin: Location | None = None  # where to point when no file shows the link
    copy_of: str = ""  # the file's own display path when its lines are the source's lines (static/, assets, a built folder)
    password: str = field(default="", repr=False)  # a protected page's, to check the links inside it


@dataclass(frozen=True)
class ExternalLink:
    url: str
    page: str  # the address of the page that links to it
    locate: Callable[[], Location] = field(compare=False)  # where it was written: looked up only for a broken one


@dataclass
class LinkScan:
    """What the check found: counts for the summary, and the external links for external.py."""

    files: int = 0
    references: int = 0
    external: list[ExternalLink] = field(default_factory=list)


@dataclass(frozen=True)
class _Verdict:
    """What following a link found: another site's address, or why it leads nowhere."""

    external: str = ""
    reason: str = ""
    hint: str = ""


@dataclass(frozen=True)
class _Broken:
    location: Location
    page: str
    target: str
    reason: str
    hint: str


class _Site:
    """The built site as a browser sees it: which addresses exist, and each page's ids."""

    def __init__(self, files: Sequence[BuiltFile], base_url: str) -> None:
        self.urls = Urls(base_url)
        self.base_url = self.urls.base_url
        self.base_path = self.urls.base_path
        self.paths = {f.path for f in files}
        self.ids: dict[str, set[str] | None] = {}  # None: not known (a protected page checked without its password)
        self.scans: dict[str, Scanned] = {}
        self.extra: dict[str, list[Reference]] = {}  # the links inside protected pages, opened with their password
        for file in files:
            scanned = scan_file(file.path, file.read)
            if scanned is None:
                continue
            self.scans[file.path] = scanned
            self.ids[file.path] = set(scanned.ids) if file.path.endswith((".html", ".htm")) else None
            if scanned.payload:
                inner = _open(scanned.payload, file.password)
                if inner is None:
                    self.ids[file.path] = None
                else:
                    opened = scan_html(inner)
                    self.extra[file.path] = opened.references
                    self.ids[file.path] = scanned.ids | opened.ids

    def address(self, path: str) -> str:
        """The address of a built file as a visitor sees it: a folder's index.html is the folder."""
        if path == "index.html" or path.endswith("/index.html"):
            path = path[: -len("index.html")]
        return self.base_path + path

    @functools.cached_property
    def known(self) -> list[str]:
        """Every address of the site, for "did you mean" hints."""
        return sorted(self.address(p) for p in self.paths)


def _open(payload: str, password: str) -> str | None:
    if not password:
        return None
    try:
        content = json.loads(decrypt(Payload.from_json(payload), password))
    except Exception:  # a payload this build did not make, or another password: nothing to check inside
        return None
    html = content.get("html") if isinstance(content, dict) else None
    return html if isinstance(html, str) else None


def check_links(files: Sequence[BuiltFile], base_url: str, report: Report) -> LinkScan:
    """Report every internal link of the built files that does not resolve; collect the external ones."""
    site = _Site(files, base_url)
    scan = LinkScan(files=len(site.scans))
    texts = _Texts()
    broken: list[_Broken] = []
    for file in files:
        scanned = site.scans.get(file.path)
        if scanned is None:
            continue
        page = site.address(file.path)
        base = urljoin(site.base_url + file.path.rsplit("/", 1)[0] + "/" if "/" in file.path else site.base_url, scanned.base)
        for reference in [*scanned.references, *site.extra.get(file.path, [])]:
            scan.references += 1
            verdict = _follow(site, reference, base, page)
            if verdict is None:
                continue
            if verdict.external:
                locate = functools.partial(_where, file, reference, site, texts)
                scan.external.append(ExternalLink(verdict.external, page, locate))
                continue
            target = reference.url + (f" ({reference.what})" if reference.what else "")
            broken.append(_Broken(_where(file, reference, site, texts), page, target, verdict.reason, verdict.hint))
    _report(broken, report)
    return scan


def _follow(site: _Site, reference: Reference, base: str, page: str) -> _Verdict | None:
    """Follow a link as a browser would: None when it leads somewhere in the site (or is
    not followed at all, like mailto:), else where it leaves the site or why it is broken."""
    url = reference.url.strip(" \t\n\r\f")
    if not url:
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in SKIPPED_SCHEMES or (scheme and scheme not in ("http", "https")):
        return None
    absolute = urljoin(base, url)
    if not _inside(absolute, site.base_url):
        if scheme or url.startswith("//"):
            return _Verdict(external=absolute.split("#", 1)[0])
        folder = site.base_path
        return _Verdict(
            reason=f"it points outside the site's folder {folder}",
            hint=f"it works only when the site is at the root of its domain: in Markdown start links with / and propgen adds {folder}; "
            "in templates use the addresses the context gives, such as site.url",
        )
    target = urlsplit(absolute)
    relative = unquote(target.path[len(site.base_path) :])
    path = relative + "index.html" if relative == "" or relative.endswith("/") else relative
    if path not in site.paths:
        if relative and not relative.endswith("/") and relative + "/index.html" in site.paths:
            path = relative + "/index.html"  # hosts answer /about with /about/
        else:
            return _Verdict(reason="no page or file has this address", hint=_closest(site.base_path + relative, site.known, reference.what))
    fragment = unquote(target.fragment)
    if not fragment or fragment.lower() == "top" or not path.endswith((".html", ".htm")):
        return None
    ids = site.ids.get(path)
    if ids is None or fragment in ids:
        return None
    shown = site.address(path)
    close = difflib.get_close_matches(fragment, sorted(ids), n=1, cutoff=0.6)
    hint = (
        f"did you mean #{close[0]}?"
        if close
        else "link to an id the page has: a heading's id is its text in lowercase with hyphens, so ## The venue is #the-venue"
    )
    return _Verdict(reason=f'{"this page" if shown == page else shown} has no element with id="{fragment}"', hint=hint)


def _inside(absolute: str, base_url: str) -> bool:
    """Whether an address is in the site: same scheme and host (any case), path under base_url's."""
    url, base = urlsplit(absolute), urlsplit(base_url)
    return (url.scheme.lower(), url.netloc.lower()) == (base.scheme.lower(), base.netloc.lower()) and url.path.startswith(base.path)


def _closest(address: str, known: list[str], what: str) -> str:
    close = difflib.get_close_matches(address, known, n=1, cutoff=0.75)
    if close:
        return f"did you mean {close[0]}?"
    if what:
        return "put the file under static/ (its address is its path there) or correct the address"
    return "correct the address: pages are at /<slug>/, events at /events/<slug>/; links in Markdown start with /"


class _Texts:
    """Source files read once, for finding where a link was written."""

    def __init__(self) -> None:
        self.cache: dict[Path, str] = {}

    def get(self, path: Path) -> str:
        if path not in self.cache:
            try:
                self.cache[path] = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                self.cache[path] = ""
        return self.cache[path]


URL_CHARS = r"\w/.~%:@-"


def _where(file: BuiltFile, reference: Reference, site: _Site, texts: _Texts) -> Location:
    """Where to point for a link: the file itself when its lines are a source's, else the
    first source that shows the link as written, else the page's own source."""
    if file.copy_of:
        return Location(file.copy_of, reference.line, reference.col)
    for candidate in _as_written(reference.url, site):
        pattern = re.compile(rf"(?<![{URL_CHARS}]){re.escape(candidate)}(?![{URL_CHARS}])")
        for source in file.written_in:
            text = texts.get(source)
            match = pattern.search(text)
            if match:
                at = match.start()
                return Location(display_path(source), text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at))
    return file.origin or Location(site.address(file.path))


def _as_written(url: str, site: _Site) -> list[str]:
    """How a link may look in its source: as built, without base_url's folder (Markdown's
    /about/), without the leading / (a template's {{ site.url }}about/), or by its file name."""
    forms = [url]
    path = urlsplit(url).path if _inside(url, site.base_url) else url
    if path.startswith(site.base_path):
        forms += ["/" + path[len(site.base_path) :], path[len(site.base_path) :]]
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    if name:
        forms.append(name)
    return [form for candidate in forms if candidate for form in dict.fromkeys((candidate, unquote(candidate)))]


def _report(broken: Iterable[_Broken], report: Report) -> None:
    """One line per broken link and place it was written: a template's mistake on 40 pages is one line."""
    grouped: dict[tuple[Location, str, str, str], list[str]] = {}
    for item in broken:
        pages = grouped.setdefault((item.location, item.target, item.reason, item.hint), [])
        if item.page not in pages:
            pages.append(item.page)
    for (location, target, reason, hint), pages in grouped.items():
        others = len(pages) - 1
        page = pages[0] + (f" (and {others} other page{'s' if others > 1 else ''})" if others else "")
        report.error(location, f"broken link {page} -> {target}: {reason}", hint)


def built_files(
    outputs: Mapping[str, OutputFile], routes: Sequence[Route], settings: Path, template_folders: Sequence[Path]
) -> list[BuiltFile]:
    """A build's files in memory, each with the sources its links may be written in: the
    content file (and an event's or proposal's Markdown beside its record), propgen.yaml
    (`settings`), then the templates."""
    templates = (settings, *(p for folder in template_folders for p in sorted(folder.rglob("*")) if p.is_file()))
    by_output = {route.output: route for route in routes}
    files = []
    for path, output in sorted(outputs.items()):
        route = by_output.get(path)
        if route is None:
            copy_of = display_path(Path(output.source)) if output.source is not None else ""
            files.append(BuiltFile(path, output.read, copy_of=copy_of, origin=Location(output.origin)))
            continue
        sources: tuple[Path, ...] = ()
        if route.source:
            record = Path(route.source)
            sources = (record, record.with_suffix(".md")) if record.suffix == ".yaml" else (record,)
        origin = Location(route.source) if route.source else _template_origin(route.template, template_folders)
        files.append(BuiltFile(path, output.read, (*sources, *templates), origin, password=route.password))
    return files


def _template_origin(template: str, folders: Sequence[Path]) -> Location:
    for folder in folders:
        if (folder / template).is_file():
            return Location(display_path(folder / template))
    return Location(template or "propgen")


def folder_files(folder: Path) -> list[BuiltFile]:
    """An already built site: every file under `folder` (but a .git of a publishing branch)."""
    files = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and ".git" not in relative.parts:
            files.append(BuiltFile(relative.as_posix(), path.read_bytes, copy_of=display_path(path)))
    return files


def built_for(folder: Path) -> str:
    """The base_url a built folder was made for, from its home page's canonical link ("" if it has none)."""
    try:
        home = scan_html((folder / "index.html").read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return ""
    return next((r.url for r in home.references if r.what == "canonical"), "")
