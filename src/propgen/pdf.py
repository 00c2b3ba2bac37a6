"""`propgen build --pdf`: a PDF of each proposal and sponsorship prospect page, printed by
headless Chromium from the build's own files before they are written, so the PDFs are
written (or kept, when their bytes did not change) with the rest of the site.

Chromium rather than WeasyPrint: it is the engine the print style sheet is tested with
(running header and page numbers in @page margin boxes, grid cards, tables that never split
a row), it runs the page's script like the client's browser, and Playwright, which drives
it, is already pinned for the tests. Chromium is found, never downloaded: PROPGEN_CHROMIUM,
else /usr/bin/chromium, else chromium, chromium-browser or google-chrome on the PATH.

Chromium stamps each PDF with the time it was made; that stamp is replaced by the build's
"now" (SOURCE_DATE_EPOCH), so the same site gives the same bytes and an unchanged PDF is
not written again. Playwright is imported only here, and only when --pdf is given.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .errors import Location, Report
from .models import Proposal, Prospectus
from .routes import Route, document_name

CHROMIUM_ENV = "PROPGEN_CHROMIUM"
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PAPERS = {"a4": "A4", "letter": "Letter"}
INSTALL = "pip install 'propgen[pdf]' (Playwright, which drives the Chromium you have), and apt-get install chromium"
TIMEOUT_MS = 120_000
DATE_STAMP = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[^)]*\)")


@dataclass(frozen=True)
class Document:
    route: Route  # the page printed
    path: str  # the PDF's path in the output, beside the page


def documents(routes: list[Route], report: Report) -> list[Document]:
    """The pages that get a PDF: current proposals and prospect pages that are not drafts.
    Expired and replaced pages have nothing to print (their routes are other kinds). A
    protected page gets none: a PDF beside it would be readable by anyone with the link,
    without the password; a reminder says so."""
    found: list[Document] = []
    for route in routes:
        subject = route.subject
        if route.kind not in ("proposal", "prospect") or not isinstance(subject, Proposal | Prospectus) or subject.draft:
            continue
        if route.password:
            report.warning(
                subject.password_at or Location(route.source),
                "no PDF of this page: it is protected by a password, and a PDF beside it could be read by anyone with the link",
                "to send a PDF, open the page with its password and use Print → Save as PDF",
                strict=False,
            )
            continue
        found.append(Document(route, route.path + document_name(subject)))
    return found


class RendererMissing(Exception):
    """Playwright or Chromium is not there: one sentence and what to install."""

    def __init__(self, message: str, hint: str = INSTALL) -> None:
        super().__init__(message)
        self.hint = hint


def find_chromium(environ: Mapping[str, str]) -> str:
    given = environ.get(CHROMIUM_ENV, "")
    if given:
        if not (os.path.isfile(given) and os.access(given, os.X_OK)):
            raise RendererMissing(
                f"{CHROMIUM_ENV} names no Chromium program to print PDFs with",
                f"set {CHROMIUM_ENV} to the path of chromium or google-chrome, or unset it to look for one",
            )
        return given
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise RendererMissing(
        "`propgen build --pdf` needs Chromium or Google Chrome, and none was found",
        f"apt-get install chromium, or set {CHROMIUM_ENV} to its path",
    )


def render_pdfs(
    docs: list[Document], read: Callable[[str], bytes | None], base_url: str, paper: str, now: dt.datetime, environ: Mapping[str, str]
) -> dict[str, bytes]:
    """Each document's PDF by its output path. `read` gives an output file's bytes by its path
    (None when the build has no such file). Raises RendererMissing, or RuntimeError with a
    sentence when Chromium failed."""
    if not docs:
        return {}
    executable = find_chromium(environ)
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise RendererMissing("`propgen build --pdf` needs Playwright for Python, which is not installed") from None
    # The page is opened at its real address, so its links in the PDF lead to the published
    # site; every request is answered from the build's files and nothing leaves the machine.
    site = urlsplit(base_url)
    origin, base_path = f"{site.scheme}://{site.netloc}", site.path or "/"
    made: dict[str, bytes] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.route("**/*", lambda route: _answer(route, read, origin, base_path))
                for doc in docs:
                    page.goto(origin + base_path + doc.route.path, wait_until="load", timeout=TIMEOUT_MS)
                    page.evaluate("document.fonts.ready.then(() => true)")
                    data = page.pdf(format=PAPERS[paper], prefer_css_page_size=False)
                    made[doc.path] = stamp(data, now)
            finally:
                browser.close()
    except Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RuntimeError(f"Chromium could not print the PDFs: {first}") from None
    return made


def _answer(route: Any, read: Callable[[str], bytes | None], origin: str, base_path: str) -> None:
    """Requests for the site are answered from the build; nothing else leaves the machine."""
    url = urlsplit(route.request.url)
    path = unquote(url.path)
    if f"{url.scheme}://{url.netloc}" != origin or not path.startswith(base_path):
        route.abort()
        return
    inside = path[len(base_path) :]
    if inside == "" or inside.endswith("/"):
        inside += "index.html"
    body = read(inside)
    if body is None:
        route.fulfill(status=404, body=b"")
        return
    kind = mimetypes.guess_type(inside)[0] or "application/octet-stream"
    route.fulfill(status=200, body=body, content_type=kind)


def stamp(data: bytes, now: dt.datetime) -> bytes:
    """Chromium's creation and modification times replaced by the build's "now", in the
    same number of bytes, so the file's cross-reference offsets stay right."""
    when = now.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S").encode()

    def same_length(match: re.Match[bytes]) -> bytes:
        old = match.group(0)
        new = b"/" + match.group(1) + b" (D:" + when + b"+00'00')"
        return new if len(new) == len(old) else old[: old.index(b"(D:") + 3] + when + old[old.index(b"(D:") + 17 :]

    return DATE_STAMP.sub(same_length, data)


def has_secret(data: bytes, route: Route) -> bool:
    """Whether the page's secret folder name (the token with it) is anywhere in the PDF's bytes."""
    folder = Path(route.path.rstrip("/")).name
    return bool(folder) and folder.encode() in data


def print_documents(
    docs: list[Document], files: Mapping[str, Any], base_url: str, paper: str, now: dt.datetime, environ: Mapping[str, str], report: Report
) -> list[tuple[str, str, bytes]]:
    """The build's step: (output path, origin, bytes) of each PDF; a missing renderer or a
    failed print is one error at the first page that wanted a PDF, never a traceback."""
    if not docs:
        return []

    def read(path: str) -> bytes | None:
        file = files.get(path)
        return None if file is None else bytes(file.read())

    where = Location(docs[0].route.source)
    try:
        made = render_pdfs(docs, read, base_url, paper, now, environ)
    except RendererMissing as exc:
        report.error(where, str(exc), exc.hint)
        return []
    except RuntimeError as exc:
        report.error(where, str(exc), "check that Chromium starts: run it with --headless --version")
        return []
    found: list[tuple[str, str, bytes]] = []
    for doc in docs:
        if has_secret(made[doc.path], doc.route):
            report.error(
                Location(doc.route.source), "the PDF of this page would carry its secret link", "remove the link to the page itself"
            )
            continue
        found.append((doc.path, f"the PDF of {doc.route.source}", made[doc.path]))
    return found
