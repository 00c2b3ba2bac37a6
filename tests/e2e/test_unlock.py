"""The password page of a protected proposal, in Chromium through Playwright: the password is
never sent anywhere, the form is disabled (and says why) without JavaScript or WebCrypto,
and the page fits a phone from 320 to 430 px."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_support import PROTECTED, PROTECTED_PASSWORD, SCREENSHOTS, browser, proposal_path, serve_folder

__all__ = ["browser"]  # the fixture, from browser_support

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

UNSUPPORTED = (  # the protected demo proposal is in Indonesian, so is its lock page
    "Untuk membuka penawaran ini diperlukan peramban terkini dengan JavaScript aktif, misalnya Chrome, Firefox, Safari, atau Edge versi terbaru."
)


@pytest.fixture(scope="module")
def locked_url(built_demo: Path) -> Iterator[str]:
    with serve_folder(built_demo) as url:
        yield url + proposal_path(PROTECTED)


def requests_of(page: Page) -> list[str]:
    """Every request the page makes from now on: method, URL and body."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(f"{r.method} {r.url} {r.post_data or ''}"))
    return seen


def test_the_unlock_form_never_sends_the_password(browser: Browser, locked_url: str) -> None:
    """A wrong and a right password, each submitted with Enter: no request carries either, and no POST at all."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(locked_url, wait_until="networkidle")
    page.wait_for_function("!document.querySelector('[data-fields]').disabled")
    assert page.locator("[data-unsupported]").is_hidden()
    sent = requests_of(page)
    for password in ("not-the-password", PROTECTED_PASSWORD):
        page.fill("#password", password)
        page.press("#password", "Enter")
        page.wait_for_timeout(300)
    page.wait_for_function("document.title.startsWith('Pernikahan di Taman')", timeout=30_000)
    assert page.url == locked_url
    text = "\n".join(sent)
    assert PROTECTED_PASSWORD not in text and "not-the-password" not in text and "POST" not in text, text
    context.close()


@pytest.mark.parametrize("without", ["javascript", "webcrypto"])
def test_without_javascript_or_webcrypto_the_form_is_disabled_and_says_why(browser: Browser, locked_url: str, without: str) -> None:
    context = browser.new_context(java_script_enabled=without != "javascript")
    if without == "webcrypto":
        context.add_init_script("Object.defineProperty(Crypto.prototype, 'subtle', {get() { return undefined; }});")
    page = context.new_page()
    page.goto(locked_url, wait_until="networkidle")
    sent = requests_of(page)
    page.click("[data-unlock] button", force=True, no_wait_after=True)  # a click on a disabled button
    page.press("#password", "Enter", no_wait_after=True)
    page.wait_for_timeout(300)
    assert page.locator("[data-fields]").evaluate("f => f.disabled") is True
    assert page.locator("[data-unsupported]").is_visible()
    assert page.locator("[data-unsupported]").inner_text() == UNSUPPORTED
    assert page.url == locked_url and sent == []
    context.close()


@pytest.mark.parametrize("width", [320, 390, 430])
def test_the_password_page_fits_a_phone(browser: Browser, locked_url: str, width: int) -> None:
    """The button sits under the field, as wide as it, inside the screen: not a squeezed circle."""
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(locked_url, wait_until="networkidle")
    field = page.locator("#password").bounding_box()
    button = page.locator("[data-unlock] button").bounding_box()
    assert field is not None and button is not None
    sizes = page.evaluate("[document.documentElement.clientWidth, document.documentElement.scrollWidth]")
    assert sizes == [width, width]  # nothing sticks out sideways
    assert button["x"] >= 0 and button["x"] + button["width"] <= width
    assert button["width"] >= field["width"] and button["y"] >= field["y"] + field["height"]
    assert button["height"] < button["width"] / 3
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"proposal-locked-{width}.png"), full_page=True)
    context.close()
