"""The demo in a real browser (Debian's Chromium, driven over the DevTools protocol):
a protected proposal opens with its password and says so for a wrong one, and the
proposal prints to A4."""

from __future__ import annotations

import asyncio
import base64
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from tornado.websocket import WebSocketClientConnection, websocket_connect

from conftest import DEMO_SECRET, free_port
from propgen.links import token

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("CI"):
    raise RuntimeError("CI must have Debian's chromium installed (.ci/run installs it)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium: apt-get install chromium")


@pytest.fixture(scope="module")
def site_url(built_demo: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(built_demo))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests: ClassVar[list[str]] = []  # every request line the server received, to show what a page sent

    def log_message(self, format: str, *args: Any) -> None:
        QuietHandler.requests.append(self.requestline)


@pytest.fixture(scope="module")
def devtools(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    assert CHROMIUM is not None
    process = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
            f"--remote-debugging-port={port}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=2) as response:
                response.read()
            break
        except OSError:
            assert time.monotonic() < deadline, "chromium did not start"
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


class Page:
    """Just enough of the DevTools protocol: call a method, evaluate JavaScript, wait."""

    def __init__(self, ws: WebSocketClientConnection) -> None:
        self.ws = ws
        self.next_id = 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        await self.ws.write_message(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = await asyncio.wait_for(self.ws.read_message(), timeout=60)
            assert message is not None, "the browser closed the connection"
            data = json.loads(message)
            if data.get("id") == self.next_id:
                assert "error" not in data, data
                return dict(data["result"])

    async def js(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 30) -> Any:
        deadline = time.monotonic() + timeout
        while not (value := await self.js(expression)):
            assert time.monotonic() < deadline, f"never true: {expression}"
            await asyncio.sleep(0.1)
        return value

    async def open(self, url: str) -> None:
        await self.call("Page.navigate", url=url)
        await asyncio.sleep(0.2)
        await self.wait_for("document.readyState === 'complete'")


def run_in_page(devtools: str, scenario: Any) -> Any:
    async def main() -> Any:
        request = urllib.request.Request(f"{devtools}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(request, timeout=10) as response:
            target = json.loads(response.read())
        ws = await websocket_connect(target["webSocketDebuggerUrl"], max_message_size=64 * 1024 * 1024)
        try:
            return await scenario(Page(ws))
        finally:
            ws.close()
            await asyncio.sleep(0.1)  # let the close handshake finish before the loop ends

    return asyncio.run(main())


def proposal_url(site_url: str, slug: str) -> str:
    return f"{site_url}p/{slug}-{token(DEMO_SECRET, 'proposal', slug)}/"


def test_protected_proposal_opens_with_the_password_in_a_browser(site_url: str, devtools: str) -> None:
    async def scenario(page: Page) -> None:
        await page.open(proposal_url(site_url, "pratama-lestari-wedding"))
        assert await page.js("document.title") == "Private proposal · Sari Wijaya Events"
        await page.js(
            "document.querySelector('#password').value = 'not the password'; document.querySelector('[data-unlock]').requestSubmit()"
        )
        await page.wait_for("!document.querySelector('[data-wrong]').hidden")
        await page.js("document.querySelector('#password').value = 'kebun-2027'; document.querySelector('[data-unlock]').requestSubmit()")
        title = await page.wait_for("document.title.startsWith('A Garden Wedding') && document.title")
        assert title == "A Garden Wedding in Ubud · Sari Wijaya Events"
        text = await page.js("document.querySelector('main').innerText")
        assert "Pratama & Lestari families" in text and "Payment schedule" in text
        assert await page.js("location.search") == ""  # the password never travels in the URL

    run_in_page(devtools, scenario)


def test_proposal_prints_to_clean_a4_pages(site_url: str, devtools: str) -> None:
    async def scenario(page: Page) -> bytes:
        await page.open(proposal_url(site_url, "nusantara-medika-forum"))
        result = await page.call("Page.printToPDF", preferCSSPageSize=True, printBackground=False)
        return base64.b64decode(result["data"])

    pdf = run_in_page(devtools, scenario)
    assert pdf.startswith(b"%PDF")
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert sizes, "no pages in the PDF"
    for width, height in sizes:
        assert abs(float(width) - 595.3) < 2 and abs(float(height) - 841.9) < 2  # A4 in points
    assert 2 <= len(sizes) <= 12


def test_events_index_filters_by_kind_in_the_browser(site_url: str, devtools: str) -> None:
    async def scenario(page: Page) -> None:
        await page.open(site_url + "events/")
        visible = "[...document.querySelectorAll('[data-cards] .card')].filter(c => !c.hidden).map(c => c.dataset.type)"
        everything = await page.js(visible)
        assert len(everything) >= 12 and len(set(everything)) == 5
        await page.js("document.querySelector('[data-filter=\"wedding\"]').click()")
        weddings = await page.js(visible)
        assert weddings and set(weddings) == {"wedding"} and len(weddings) == everything.count("wedding")
        assert await page.js("location.hash") == "#wedding"
        assert await page.js("document.querySelector('[data-filter=\"wedding\"]').getAttribute('aria-current')") == "page"
        await page.js("document.querySelector('[data-filter=\"\"]').click()")
        assert await page.js(visible) == everything

    run_in_page(devtools, scenario)


LOCKED = "pratama-lestari-wedding"


def test_the_unlock_form_never_sends_the_password(site_url: str, devtools: str) -> None:
    """With JavaScript: a wrong and a right password, typed and submitted with Enter; the
    server sees no request carrying either, and no POST at all."""

    async def scenario(page: Page) -> None:
        await page.open(proposal_url(site_url, LOCKED))
        await page.wait_for("!document.querySelector('[data-fields]').disabled")
        assert await page.js("document.querySelector('[data-unsupported]').hidden")
        QuietHandler.requests.clear()
        for password in ("not-the-password", "kebun-2027"):
            await page.js(f"document.querySelector('#password').value = '{password}'; document.querySelector('#password').focus()")
            for kind in ("keyDown", "keyUp"):
                await page.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13, text="\r")
            await asyncio.sleep(0.5)
        await page.wait_for("document.title.startsWith('A Garden Wedding')")
        assert await page.js("location.href") == proposal_url(site_url, LOCKED)

    run_in_page(devtools, scenario)
    sent = "\n".join(QuietHandler.requests)
    assert "kebun-2027" not in sent and "not-the-password" not in sent and "POST" not in sent, sent


def test_without_javascript_or_webcrypto_the_form_is_disabled_and_says_why(site_url: str, devtools: str) -> None:
    async def state(page: Page) -> dict[str, Any]:
        await page.open(proposal_url(site_url, LOCKED))
        await asyncio.sleep(0.3)
        field = "document.querySelector('#password')"
        button = "document.querySelector('[data-unlock] button')"
        # A click on the button and Enter in the field: with the fieldset disabled, neither submits.
        box = await page.js(f"(r => [r.x + r.width / 2, r.y + r.height / 2])({button}.getBoundingClientRect())")
        for kind in ("mousePressed", "mouseReleased"):
            await page.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)
        await page.js(f"{field}.focus()")
        for kind in ("keyDown", "keyUp"):
            await page.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13, text="\r")
        await asyncio.sleep(0.3)
        return dict(
            await page.js(
                "({disabled: document.querySelector('[data-fields]').disabled,"
                " message: getComputedStyle(document.querySelector('[data-unsupported]')).display !== 'none'"
                "   && document.querySelector('[data-unsupported]').innerText,"
                " focused: document.activeElement === document.querySelector('#password'),"
                " href: location.href})"
            )
        )

    async def without_javascript(page: Page) -> dict[str, Any]:
        await page.call("Emulation.setScriptExecutionDisabled", value=True)
        return await state(page)

    async def without_webcrypto(page: Page) -> dict[str, Any]:
        await page.call("Page.enable")
        await page.call(
            "Page.addScriptToEvaluateOnNewDocument",
            source="Object.defineProperty(Crypto.prototype, 'subtle', {get() { return undefined; }});",
        )
        return await state(page)

    QuietHandler.requests.clear()
    for scenario in (without_javascript, without_webcrypto):
        seen = run_in_page(devtools, scenario)
        assert seen == {
            "disabled": True,
            "message": "Opening this proposal needs a current browser with JavaScript turned on, such as a current version of Chrome,"
            " Firefox, Safari or Edge.",
            "focused": False,
            "href": proposal_url(site_url, LOCKED),
        }, scenario.__name__
    assert not [line for line in QuietHandler.requests if "?" in line or line.startswith("POST")]


