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
from typing import Any

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
    def log_message(self, format: str, *args: Any) -> None:
        pass


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
