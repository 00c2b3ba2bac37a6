"""The demo in a real browser: Playwright for Python driving Debian's Chromium (never a browser
Playwright downloads), the built site served from a loopback port as a static host serves it.

Every page kind of browser_support.PAGE_KINDS loads without a console error or a failed
request, fits a 390 px phone without sideways scrolling, has no serious or critical axe-core
violation, and is saved as a screenshot at 390 and 1280 px under tests/artifacts/screenshots/
for a reviewer. Then the behaviours: the events filter, the navigation on a phone, a protected
proposal's password, printing, and the preview pages of `propgen serve`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import (
    AXE,
    PAGE_KINDS,
    PROTECTED,
    PROTECTED_PASSWORD,
    SCREENSHOTS,
    PageKind,
    browser,
    node_file,
    proposal_path,
    serve_folder,
    serving,
)

from conftest import THEMES, demo_env, write_files

__all__ = ["browser"]  # the fixture, from browser_support

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def site_url(built_demo: Path) -> Iterator[str]:
    with serve_folder(built_demo) as url:
        yield url


@dataclass(frozen=True)
class Themed:
    """The demo built in one built-in theme, served: what the checks every theme must pass get."""

    theme: str
    url: str
    folder: Path

    def shot(self, name: str) -> str:
        """The screenshot's name: the default theme's keep their names, others carry the theme's."""
        return name if self.theme == "default" else f"{self.theme}-{name}"


@pytest.fixture(scope="module", params=THEMES)
def themed(request: pytest.FixtureRequest, built_themes: dict[str, Path]) -> Iterator[Themed]:
    folder = built_themes[request.param]
    with serve_folder(folder) as url:
        yield Themed(request.param, url, folder)


@dataclass
class Watched:
    """A tab with everything that went wrong in it written down."""

    page: Page
    problems: list[str] = field(default_factory=list)
    document_status: int = 0


@pytest.fixture
def tab(browser: Browser) -> Iterator[Any]:
    """tab(viewport) -> a Watched page: console errors, page errors, failed requests and HTTP errors recorded."""
    contexts = []

    def open_tab(viewport: dict[str, int] = PHONE) -> Watched:
        context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        contexts.append(context)
        watched = Watched(context.new_page())
        page = watched.page
        page.on("console", lambda m: watched.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: watched.problems.append(f"script error: {e}"))
        page.on("requestfailed", lambda r: watched.problems.append(f"request failed: {r.url} ({r.failure})"))

        def response(r: Any) -> None:
            if r.request.is_navigation_request() and r.frame == page.main_frame:
                watched.document_status = r.status
            elif r.status >= 400:
                watched.problems.append(f"HTTP {r.status}: {r.url}")

        page.on("response", response)
        return watched

    yield open_tab
    for context in contexts:
        context.close()


def open_kind(tab: Any, site_url: str, kind: PageKind, viewport: dict[str, int] = PHONE) -> Watched:
    watched = tab(viewport)
    watched.page.goto(site_url + kind.path, wait_until=kind.settles)
    if kind.password:
        unlock(watched.page, kind.password)
    return watched


def unlock(page: Page, password: str) -> None:
    page.fill("#password", password)
    page.click("[data-unlock] button[type=submit]")
    page.wait_for_function("!document.querySelector('[data-unlock]')", timeout=30_000)


