"""Image and file references: every path to a file under static/ is checked here, in one place,
and every use of one is noted with the file (and the first line) that uses it, so the build
can publish a file used only by proposals in their private folders instead of at a
guessable public path, and a photo that cannot be processed is reported at the line that
shows it rather than at the photo nobody mentions.
"""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

from ..errors import Location, Report
from ..markdown import Renderer
from ..sources import Document
from ..urls import Urls

# The URL attributes of rendered Markdown (markdown-it always writes them double-quoted): every
# double-quoted value, whose attribute's name is then looked at before it. Scanning for the `="`
# it starts with takes 8 µs a benchmark write-up, where a pattern starting with `\b(src|href)`,
# which the regular expression engine must try at every character, took 80 µs.
_QUOTED_VALUE = re.compile(r'="([^"]*)"')
_URL_NAMES = ("src", "href")


class Link(NamedTuple):
    """A src or href of rendered HTML pointing at a file of static/: where the attribute
    starts and ends in the text, its name, the file's path, and what followed the path (a
    #fragment or ?query) to keep."""

    start: int
    end: int
    attribute: str
    path: str
    rest: str


def _url_attributes(text: str) -> Iterator[tuple[int, re.Match[str], str]]:
    """Each `src="..."` and `href="..."` of `text` as a whole word (not `xsrc`, but `data-src`
    as a word boundary reads it): where its name starts, the quoted value, the name."""
    for value in _QUOTED_VALUE.finditer(text):
        at = value.start()
        for name in _URL_NAMES:
            start = at - len(name)
            if start >= 0 and text.startswith(name, start) and (start == 0 or not _word(text[start - 1])):
                yield start, value, name
                break


def _word(character: str) -> bool:
    """What a regular expression counts as a word character (str patterns): a Unicode letter or digit, or the underscore."""
    return character.isalnum() or character == "_"


class StaticFiles:
    """The files under static/, for checking references (exact, case-sensitive) and noting who uses which."""

    def __init__(self, paths: tuple[Path, ...]) -> None:
        self.paths = {p.as_posix() for p in paths}
        self.uses: list[tuple[str, str]] = []  # (path under static/, display path of the file using it)
        self.used_at: dict[str, Location] = {}  # path under static/ -> the first line that shows it
        self.checked: list[tuple[str, Location]] = []  # every reference found, in order: what `replay` repeats

    def check(self, report: Report, where: Location, src: str) -> str | None:
        """The normalized path of an image reference, or None after reporting why it is wrong."""
        cleaned = src.strip().lstrip("/")
        normal = posixpath.normpath(cleaned) if cleaned else ""
        if not cleaned or normal.startswith("..") or normal.startswith("/") or ":" in cleaned.split("/")[0]:
            report.error(
                where,
                f"image path '{src}' points outside the site's static/ folder",
                "image paths are relative to static/, e.g. images/gala/stage.jpg",
            )
            return None
        if normal not in self.paths:
            close = difflib.get_close_matches(normal, sorted(self.paths), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "put the file under static/, or correct the path: it is relative to static/"
            report.error(where, f"image 'static/{normal}' does not exist", hint)
            return None
        self.uses.append((normal, where.path))
        self.used_at.setdefault(normal, where)
        self.checked.append((normal, where))
        return normal

    def replay(self, checked: Iterable[tuple[str, Location]], uses: Iterable[tuple[str, str]]) -> None:
        """What reading a kept event did here (kept.py), done again in the same order."""
        for normal, where in checked:
            self.used_at.setdefault(normal, where)
            self.checked.append((normal, where))
        self.uses.extend(uses)


def render_body(document: Document, markdown: Renderer, static: StaticFiles, report: Report) -> str:
    """A document's Markdown as HTML, every local image it shows checked at its own line,
    and every file of static/ it links to (a PDF, a floor plan) noted as used by it."""
    if not document.body.strip():
        return ""
    return render_checked(document.body, document.display, document.body_line, markdown, static, report)


def render_checked(text: str, display: str, first_line: int, markdown: Renderer, static: StaticFiles, report: Report) -> str:
    """Markdown written at `first_line` of the file `display` (a body, or a YAML field such as a
    proposal's terms notes) as HTML, with its images and links checked and noted as for a body,
    so the build publishes and shows them the same way wherever they were written."""
    rendered = markdown.render(text, first_line)
    for ref in rendered.images:
        static.check(report, Location(display, ref.line), ref.path)
    for dropped in rendered.dropped:
        report.warning(Location(display, dropped.line), *dropped.explain())
    for link in static_links(rendered.html, markdown.urls, static.paths):
        static.uses.append((link.path, display))
    return rendered.html


def static_links(text: str, urls: Urls, paths: Collection[str]) -> Iterator[Link]:
    """Each src or href of rendered HTML that points at a file of static/."""
    for start, value, attribute in _url_attributes(text):
        url = html.unescape(value.group(1))
        cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
        if url.startswith(urls.base_path) and not url.startswith("//"):
            path = posixpath.normpath(unquote(url[len(urls.base_path) : cut]))  # as check() and browsers read it
            if path in paths:
                yield Link(start, value.end(), attribute, path, url[cut:])


def relink(text: str, urls: Urls, moved: Mapping[str, str]) -> str:
    """Rendered HTML with its links to the files in `moved` (path under static/ -> site path
    of the copy) pointing at the copies."""
    out, end = [], 0
    for link in static_links(text, urls, moved):
        out += [text[end : link.start], f'{link.attribute}="{html.escape(urls.asset(moved[link.path]) + link.rest)}"']
        end = link.end
    return "".join(out) + text[end:]
