"""Image references: every path to a file under static/ is checked here, in one place.

(Resizing, srcset and metadata stripping will grow from this module.)
"""

from __future__ import annotations

import difflib
import posixpath
from pathlib import Path

from .errors import Location, Report
from .markdown import render_markdown
from .sources import Document
from .urls import Urls


class StaticFiles:
    """The files under static/, for checking image references (exact, case-sensitive)."""

    def __init__(self, paths: tuple[Path, ...]) -> None:
        self.paths = {p.as_posix() for p in paths}

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
        return normal


def render_body(document: Document, urls: Urls, static: StaticFiles, report: Report) -> str:
    """A document's Markdown as HTML, every local image it shows checked at its own line."""
    if not document.body.strip():
        return ""
    rendered = render_markdown(document.body, urls, document.body_line)
    for ref in rendered.images:
        static.check(report, document.at(ref.line), ref.path)
    return rendered.html