def test_the_password_page_fits_a_phone(site_url: str, devtools: str, tmp_path: Path) -> None:
    """From 320 to 430 px wide the button sits under the field, as wide as it, inside the screen."""

    async def layout(page: Page, width: int) -> dict[str, Any]:
        await page.call("Emulation.setDeviceMetricsOverride", width=width, height=800, deviceScaleFactor=2, mobile=True)
        await page.open(proposal_url(site_url, LOCKED))
        boxes = await page.js(
            "(() => { const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top,"
            " bottom: r.bottom, width: r.width, height: r.height}; };"
            " return {field: box(document.querySelector('#password')), button: box(document.querySelector('[data-unlock] button')),"
            " viewport: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth}; })()"
        )
        if width == 390:
            shot = await page.call("Page.captureScreenshot", format="png")
            (tmp_path / "locked-390.png").write_bytes(base64.b64decode(shot["data"]))
        return dict(boxes)

    for width in (320, 390, 430):
        boxes = run_in_page(devtools, lambda page, width=width: layout(page, width))
        field, button = boxes["field"], boxes["button"]
        assert boxes["viewport"] == width and boxes["scroll"] == width, boxes  # nothing sticks out sideways
        assert button["left"] >= 0 and button["right"] <= width, boxes
        assert button["width"] >= field["width"] and button["top"] >= field["bottom"], boxes
        assert button["height"] < button["width"] / 3, boxes  # a button, not a squeezed circle
    assert (tmp_path / "locked-390.png").read_bytes().startswith(b"\x89PNG")
