"""The quote the client shapes, in Chromium: picking a package, changing a quantity and
ticking an option update every figure at once, exactly (money.py's figures for that
selection), on a desktop and a 390 px phone, in a protected proposal after unlocking too;
the acceptance then carries the choice. Screenshots before and after choosing are left in
tests/artifacts/screenshots/."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_support import SCREENSHOTS, browser, serve_folder
from test_closing import CLOSING

from conftest import DEMO_SECRET, STRONG_SECRET, propgen_env, run_propgen
from propgen.links import token

__all__ = ["browser"]  # the fixture, from browser_support

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PASSWORD = "harbour-pass-2027"
# money.py for the selection the test makes (Offer.figures; see test_quote_exact.py for the rules):
# Partial planning 6.000 + 122 x 45,50 + Live streaming 1.234,50 + Photographer 800 = 13.585,50;
# 5 % off = 679,28; 19 % tax on 12.906,22 = 2.452,18; total 15.358,40; 30 % = 4.607,52, rest 10.750,88.
AFTER = {"total": "15.358,40\xa0€", "payments": ["4.607,52\xa0€", "10.750,88\xa0€"], "cancellation": ["4.607,52\xa0€", "15.358,40\xa0€"]}
BEFORE = {"total": "17.251,43\xa0€", "payments": ["5.175,43\xa0€", "12.076,00\xa0€"], "cancellation": ["5.175,43\xa0€", "17.251,43\xa0€"]}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("quote")
    (site / "content/proposals").mkdir(parents=True)
    (site / "propgen.yaml").write_text(
        "title: Test Events\nbase_url: https://events.example/\nlocale: en\ncurrency: USD\n"
        "coordinator: {name: Test Coordinator, email: test@events.example}\n"
    )
    (site / "content/proposals/harbour.yaml").write_text(CLOSING)
    (site / "content/proposals/locked.yaml").write_text(CLOSING + "password_env: HARBOUR_PASSWORD\n")
    result = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET, HARBOUR_PASSWORD=PASSWORD))
    assert result.returncode == 0, result.stderr
    with serve_folder(site / "output") as url:
        yield url


def figures(page: Page) -> dict[str, object]:
    return {
        "total": page.locator('#budget [data-figure="total"]').first.inner_text(),
        "payments": page.locator('[data-figure="payment"]').all_inner_texts(),
        "cancellation": page.locator('[data-figure="cancellation"]').all_inner_texts(),
    }


def choose(page: Page) -> None:
    page.get_by_label("Partial planning").check()
    page.get_by_role("button", name="More: Dinner").click()
    page.get_by_role("button", name="More: Dinner").click()
    page.get_by_label("Live streaming").check()


def open_page(browser: Browser, url: str, width: int, errors: list[str], javascript: bool = True) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    page.goto(url, wait_until="networkidle")
    return page


@pytest.mark.parametrize("width", [1280, 390])
def test_choosing_updates_every_figure_exactly_and_the_acceptance_follows(browser: Browser, site_url: str, width: int) -> None:
    errors: list[str] = []
    page = open_page(browser, site_url + f"p/harbour-{token(STRONG_SECRET, 'proposal', 'harbour')}/", width, errors)
    assert figures(page) == BEFORE
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"quote-before-{width}.png"), full_page=True)
    choose(page)
    assert figures(page) == AFTER
    assert page.locator('[data-line="0"]').is_hidden() and page.locator('[data-line="1"]').is_visible()
    assert page.locator('[data-qty="2"]').input_value() == "122"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SCREENSHOTS / f"quote-after-{width}.png"), full_page=True)
    # the acceptance: nothing goes out before the client has typed their name
    assert page.get_by_role("button", name="Accept the proposal").is_disabled()
    page.get_by_label("Your full name").fill("Jana Krüger")
    assert page.get_by_role("button", name="Accept the proposal").is_enabled()
    form = {n: page.locator(f'input[type=hidden][name="{n}"]').input_value() for n in ("slug", "lines", "total_minor", "total", "currency")}
    assert form == {
        "slug": "harbour",
        "lines": "Partial planning: 1\nDinner: 122 pax\nLive streaming: 1\nPhotographer: 1",
        "total_minor": "1535840",
        "total": "15.358,40\xa0€",
        "currency": "EUR",
    }
    assert page.locator("[data-summary-total]").inner_text() == "15.358,40\xa0€"
    href = page.locator("[data-mailto]").get_attribute("href") or ""
    body = urllib.parse.unquote(href.split("&body=", 1)[1])
    assert "- Partial planning: 1\r\n- Dinner: 122 pax\r\n- Live streaming: 1\r\n- Photographer: 1" in body
    assert "Total: 15.358,40\xa0€ (EUR)\r\nFirst instalment: 4.607,52\xa0€" in body and "\r\nJana Krüger\r\n" in body
    assert token(STRONG_SECRET, "proposal", "harbour") not in href
    assert errors == []


def test_without_javascript_the_default_selection_is_shown_with_the_alternatives(browser: Browser, site_url: str) -> None:
    errors: list[str] = []
    page = open_page(browser, site_url + f"p/harbour-{token(STRONG_SECRET, 'proposal', 'harbour')}/", 390, errors, javascript=False)
    assert figures(page) == BEFORE
    assert page.locator(".choice-card").count() == 2 and page.get_by_text("3 planning meetings").is_visible()
    assert page.locator('[data-qty="2"]').is_hidden() and page.get_by_text("80 to 150").is_visible()


def test_a_protected_proposal_shapes_its_quote_after_unlocking(browser: Browser, site_url: str) -> None:
    errors: list[str] = []
    page = open_page(browser, site_url + f"p/locked-{token(STRONG_SECRET, 'proposal', 'locked')}/", 390, errors)
    page.wait_for_function("!document.querySelector('[data-fields]').disabled")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_selector("#budget", timeout=30_000)
    assert figures(page) == BEFORE
    choose(page)
    assert figures(page) == AFTER
    assert errors == []


MakeSite = Callable[[dict[str, str | bytes]], Path]


def test_the_acceptance_counts_units_as_the_page_does(browser: Browser, built_demo: Path) -> None:
    """The summary the client confirms says "2 days" and "20 booths", in the catalog's words."""
    errors: list[str] = []
    with serve_folder(built_demo) as url:
        page = open_page(
            browser, url + f"p/nusantara-medika-forum-{token(DEMO_SECRET, 'proposal', 'nusantara-medika-forum')}/", 1280, errors
        )
        page.get_by_label("Your full name").fill("Dewi Lestari")
        lines = page.locator('input[type=hidden][name="lines"]').input_value().splitlines()
    assert "Shangri-La Surabaya Grand Ballroom: 2 days" in lines, lines
    assert "Signage and sponsor booth shells: 20 booths" in lines, lines
    assert not errors
