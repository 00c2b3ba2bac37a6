"""The enquiry form in Chromium through Playwright, as a visitor uses it: without a form
service it opens the mail app with every filled field in the body (the demo); with one it
POSTs the documented field names (to a server on the loopback interface) and the visitor lands
on /thanks/; a refused field says why, next to it; without JavaScript a plain email link."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import SCREENSHOTS, browser, serve_folder

from conftest import BASE_CONFIG, THEMES, run_propgen

__all__ = ["browser"]  # the fixture, from browser_support

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="module", params=THEMES)
def demo_url(request: pytest.FixtureRequest, built_themes: dict[str, Path]) -> Iterator[str]:
    """The demo in each built-in theme: the form, its fields and its script are default's in both.
    The tests read its English pages (/en/): the demo is Indonesian at the root."""
    with serve_folder(built_themes[request.param]) as url:
        yield url


def test_without_a_service_the_form_opens_the_mail_app_with_the_fields(
    browser: Browser, demo_url: str, request: pytest.FixtureRequest
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(demo_url + "en/contact/")
    assert page.locator("[data-enquiry-fallback]").is_hidden()
    page.get_by_label("Your name").fill("Dewi Lestari")
    page.get_by_label("Email").fill("dewi@example.com")
    page.get_by_label("Phone or WhatsApp").fill("+62 811 000 111")
    page.get_by_label("Kind of event").select_option("wedding")
    page.get_by_label("Date").fill("2027-06-12")
    page.get_by_label("Number of guests").fill("180")
    page.get_by_label("City or region").fill("Ubud, Bali")
    page.get_by_label("Budget range").fill("IDR 400–600 million")
    page.get_by_label("Tell us about your event").fill("A garden wedding.\nTwo days, with a welcome dinner.")
    page.locator("[data-enquiry] button[type=submit]").click()
    status = page.locator("[data-enquiry-status]")
    assert status.inner_text().startswith("Your mail app should open with your enquiry. If it does not:")
    href = status.locator("a").get_attribute("href")
    assert href is not None
    address, _, query = href.partition("?")
    assert address == "mailto:hello@sariwijaya.example"
    fields = urllib.parse.parse_qs(query)
    assert fields["subject"] == ["Enquiry from Sari Wijaya Events"]
    assert fields["body"] == [
        "Your name: Dewi Lestari\r\nEmail: dewi@example.com\r\nPhone or WhatsApp: +62 811 000 111\r\nKind of event: Wedding\r\n"
        "Date: 2027-06-12\r\nNumber of guests: 180\r\nCity or region: Ubud, Bali\r\nBudget range: IDR 400–600 million\r\n"
        "Message: A garden wedding.\nTwo days, with a welcome dinner."
    ]
    theme = request.node.callspec.params["demo_url"]
    page.screenshot(path=str(SCREENSHOTS / f"{theme}-contact-enquiry-sent-390.png"), full_page=True)
    page.close()


def test_a_refused_field_says_why_next_to_it(browser: Browser, demo_url: str) -> None:
    page = browser.new_page()
    page.goto(demo_url + "en/contact/")
    page.get_by_label("Your name").fill("Dewi")
    page.get_by_label("Email").fill("not an address")
    page.locator("[data-enquiry] button[type=submit]").click()
    email = page.locator("#enquiry-email")
    assert email.get_attribute("aria-invalid") == "true"
    assert email.get_attribute("aria-describedby") == "enquiry-email-error"
    message = page.locator("#enquiry-email-error").inner_text()
    assert "@" in message  # Chromium's own words about the missing @
    assert page.locator("[data-enquiry-status]").inner_text() == ""  # nothing was sent
    email.fill("dewi@example.com")
    assert email.get_attribute("aria-invalid") is None and page.locator("#enquiry-email-error").inner_text() == ""
    page.close()


def test_after_an_event_the_kind_is_chosen_and_whatsapp_names_the_event(browser: Browser, demo_url: str) -> None:
    page = browser.new_page()
    page.goto(demo_url + "en/events/childrens-hospital-gala/")
    form = page.locator("#enquiry")
    assert form.get_by_role("heading").inner_text() == "Plan something like this"
    assert form.get_by_label("Kind of event").input_value() == "gala"
    title = page.locator("h1").inner_text()
    whatsapp = form.locator("a.whatsapp").get_attribute("href")
    assert whatsapp == "https://wa.me/6281255550101?text=" + urllib.parse.quote(
        f"Hello, I saw {title} and would like to plan something like it.", safe=""
    )
    page.close()


def test_without_javascript_a_plain_email_link(browser: Browser, demo_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url + "en/contact/")
    assert page.locator("[data-enquiry]").is_hidden()
    link = page.locator("[data-enquiry-fallback] a")
    assert link.is_visible()
    assert link.get_attribute("href") == "mailto:hello@sariwijaya.example?subject=Enquiry%20from%20Sari%20Wijaya%20Events"
    context.close()


class Receiver(http.server.BaseHTTPRequestHandler):
    """A form service: keeps each POST's fields and sends the visitor to the site's /thanks/."""

    received: list[dict[str, list[str]]]
    thanks: str

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.received.append(urllib.parse.parse_qs(self.rfile.read(length).decode(), keep_blank_values=True))
        self.send_response(303)
        self.send_header("Location", self.thanks)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.parametrize("theme", THEMES)
def test_with_a_service_the_fields_arrive_by_their_documented_names(browser: Browser, make_site: Any, theme: str) -> None:
    handler = type("Handler", (Receiver,), {"received": [], "thanks": ""})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    action = f"http://127.0.0.1:{server.server_address[1]}/f/abcd"
    try:
        site = make_site(
            {
                "propgen.yaml": BASE_CONFIG + f"theme: {theme}\nenquiry:\n  action: {action}\n",
                "content/events/gala.yaml": "title: Harbour Gala\ntype: gala\ndate: 2025-03-01\nsummary: A gala by the harbour.\n",
            }
        )
        result = run_propgen("build", cwd=site)
        assert result.returncode == 0, result.stderr
        with serve_folder(site / "output") as url:
            handler.thanks = url + "thanks/"
            page = browser.new_page()
            page.goto(url + "events/gala/")
            form = page.locator("#enquiry")
            form.get_by_label("Your name").fill("Budi")
            form.get_by_label("Email").fill("budi@example.com")
            form.get_by_label("Number of guests").fill("250")
            with page.expect_navigation():
                form.get_by_role("button", name="Send enquiry").click()
            assert page.url == url + "thanks/"
            assert page.locator("h1").inner_text() == "Thank you"
            page.close()
    finally:
        server.shutdown()
        server.server_close()
    assert handler.received == [
        {
            "inspired_by": ["Harbour Gala"],
            "name": ["Budi"],
            "email": ["budi@example.com"],
            "phone": [""],
            "event_type": ["gala"],
            "date": [""],
            "guests": ["250"],
            "message": [""],
        }
    ]
    thanks = (site / "output/thanks/index.html").read_text()
    assert '<meta name="robots" content="noindex">' in thanks
    assert "thanks" not in (site / "output/sitemap.xml").read_text()
