"""What the browser and validator tests share: the tools they need (Debian's Chromium, Java,
the npm packages of .ci/node), skipping without them on a developer's machine and failing
without them in CI, a loopback server for a built folder, and the table of page kinds.

Add a row to PAGE_KINDS when the theme gains a kind of page: every browser, accessibility
and screenshot test then covers it.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NoReturn

import pytest

from conftest import DEMO_PASSWORDS, DEMO_SECRET, REPO, free_port
from propgen.links import token

NODE_TOOLS = REPO / ".ci" / "node"
NODE_MODULES = NODE_TOOLS / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
STYLELINT = NODE_MODULES / "stylelint" / "bin" / "stylelint.mjs"
STYLELINT_CONFIG = NODE_TOOLS / "stylelint.config.mjs"
ARTIFACTS = REPO / "tests" / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",  # CI runs as root in a container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",  # no calls home: the machine has no network, and a test must not need one
    "--disable-component-update",
]
INSTALL_NODE_TOOLS = "npm ci --ignore-scripts --prefix .ci/node (as .ci/run does)"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing(tool: str, how: str) -> NoReturn:
    """Without a tool a developer may skip these tests; CI may not (a skip there would hide a failure)."""
    message = f"needs {tool}: install it with  {how}"
    if in_ci():
        pytest.fail(f"CI={os.environ['CI']} but this machine lacks {tool}; .ci/run installs it ({how})", pytrace=False)
    pytest.skip(message)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        missing("Debian's Chromium", "apt-get install chromium")
    return found


def java() -> str:
    found = shutil.which("java")
    if found is None:
        missing("Java (for the W3C Nu validator)", "apt-get install default-jre-headless")
    return found


def node() -> str:
    found = shutil.which("node")
    if found is None:
        missing("Node.js (for stylelint)", "apt-get install nodejs npm")
    return found


def node_file(path: Path) -> Path:
    if not path.is_file():
        missing(f"{path.relative_to(NODE_TOOLS)} from the npm registry", INSTALL_NODE_TOOLS)
    return path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A built site on a free loopback port, as a static host serves it; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def serving(site: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """`propgen serve` on a free loopback port, once it answers; the caller stops it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "propgen", "serve", "--site", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "_propgen/", timeout=5).close()
            return process, url
        except urllib.error.HTTPError:
            return process, url  # it answers (with the error page of a site that does not build)
        except OSError:
            assert process.poll() is None, "propgen serve stopped"
            assert time.monotonic() < deadline, "propgen serve did not start"
            time.sleep(0.2)


def proposal_path(slug: str) -> str:
    return f"p/{slug}-{token(DEMO_SECRET, 'proposal', slug)}/"


def private_page(slug: str, kind: str) -> str:
    """A sponsorship prospect's page (kind "sponsorship") or a sponsorship's overview."""
    return f"p/{slug}-{token(DEMO_SECRET, kind, slug)}/"


PROTECTED = "pratama-lestari-wedding"
PROTECTED_PASSWORD = DEMO_PASSWORDS["PRATAMA_PROPOSAL_PASSWORD"]
PROSPECT_PASSWORD = DEMO_PASSWORDS["ONKOFARMA_PROSPECTUS_PASSWORD"]


@dataclass(frozen=True)
class PageKind:
    name: str
    path: str  # inside the built demo
    password: str = ""  # unlock the page with this before looking at it
    # When the page is ready to look at: "load" (its scripts run, lazy photos are waited for as
    # it is scrolled), or "networkidle" for a page whose script fetches after that (half a
    # second of quiet waited for on every visit, so only where it is needed).
    settles: Literal["load", "networkidle"] = "load"


PAGE_KINDS = [
    PageKind("home", ""),
    PageKind("events", "events/"),
    PageKind("event-type", "events/type/wedding/"),
    PageKind("tag", "events/tag/hybrid/"),
    PageKind("event", "events/oncology-research-forum/"),
    PageKind("page", "about/"),
    PageKind("home-en", "en/"),  # the English site under /en/ (languages: [id, en])
    PageKind("event-en", "en/events/oncology-research-forum/"),
    PageKind("page-en", "en/about/"),
    PageKind("page-en-untranslated", "en/bergabung/"),  # shown in Indonesian, marked, with a note
    PageKind("contact", "contact/"),
    PageKind("thanks", "thanks/"),
    PageKind("search", "search/?q=gala", settles="networkidle"),  # Pagefind (the test extra) fetches its index
    PageKind("not-found", "404.html"),
    PageKind("proposal", proposal_path("nusantara-medika-forum")),
    PageKind("proposal-locked", proposal_path(PROTECTED)),
    PageKind("proposal-unlocked", proposal_path(PROTECTED), password=PROTECTED_PASSWORD),
    PageKind("proposal-expired", proposal_path("meridian-bank-gala")),
    PageKind("proposal-superseded", proposal_path("nusantara-medika-forum-v1")),
    PageKind("prospect", private_page("oncology-forum-2027-riset-kanker", "sponsorship")),
    PageKind("prospect-locked", private_page("oncology-forum-2027-onkofarma", "sponsorship")),
    PageKind("prospect-unlocked", private_page("oncology-forum-2027-onkofarma", "sponsorship"), password=PROSPECT_PASSWORD),
    PageKind("sponsorship-overview", private_page("oncology-forum-2027", "sponsorship-overview")),
]
# The interactive quote and its acceptance step are on the "proposal" page (and
# tests/e2e/test_quote_browser.py); the gallery viewer on the "event" page (and
# tests/e2e/test_gallery_browser.py); the enquiry form on the "contact" and "event" pages (and
# tests/e2e/test_enquiry_browser.py). The demo is Indonesian at its root and English under
# /en/ (languages: [id, en]), so these kinds cover both languages; tests/e2e/test_pages.py runs
# them on the demo built in each built-in theme (conftest.THEMES).


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a browser Playwright downloads), one per
    test module; skips without it, fails in CI. Test modules import this fixture by name."""
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python", "PIP_CONSTRAINT=constraints.txt .venv/bin/pip install -e '.[test]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()