def sideways_scroll(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0: no horizontal scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


SCROLL_THROUGH = """async () => {
  for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
    window.scrollTo(0, y);
    await new Promise(resolve => requestAnimationFrame(resolve));
  }
  window.scrollTo(0, 0);
}"""


def screenshot(page: Page, name: str) -> None:
    """A full-page picture for a reviewer, lazy images loaded (a browser loads them as the
    reader scrolls). A JPEG: encoding a tall page as PNG took Chromium 0.9 s, as JPEG 0.3 s,
    and the suite takes 92 of them."""
    page.evaluate(SCROLL_THROUGH)
    # (the gallery viewer's image inside its closed <dialog> has nothing to show until opened)
    page.wait_for_function(
        "[...document.images].filter(img => !img.closest('dialog:not([open])')).every(img => img.complete && img.naturalWidth > 0)"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.jpg"), full_page=True, quality=90)


def serious_axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(node_file(AXE)))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']}: {v['id']}: {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


KINDS = pytest.mark.parametrize("kind", PAGE_KINDS, ids=[k.name for k in PAGE_KINDS])


@KINDS
def test_page_kind_loads_cleanly_fits_a_phone_and_has_no_serious_accessibility_violations(tab: Any, themed: Themed, kind: PageKind) -> None:
    """One visit per page kind and theme (opening, and unlocking, is most of a check's cost):
    it loads without a problem, fits 390 and 1280 px, and axe-core finds nothing serious at
    either width. axe runs after the problems are counted, so its script is never one of them."""
    watched = open_kind(tab, themed.url, kind, PHONE)
    assert watched.document_status == 200
    assert sideways_scroll(watched.page) == 0
    screenshot(watched.page, themed.shot(f"{kind.name}-390"))
    watched.page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    assert sideways_scroll(watched.page) == 0
    screenshot(watched.page, themed.shot(f"{kind.name}-1280"))
    # Widening the window has the browser pick other sizes of the photos it still loads, and
    # cancel those (net::ERR_ABORTED): a missing file is an HTTP 404 or another failure.
    assert [p for p in watched.problems if "net::ERR_ABORTED" not in p] == []
    assert serious_axe_violations(watched.page) == []
    watched.page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    assert serious_axe_violations(watched.page) == []


PHONE_WIDTHS = (320, 390)


def test_every_page_of_the_demo_fits_a_phone(tab: Any, themed: Themed) -> None:
    """Each page is opened once and measured at each phone width (the window resized, as a
    phone turned or a narrowed window does; the layout follows the width, not the loading)."""
    pages = sorted(p.relative_to(themed.folder).as_posix() for p in themed.folder.rglob("*.html"))
    assert len(pages) > 40
    watched = tab({"width": PHONE_WIDTHS[0], "height": 700})
    too_wide = {}
    for n, path in enumerate(pages):
        widths = PHONE_WIDTHS if n % 2 == 0 else PHONE_WIDTHS[::-1]  # every other page is opened at the other width
        watched.page.goto(themed.url + path.removesuffix("index.html"), wait_until="load")
        for width in widths:
            watched.page.set_viewport_size({"width": width, "height": 700})
            if (extra := sideways_scroll(watched.page)) > 0:
                too_wide[f"{path} at {width} px"] = extra
    assert too_wide == {}
    assert [p for p in watched.problems if "net::ERR_ABORTED" not in p] == []  # leaving a page cancels what it still loads


def test_events_filter_shows_one_kind_and_back(tab: Any, themed: Themed) -> None:
    site_url = themed.url
    page = tab(DESKTOP).page
    page.goto(site_url + "events/")
    visible = "[...document.querySelectorAll('[data-cards] .card')].filter(c => !c.hidden).map(c => c.dataset.type)"
    everything = page.evaluate(visible)
    assert len(everything) >= 12 and len(set(everything)) == 5
    page.click("[data-filter='wedding']")
    weddings = page.evaluate(visible)
    assert weddings == ["wedding"] * everything.count("wedding")
    assert page.evaluate("location.hash") == "#wedding"
    assert page.get_attribute("[data-filter='wedding']", "aria-current") == "page"
    assert page.text_content("[data-filter-status]") == f"{len(weddings)} / {len(everything)}"
    page.click("[data-filter='']")
    assert page.evaluate(visible) == everything
    assert page.evaluate("location.hash") == ""
    shared = tab(DESKTOP).page
    shared.goto(site_url + "events/#gala")  # a shared filtered link opens filtered
    assert set(shared.evaluate(visible)) == {"gala"}


def test_events_filter_links_work_without_javascript(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "events/")
        page.click("[data-filter='wedding']")
        assert page.url == site_url + "events/type/wedding/"
        types = page.eval_on_selector_all("[data-cards] .card", "cards => cards.map(c => c.dataset.type)")
        assert types and set(types) == {"wedding"}
    finally:
        context.close()


MENU_LINKS = {"default": ".nav a", "editorial": ".menu a"}


def test_navigation_fits_a_phone_without_a_menu_button(tab: Any, themed: Themed) -> None:
    """Each theme's navigation is a short list that wraps on a phone (it has no menu button to
    open): every link of it is on screen, large enough to tap, and leads to its page."""
    site_url = themed.url
    page = tab(PHONE).page
    page.goto(site_url)
    links = page.locator(MENU_LINKS[themed.theme])
    names = links.all_text_contents()
    # Indonesian first; "Cari" (Search) because Pagefind is installed, in both themes
    assert names == ["Acara", "Tentang Sari", "Layanan dan Biaya", "Kontak", "Bergabung dengan Tim", "Cari"]
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], names[index]
        assert box["height"] >= 24, f"{names[index]} is {box['height']} px tall: too small to tap"
    links.nth(3).click()
    assert page.url == site_url + "contact/"
    assert page.get_attribute(MENU_LINKS[themed.theme] + "[aria-current=page]", "href") == "/contact/"
    languages = page.locator("nav.languages a")  # the switcher: on screen, tappable, and to the same page
    assert languages.all_text_contents() == ["Indonesia", "English"]
    for index in range(languages.count()):
        box = languages.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] >= 24
    languages.nth(1).click()
    assert page.url == site_url + "en/contact/"
    assert (
        page.get_attribute("html", "lang") == "en"
        and page.get_attribute(MENU_LINKS[themed.theme] + "[aria-current=page]", "href") == "/en/contact/"
    )


FIRST_SCREEN = [k for k in PAGE_KINDS if k.name in ("home", "event", "event-type")]


