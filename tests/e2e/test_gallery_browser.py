"""The gallery viewer of an event page in Chromium through Playwright: a photo opens in the
<dialog> with its caption, the arrow keys step (and wrap), Esc closes it and the focus goes
back to the photo that opened it; without JavaScript each photo links its largest version."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_support import SCREENSHOTS, browser, serve_folder

__all__ = ["browser"]  # the fixture, from browser_support

if TYPE_CHECKING:
    from playwright.sync_api import Browser

EVENT = "events/childrens-hospital-gala/"


@pytest.fixture(scope="module")
def event_url(built_demo: Path) -> Iterator[str]:
    with serve_folder(built_demo) as url:
        yield url + EVENT


def test_the_viewer_opens_steps_and_closes_with_the_keyboard(browser: Browser, event_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    # Stepping on past a photo still loading cancels its request (net::ERR_ABORTED), as it should:
    # any other failure is a problem. (A missing file is an HTTP 404, a console error above.)
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url} ({r.failure})") if r.failure != "net::ERR_ABORTED" else None)
    page.goto(event_url)
    links = page.locator("[data-gallery] a")
    captions = [links.nth(i).get_attribute("data-caption") for i in range(links.count())]
    assert len(captions) == 3 and all(captions)
    dialog, caption = page.locator("dialog.lightbox"), page.locator(".lightbox-caption")

    links.first.focus()
    page.keyboard.press("Enter")
    assert dialog.evaluate("d => d.open")
    assert caption.text_content() == captions[0]
    page.wait_for_function(
        "document.querySelector('.lightbox-image').complete && document.querySelector('.lightbox-image').naturalWidth > 0"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.querySelector('.lightbox-image').decode()")  # painted, not only loaded
    shown = page.evaluate("document.querySelector('.lightbox-image').currentSrc")
    assert re.search(r"\.[0-9a-f]{10}\.\d+\.(avif|webp)$", shown), f"the viewer shows AVIF or WebP where the browser reads them: {shown}"
    box = page.locator(".lightbox-image").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 900, f"the photo fits the window: {box}"
    page.screenshot(path=str(SCREENSHOTS / "gallery-viewer-1280.png"))
    page.keyboard.press("ArrowRight")
    assert caption.text_content() == captions[1]
    assert page.locator(".lightbox-count").text_content() == "2 / 3"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert caption.text_content() == captions[2], "stepping back from the first wraps to the last"
    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    assert page.evaluate("document.activeElement === document.querySelector('[data-gallery] a')"), "focus back on the photo that opened it"
    assert errors == []
    page.close()


def test_without_javascript_a_photo_links_its_largest_version(browser: Browser, event_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(event_url)
    href = page.locator("[data-gallery] a").first.get_attribute("href") or ""
    assert re.search(r"\.[0-9a-f]{10}\.\d+\.webp$", href)
    page.locator("[data-gallery] a").first.click()
    assert page.url.endswith(href)
    context.close()


def test_event_page_screenshots(browser: Browser, event_url: str) -> None:
    """Screenshots of an event page with its gallery at a phone's and a laptop's width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(event_url)
        for image in page.locator("img:not(.lightbox-image)").all():  # lazy photos load once scrolled to
            image.scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        broken = page.evaluate(
            "[...document.images].filter(i => !i.matches('.lightbox-image') && (!i.complete || i.naturalWidth === 0)).map(i => i.currentSrc || i.src)"
        )
        assert broken == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SCREENSHOTS / f"gallery-event-{width}.png"), full_page=True)
        page.close()


@pytest.mark.parametrize("width", [1280, 768])
def test_an_editorial_gallery_of_three_photos_leaves_no_column_empty(browser: Browser, built_editorial: Path, width: int) -> None:
    """The editorial theme sets its gallery in balanced columns; with three photos, two landscape
    and one portrait (the Kemang birthday), the columns put both landscapes in the first beside
    the portrait and left the third empty at a laptop's width. Where three columns fit, each
    photo now has its own; where two do (a tablet), the balanced columns fill both."""
    with serve_folder(built_editorial) as url:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(url + "events/kemang-sixtieth-birthday/")
        lefts = page.eval_on_selector_all(".gallery-grid li", "items => items.map(item => Math.round(item.getBoundingClientRect().left))")
        page.close()
    assert len(lefts) == 3
    assert len(set(lefts)) == (3 if width == 1280 else 2), lefts
