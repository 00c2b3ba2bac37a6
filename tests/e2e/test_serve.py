"""`propgen serve` as a real process on a free loopback port."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tornado.websocket import websocket_connect

from conftest import free_port, propgen_env, write_files

EVENT = "title: Harbour Gala\ntype: gala\ndate: 2025-05-10\nsummary: A night on the water.\n"
PROPOSAL = """\
title: Harbour Forum 2027
client: {name: PT Harbour}
prepared_on: 2026-11-01
valid_until: 2027-01-31
event: {type: conference, date: 2027-06-12}
accept: {email: hello@events.example}
"""


class Server:
    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for_line(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"server never printed {text!r}; it printed: {self.lines}")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def wait_for_page(self, path: str, predicate: Callable[[int, str], bool], timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        status, body = self.get(path)
        while not predicate(status, body):
            assert time.monotonic() < deadline, f"{path} never changed as expected; last status {status}: {body[:300]}"
            time.sleep(0.1)
            status, body = self.get(path)
        return body


@contextmanager
def serving(site: Path, *args: str) -> Iterator[Server]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "propgen", "serve", "--site", str(site), "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=propgen_env(),
    )
    server = Server(process, f"http://127.0.0.1:{port}/")
    try:
        server.wait_for_line("serving http://127.0.0.1")
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        server.reader.join(timeout=5)
        assert process.stdout is not None
        process.stdout.close()
    assert process.returncode == 0, server.lines
    assert server.lines[-1] == "stopped"


def test_serves_the_site_with_livereload_and_rebuilds_on_save(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": EVENT})
    with serving(site) as server:
        status, body = server.get("events/gala/")
        assert status == 200
        assert "Harbour Gala" in body and "livereload.js" in body
        (site / "content/events/gala.yaml").write_text(EVENT.replace("Harbour Gala", "Harbour Ball"))
        server.wait_for_page("events/gala/", lambda s, b: "Harbour Ball" in b)
        status, _ = server.get("no/such/page/")
        assert status == 404


def test_a_yaml_error_shows_the_error_page_until_it_is_fixed(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": EVENT})
    with serving(site) as server:
        (site / "content/events/gala.yaml").write_text(EVENT + "guests: [unclosed\n")
        body = server.wait_for_page("events/gala/", lambda s, b: s == 500)
        assert "content/events/gala.yaml:6:1" in body and "this is not valid YAML" in body
        assert "livereload.js" in body  # so the browser reloads itself once fixed
        server.wait_for_line("content/events/gala.yaml:6:1: error: this is not valid YAML")
        (site / "content/events/gala.yaml").write_text(EVENT)
        body = server.wait_for_page("events/gala/", lambda s, b: s == 200)
        assert "Harbour Gala" in body
    assert sum("this is not valid YAML" in line for line in server.lines) == 1


def test_a_burst_of_saves_gives_one_rebuild_and_one_reload(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": EVENT})
    with serving(site) as server:
        messages: list[dict[str, object]] = []

        async def listen() -> None:
            ws = await websocket_connect(server.url.replace("http", "ws") + "livereload")
            await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
            await ws.read_message()
            await ws.write_message(json.dumps({"command": "info", "url": server.url}))
            await asyncio.sleep(0.3)
            rebuilt_before = sum(line.startswith("rebuilt") for line in server.lines)
            for n in range(8):
                write_files(site, {f"content/events/extra-{n}.yaml": EVENT.replace("Harbour Gala", f"Extra {n}")})
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not messages:
                try:
                    message = await asyncio.wait_for(ws.read_message(), timeout=0.5)
                except TimeoutError:
                    continue
                if message:
                    messages.append(json.loads(message))
            await asyncio.sleep(1.5)  # would any second reload or rebuild arrive?
            while True:
                try:
                    message = await asyncio.wait_for(ws.read_message(), timeout=0.2)
                except TimeoutError:
                    break
                if message:
                    messages.append(json.loads(message))
            ws.close()
            assert sum(line.startswith("rebuilt") for line in server.lines) - rebuilt_before == 1, server.lines

        asyncio.run(listen())
        assert [m["command"] for m in messages] == ["reload"]
        assert "Extra 7" in server.get("events/")[1]


def test_index_lists_proposals_and_drafts(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": EVENT + "draft: true\n", "content/proposals/harbour.yaml": PROPOSAL})
    with serving(site, "--drafts") as server:
        server.wait_for_line("PROPGEN_SECRET is not set: proposal links use a throwaway secret")
        status, body = server.get("_propgen/")
        assert status == 200
        assert "PT Harbour" in body and "Harbour Forum 2027" in body and "2027-01-31" in body and "valid" in body
        assert "Harbour Gala" in body  # the draft
        link = body.split('<a href="/p/harbour-', 1)[1].split('"', 1)[0]
        status, page = server.get("p/harbour-" + link.lstrip("/"))
        assert status == 200 and "Harbour Forum 2027" in page and "noindex" in page


def test_busy_port_is_a_one_line_error(make_site: Callable[..., Path]) -> None:
    site = make_site({})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "propgen", "serve", "--site", str(site), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            env=propgen_env(),
        )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert f"propgen: error: cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr


def test_preview_without_passwords_or_drafts_says_what_it_hides(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "content/events/gala.yaml": EVENT + "draft: true\n",
            "content/proposals/harbour.yaml": PROPOSAL + "password_env: HARBOUR_PASSWORD\n",
        }
    )
    with serving(site) as server:
        server.wait_for_line("HARBOUR_PASSWORD is not set: the preview protects that proposal with the password 'preview'")
        status, body = server.get("_propgen/")
        assert status == 200 and "1 draft hidden" in body and "password" in body