@pytest.mark.parametrize("kind", FIRST_SCREEN, ids=[k.name for k in FIRST_SCREEN])
def test_first_photo_is_above_the_fold_on_a_phone(tab: Any, themed: Themed, kind: PageKind) -> None:
    """On a 390x844 phone the first photo of the home page, an event and a list starts on the
    first screen, wholly or with at least 200 px of itself, before any scrolling."""
    page = open_kind(tab, themed.url, kind, PHONE).page
    box = page.locator("main img").first.bounding_box()
    assert box is not None
    assert box["y"] < PHONE["height"], f"the first photo starts {box['y']:.0f} px down, below the fold"
    visible = min(box["y"] + box["height"], PHONE["height"]) - max(box["y"], 0)
    assert visible >= min(box["height"], 200), f"only {visible:.0f} px of the first photo show on the first screen"


THEME_FONTS = {"default": {"Inter"}, "editorial": {"Cormorant Garamond", "Source Sans 3"}}


def test_the_theme_fonts_load_from_the_site(tab: Any, themed: Themed) -> None:
    """The theme's own web fonts are used (loaded, from /assets/fonts/ of the same site), so the
    look does not depend on the fonts of the visitor's system."""
    watched = tab(DESKTOP)
    fonts: list[str] = []
    watched.page.on("request", lambda r: fonts.append(r.url) if r.resource_type == "font" else None)
    watched.page.goto(themed.url, wait_until="networkidle")
    loaded = watched.page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, '')))"
    )
    assert THEME_FONTS[themed.theme] <= set(loaded)
    assert fonts and all(url.startswith(themed.url + "assets/fonts/") and url.endswith(".woff2") for url in fonts), fonts
    assert watched.problems == []


def test_protected_proposal_opens_with_its_password_only_and_ships_no_plaintext(tab: Any, site_url: str) -> None:
    watched = tab(PHONE)
    page = watched.page
    response = page.goto(site_url + proposal_path(PROTECTED))
    assert response is not None
    source = response.text()
    for secret_text in ("Pratama", "Lestari", "Pernikahan di Taman Ubud", "Jadwal pembayaran", PROTECTED_PASSWORD):
        assert secret_text not in source
    assert page.title() == "Penawaran pribadi · Sari Wijaya Events"  # an Indonesian proposal: its lock page too
    page.fill("#password", "not the password")
    page.click("[data-unlock] button[type=submit]")
    page.wait_for_selector("[data-wrong]", state="visible")
    assert "Pratama" not in page.inner_text("main")
    page.fill("#password", PROTECTED_PASSWORD)
    page.click("[data-unlock] button[type=submit]")
    page.wait_for_function("document.title.startsWith('Pernikahan di Taman')", timeout=30_000)
    assert page.title() == "Pernikahan di Taman Ubud · Sari Wijaya Events"
    text = page.inner_text("main")
    assert "Keluarga Pratama & Lestari" in text and "Jadwal pembayaran" in text
    assert "?" not in page.url  # the password never travels in the address
    assert watched.problems == []


def test_proposal_prints_to_a4_pages(tab: Any, site_url: str) -> None:
    page = tab(DESKTOP).page
    page.goto(site_url + proposal_path("nusantara-medika-forum"))
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)  # the print CSS takes the printer's paper (A4 or US Letter)
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert 2 <= len(sizes) <= 12
    for width, height in sizes:
        assert abs(float(width) - 595.3) < 2 and abs(float(height) - 841.9) < 2  # A4 in points


# -- the preview server's own pages ----------------------------------------------------------------


@pytest.mark.parametrize("which", ["preview-index", "preview-error"])
def test_preview_pages_are_clean_and_accessible(tab: Any, built_demo: Path, demo_copy: Path, tmp_path: Path, which: str) -> None:
    """(built_demo first: the preview finds the demo's photos processed in demo_copy's cache.)"""
    if which == "preview-index":
        site, path, status = demo_copy, "_propgen/", 200
    else:
        site = write_files(
            tmp_path / "broken", {"propgen.yaml": "title: Broken\nbase_url: https://x.example/\nlocale: en\ncurrency: USD\n"}
        )
        path, status = "", 500  # every page is the error page until the site builds
    process, url = serving(site, demo_env())
    try:
        for viewport in (PHONE, DESKTOP):
            watched = tab(viewport)
            watched.page.goto(url + path, wait_until="load")
            assert watched.document_status == status
            assert sideways_scroll(watched.page) == 0
            screenshot(watched.page, f"{which}-{viewport['width']}")
            assert serious_axe_violations(watched.page) == []
            watched.page.wait_for_timeout(300)  # the live-reload script connects
            expected = f"console error: Failed to load resource: the server responded with a status of {status}"
            assert [p for p in watched.problems if not p.startswith(expected)] == []
    finally:
        process.terminate()
        process.wait(timeout=20)
