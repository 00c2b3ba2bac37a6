"""`propgen serve` as a real process on a free loopback port."""

from __future__ import annotations

import asyncio
import http.client
import io
import json
import os
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
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import browser
from tornado.websocket import websocket_connect

from conftest import MINIMAL_PROPOSAL, REPO, free_port, propgen_env, run_propgen, write_files
from propgen.links import token
from propgen.serve import POLL_SECONDS, POLL_SHARE, poll_wait

__all__ = ["browser"]  # the fixture, from browser_support

if TYPE_CHECKING:
    from playwright.sync_api import Browser

EVENT = "title: Harbour Gala\ntype: gala\ndate: 2025-05-10\nsummary: A night on the water.\n"
PROPOSAL = MINIMAL_PROPOSAL


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
def serving(site: Path, *args: str, host: str = "127.0.0.1", env: dict[str, str] | None = None) -> Iterator[Server]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "propgen", "serve", "--site", str(site), "--port", str(port), "--host", host, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env or propgen_env(),
    )
    server = Server(process, f"http://127.0.0.1:{port}/")
    try:
        server.wait_for_line(f"serving http://{host}")
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
        # Write-ups alone changed: the cache in memory keeps the pages not showing them (cache.py's Shape).
        for words in ("A night by the sea.", "A night by the harbour."):
            (site / "content/events/gala.md").write_text(words + "\n")
            server.wait_for_page("events/gala/", lambda s, b, words=words: words in b)
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


def status_for_host(server: Server, path: str, host: str) -> tuple[int, str]:
    """A request to the server as a browser sends it after resolving `host` to this computer."""
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/" + path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_requests_addressed_to_another_name_are_refused(make_site: Callable[..., Path]) -> None:
    """DNS rebinding: a page at attacker.example points its name at 127.0.0.1 and reads the
    preview, /_propgen/ and its list of secret links included. The Host header gives it away."""
    site = make_site({"content/events/gala.yaml": EVENT, "content/proposals/harbour.yaml": PROPOSAL})
    with serving(site) as server:
        port = server.url.rsplit(":", 1)[1].strip("/")
        for path in ("", "_propgen/", "events/gala/", "livereload.js", "no/such/page/"):
            status, body = status_for_host(server, path, f"attacker.example:{port}")
            assert (status, body) == (
                403,
                "propgen serve answers only requests addressed to localhost or to the address it listens on.\n",
            ), path
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "localhost"):
            status, body = status_for_host(server, "_propgen/", host)
            assert status == 200 and "PT Harbour" in body, host
    assert not any("warning: --host" in line for line in server.lines)


def test_listening_on_every_address_warns_that_the_links_are_on_the_network(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": EVENT})
    with serving(site, host="0.0.0.0") as server:
        port = server.url.rsplit(":", 1)[1].strip("/")
        server.wait_for_line(
            f"warning: --host 0.0.0.0 lets other computers on your network reach this preview, and http://0.0.0.0:{port}/_propgen/"
            " lists every proposal's secret link to them (hint: leave out --host to keep the preview on this computer)"
        )
        assert status_for_host(server, "events/gala/", f"192.0.2.10:{port}")[0] == 200  # a phone on the network, by IP
        assert status_for_host(server, "events/gala/", f"attacker.example:{port}")[0] == 403


def test_a_rebuild_the_disk_refuses_shows_the_error_page_and_the_preview_recovers(make_site: Callable[..., Path]) -> None:
    """A proposal whose folder name is too long for the file system (ENAMETOOLONG, for real):
    the preview shows the error without the secret link, keeps watching, and comes back."""
    site = make_site({"content/events/gala.yaml": EVENT})
    secret = "serve-test-secret-0123456789abcdefghij"
    slug = "acme-" + "a" * 235
    with serving(site, env=propgen_env(PROPGEN_SECRET=secret)) as server:
        assert server.get("events/gala/")[0] == 200
        write_files(site, {f"content/proposals/{slug}.yaml": PROPOSAL})
        page = server.wait_for_page("events/gala/", lambda s, b: s == 500)
        assert "File name too long" in page
        server.wait_for_line("File name too long")
        (site / f"content/proposals/{slug}.yaml").unlink()
        body = server.wait_for_page("events/gala/", lambda s, b: s == 200)
        assert "Harbour Gala" in body
    shown = page + "\n".join(server.lines)
    assert token(secret, "proposal", slug) not in shown and secret not in shown and "Traceback" not in shown


def test_the_preview_pages_speak_the_site_language(make_site: Callable[..., Path]) -> None:
    """The preview index and the error page are propgen's own pages, in the site's `locale`
    (the first language of a multilingual site), from propgen's catalog."""
    site = make_site({"content/events/gala.yaml": EVENT + "draft: true\n", "content/proposals/harbour.yaml": PROPOSAL})
    config = site / "propgen.yaml"
    config.write_text(config.read_text().replace("locale: en", "languages: [id, en]"))
    with serving(site) as server:
        server.wait_for_line("PROPGEN_SECRET is not set: proposal links use a throwaway secret")
        status, body = server.get("_propgen/")
        assert status == 200 and '<html lang="id">' in body
        for words in ("Indeks pratinjau", "Penawaran dan prospektus sponsor (1)", "Berlaku hingga", "1 draf disembunyikan", "berlaku"):
            assert words in body, words
        assert "Preview index" not in body and "drafts hidden" not in body
        (site / "content/events/gala.yaml").write_text(EVENT + "guests: [unclosed\n")
        body = server.wait_for_page("", lambda s, b: s == 500)
        assert '<html lang="id">' in body and "Situs tidak dapat dibuat" in body and "content/events/gala.yaml:6:1" in body


def test_the_preview_processes_a_photo_once_and_shares_it_with_build(make_site: Callable[..., Path]) -> None:
    """A camera file takes a second of CPU: the preview keeps what it made in the site's
    .propgen-cache/images/ (where `propgen build` keeps it), so starting it again, or building,
    does not make it again."""
    from PIL import Image

    photo = io.BytesIO()
    Image.linear_gradient("L").resize((3000, 2000)).convert("RGB").save(photo, "JPEG")
    gallery = "gallery:\n  - {src: images/hall.jpg, alt: The hall}\n"
    site = make_site({"content/events/gala.yaml": EVENT + gallery, "static/images/hall.jpg": photo.getvalue()})
    cache = site / ".propgen-cache/images"
    with serving(site) as server:
        status, body = server.get("events/gala/")
        assert status == 200 and "hall." in body
    made = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert any(name.endswith(".2400.webp") for name in made), made
    with serving(site) as server:
        assert server.get("events/gala/")[0] == 200
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == made, "the second preview made nothing again"
    result = subprocess.run([sys.executable, "-m", "propgen", "build"], cwd=site, env=propgen_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == made, "the build found the preview's photos"


def test_a_save_does_not_derive_a_protected_pages_key_again(make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A protected page's key takes a tenth of a second of PBKDF2 on purpose; the preview
    derives it once, not at every save (it stays in the server's memory, never on disk).
    The page is the same after the save, and a new password makes a new key."""
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    from propgen.build import BuildOptions
    from propgen.cache import BuildCache
    from propgen.crypto import derive_key
    from propgen.dates import now_from_env
    from propgen.serve import Preview

    derive_key.cache_clear()  # whatever an earlier test of this process derived
    derived: list[bytes] = []
    derive = PBKDF2HMAC.derive
    monkeypatch.setattr(PBKDF2HMAC, "derive", lambda self, material: derived.append(material) or derive(self, material))
    site = make_site(
        {
            "content/events/gala.yaml": EVENT,
            "content/events/gala.md": "The night.\n",
            "content/proposals/harbour.yaml": PROPOSAL + "password_env: HARBOUR_PASSWORD\n",
        }
    )
    environ = {"PROPGEN_SECRET": "s" * 40, "HARBOUR_PASSWORD": "a long password", "SOURCE_DATE_EPOCH": "1794700800"}
    options = BuildOptions(site=site, out=site / "preview", now=now_from_env(environ), environ=environ, cache=BuildCache(None), jobs=1)
    preview = Preview(options, lambda line: None)
    assert preview.rebuild()
    page = next((site / "preview/p").rglob("index.html"))
    locked = page.read_bytes()
    assert derived == [b"a long password"]
    (site / "content/events/gala.md").write_text("The night, and the fireworks.\n")
    assert preview.rebuild()
    assert derived == [b"a long password"] and page.read_bytes() == locked
    preview.options = replace(options, environ={**environ, "HARBOUR_PASSWORD": "another long password"})
    assert preview.rebuild()
    assert derived == [b"a long password", b"another long password"] and page.read_bytes() != locked


def test_a_save_compiles_only_the_templates_that_changed(make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each build makes its Jinja environments anew, and compiling a page's templates again
    was a third of a save (0.1 s). Their compiled code stays in the server's memory: a save
    of a write-up compiles nothing, a template saved is compiled again and shown."""
    import jinja2

    from propgen.build import BuildOptions
    from propgen.cache import BuildCache
    from propgen.dates import now_from_env
    from propgen.serve import Preview

    compiled: list[str | None] = []
    compile_source = jinja2.Environment.compile
    monkeypatch.setattr(
        jinja2.Environment,
        "compile",
        lambda self, source, name=None, *a, **k: compiled.append(name) or compile_source(self, source, name, *a, **k),
    )
    event = (REPO / "src/propgen/themes/default/templates/event.html").read_text()
    site = make_site(
        {"content/events/gala.yaml": EVENT, "content/events/gala.md": "The night.\n", "themes/default/templates/event.html": event}
    )
    environ = {"SOURCE_DATE_EPOCH": "1794700800"}
    options = BuildOptions(site=site, out=site / "preview", now=now_from_env(environ), environ=environ, cache=BuildCache(None), jobs=1)
    preview = Preview(options, lambda line: None)
    assert preview.rebuild() and "event.html" in compiled
    (site / "content/events/gala.md").write_text("The night, and the fireworks.\n")
    compiled.clear()
    assert preview.rebuild()
    assert compiled == [] and "the fireworks" in (site / "preview/events/gala/index.html").read_text()
    (site / "themes/default/templates/event.html").write_text(event.replace("{% block main %}", "{% block main %}<!-- saved again -->", 1))
    assert preview.rebuild()
    assert compiled == ["event.html"] and "<!-- saved again -->" in (site / "preview/events/gala/index.html").read_text()


@pytest.mark.parametrize("looked", [0.0005, 0.02, 0.1, 0.5, 3.0])
def test_an_idle_preview_spends_at_most_a_tenth_of_a_core_looking_for_saves(looked: float) -> None:
    """The preview looks at every input file's time and size to see a save. Every 0.2 s, a
    site of 20,000 files (0.1 s a look) kept a third of a core busy while nobody typed; the
    wait after a look now grows with how long the look took, and never drops below 0.2 s."""
    wait = poll_wait(looked)
    assert wait >= POLL_SECONDS
    assert looked / (looked + wait) <= POLL_SHARE + 1e-9
    assert wait == POLL_SECONDS or looked / (looked + wait) == pytest.approx(POLL_SHARE)  # no longer than needed


def test_a_save_in_a_dot_folder_or_a_linked_folder_of_static_is_seen(make_site: Callable[..., Path]) -> None:
    """The preview watched fewer files than the build publishes: it skipped every name
    starting with a dot (static/.well-known/ is published) and never went into a folder
    reached through a link (static/photos -> ../photos, which the build follows inside the
    site), so saving there showed the old file until some other save."""
    site = make_site({"content/events/gala.yaml": EVENT, "static/.well-known/security.txt": "Contact: one\n", "photos/menu.txt": "Soup\n"})
    (site / "static/photos").symlink_to("../photos")
    with serving(site) as server:
        assert server.get(".well-known/security.txt") == (200, "Contact: one\n")
        assert server.get("photos/menu.txt") == (200, "Soup\n")
        (site / "static/.well-known/security.txt").write_text("Contact: two\n")
        server.wait_for_page(".well-known/security.txt", lambda s, b: b == "Contact: two\n")
        (site / "photos/menu.txt").write_text("Fish\n")
        server.wait_for_page("photos/menu.txt", lambda s, b: b == "Fish\n")


def test_saves_that_do_not_walk_the_preview_folder_leave_it_as_a_clean_build_would(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview folder is the server's own: after its first build, a save takes what the
    last one wrote as what the folder holds instead of walking it (a fifth of a save at 10,000
    events), and keeps the cache's records as decoded. Through edits, events added, renamed and
    deleted, a static folder turned into a file and a save with an error, the folder stays
    byte for byte what a clean build makes, with nothing left over. The saves are told which
    files moved, as the watcher tells them: a save of files already in content/events/ looks
    at those alone there (20,000 `stat`s fewer at 10,000 events); a file made or deleted
    there has the folder walked."""
    import propgen.cache
    import propgen.stamps
    import propgen.write
    from propgen.build import BuildOptions, build
    from propgen.cache import BuildCache
    from propgen.dates import now_from_env
    from propgen.serve import Preview, differing, snapshot

    events_walked: list[bool] = []
    lines = propgen.stamps._lines
    monkeypatch.setattr(
        propgen.stamps,
        "_lines",
        lambda root, skip=frozenset(), *rest, **named: (
            events_walked.append(root.name == "content" and "events" not in skip) or lines(root, skip, *rest, **named)
        ),
    )
    walks: list[str] = []
    compare = propgen.write._compare
    monkeypatch.setattr(propgen.write, "_compare", lambda outputs, out: walks.append(out.name) or compare(outputs, out))
    decoded: list[str] = []
    from_json = propgen.cache.Stored.from_json.__func__  # type: ignore[attr-defined]

    def counted(cls: type, data: object, *rest: object) -> object:
        if data is not None:  # a page recorded by the last build
            decoded.append("")
        return from_json(cls, data, *rest)

    monkeypatch.setattr(propgen.cache.Stored, "from_json", classmethod(counted))
    site = make_site(
        {
            "content/events/gala.yaml": EVENT + "tags: [harbour]\n",
            "content/events/gala.md": "The night.\n",
            "content/events/forum.yaml": EVENT.replace("Harbour Gala", "Harbour Forum"),
            "static/extra/notes.txt": "Notes\n",
        }
    )
    environ = {"SOURCE_DATE_EPOCH": "1794700800"}
    options = BuildOptions(site=site, out=tmp_path / "preview", now=now_from_env(environ), environ=environ, cache=BuildCache(None), jobs=1)
    preview = Preview(options, lambda line: None)

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    def same_as_clean(step: str) -> None:
        clean = tmp_path / f"clean-{step}"
        assert build(replace(options, out=clean, cache=None)).written
        assert files(tmp_path / "preview") == files(clean), step

    assert preview.rebuild()
    same_as_clean("first")
    assert walks.count("preview") == 1
    steps: list[tuple[str, Callable[[], None]]] = [
        ("write-up edited", lambda: (site / "content/events/gala.md").write_text("The night, and the fireworks.\n")),
        ("record edited", lambda: (site / "content/events/forum.yaml").write_text(EVENT.replace("Harbour Gala", "Harbour Forum, moved"))),
        (
            "write-up replaced by one of the same size and time",
            lambda: replaced_keeping_time(site / "content/events/gala.md", "The night, and the fireworkz.\n"),
        ),
        (
            "event added",
            lambda: (site / "content/events/regatta.yaml").write_text(EVENT.replace("Harbour Gala", "Regatta") + "tags: [sea]\n"),
        ),
        (
            "folder made a file",
            lambda: (
                (site / "static/extra/notes.txt").unlink()
                or (site / "static/extra").rmdir()
                or (site / "static/extra").write_text("A file\n")
            ),
        ),
        ("event renamed", lambda: [(site / f"content/events/gala{x}").rename(site / f"content/events/night{x}") for x in (".yaml", ".md")]),
        ("event deleted", lambda: (site / "content/events/regatta.yaml").unlink()),
    ]
    for step, change in steps:
        before = snapshot(preview.watched, site)
        change()
        decoded.clear()
        events_walked.clear()
        assert preview.rebuild(differing(before, snapshot(preview.watched, site))), step
        assert any(events_walked) == (step in ("event added", "event renamed", "event deleted")), step
        same_as_clean(step)
        # No record is decoded as a save starts: the last build left each one decoded (those of
        # the pages it kept as it read them, those of the pages it rendered at its end), so a
        # save decodes the records of the pages it renders itself, and only at its end.
        rendered = preview.state.result.rendered if preview.state.result else 0
        assert len(decoded) <= rendered, (step, len(decoded), rendered)
    before = snapshot(preview.watched, site)
    (site / "content/events/forum.yaml").write_text(EVENT.replace("2025-05-10", "10 May 2025"))
    after = snapshot(preview.watched, site)
    assert not preview.rebuild(differing(before, after))  # stopped by its error before writing: the folder is as it was, and still known
    (site / "content/events/forum.yaml").write_text(EVENT.replace("Harbour Gala", "Harbour Forum, again"))
    assert preview.rebuild(differing(after, snapshot(preview.watched, site)))
    same_as_clean("fixed")
    assert walks.count("preview") == 1  # only the first build walked the preview folder


def replaced_keeping_time(path: Path, text: str) -> None:
    """An editor's save by renaming a new file over the old one, or `cp -p`: a new file (a new
    inode) whose size and modification time may be the old one's."""
    old = path.stat()
    new = path.with_name(path.name + ".new")
    new.write_text(text)
    assert new.stat().st_size == old.st_size
    os.utime(new, ns=(old.st_atime_ns, old.st_mtime_ns))
    os.replace(new, path)


def watched(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[], None], seconds: float, said: list[str] | None = None
) -> list[tuple[str, float]]:
    """What the preview's watcher does, in its own thread as `propgen serve` runs it, for
    `seconds` after `change` (made once its first build is done): each whole look at the
    site's files, build and reload, with the time it happened."""
    import propgen.serve
    from propgen.build import BuildOptions
    from propgen.cache import BuildCache
    from propgen.dates import now_from_env
    from propgen.serve import Preview, snapshot

    environ = {"SOURCE_DATE_EPOCH": "1794700800"}
    options = BuildOptions(site=site, out=tmp_path / "preview", now=now_from_env(environ), environ=environ, cache=BuildCache(None), jobs=1)
    preview = Preview(options, (said if said is not None else []).append)
    before = snapshot(preview.watched, site)
    assert preview.rebuild()
    seen: list[tuple[str, float]] = []
    monkeypatch.setattr(
        propgen.serve,
        "snapshot",
        lambda paths, root, folders=None: seen.append(("look", time.monotonic())) or snapshot(paths, root, folders),
    )
    built = preview.rebuild
    monkeypatch.setattr(preview, "rebuild", lambda moved=None: seen.append(("build", time.monotonic())) or built(moved))

    class Loop:
        def add_callback(self, callback: Callable[[], None]) -> None:
            seen.append(("reload", time.monotonic()))

    watcher = threading.Thread(target=preview.watch, args=(Loop(), before), daemon=True)
    watcher.start()
    try:
        time.sleep(0.5)
        seen.clear()
        seen.append(("change", time.monotonic()))
        change()
        time.sleep(seconds)
    finally:
        preview.stopping.set()
        watcher.join(timeout=10)
    return seen


def test_a_save_is_built_once_the_files_that_moved_are_still_without_waiting_for_the_next_whole_look(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a save is seen, the preview waits for it to settle (an editor writes a file in
    steps). It looked at every input file again to know, spaced as its idle looks are: at
    10,000 events a look takes a tenth of a second and comes once a second, and a save waited
    a second more. The files that moved are looked at alone every 0.3 s now, then one whole
    look finds any other file of the burst, and the build follows."""
    import propgen.serve

    monkeypatch.setattr(propgen.serve, "poll_wait", lambda looked: 3.0)  # the looks of a site of 60,000 files
    site = make_site({"content/events/gala.yaml": EVENT, "content/events/gala.md": "The night.\n"})
    seen = watched(site, tmp_path, monkeypatch, lambda: (site / "content/events/gala.md").write_text("The fireworks.\n"), 7.0)
    kinds = [kind for kind, _at in seen]
    assert kinds.count("build") == 1, seen
    saw = next(at for kind, at in seen if kind == "look")  # the look that saw the save (or the last one, when it saw it)
    assert next(at for kind, at in seen if kind == "build") - saw < 1.5, seen  # the idle looks' spacing (3 s) is not waited
    assert "The fireworks" in (tmp_path / "preview/events/gala/index.html").read_text()


def test_a_save_is_seen_at_once_when_the_system_tells_of_it_however_far_apart_the_looks(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 20,000 files a look takes 0.2 s and the looks come about 2 s apart (a tenth of a
    core): a save waited for the next one, 1.3 to 2.6 s at 10,000 events before its build
    began. The system tells of a save (watchfiles), and the preview looks at once."""
    import propgen.serve

    monkeypatch.setattr(propgen.serve, "poll_wait", lambda looked: 60.0)  # no look of its own during the test
    site = make_site({"content/events/gala.yaml": EVENT, "content/events/gala.md": "The night.\n"})
    seen = watched(site, tmp_path, monkeypatch, lambda: (site / "content/events/gala.md").write_text("The fireworks.\n"), 4.0)
    change = next(at for kind, at in seen if kind == "change")
    build = next((at for kind, at in seen if kind == "build"), None)
    assert build is not None and build - change < 2.0, seen  # a look at once, 0.3 s to settle, a look: then the build
    assert "The fireworks" in (tmp_path / "preview/events/gala/index.html").read_text()


def test_only_the_folders_a_look_walks_are_watched_and_what_the_build_never_reads_wakes_nothing(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link the build refuses (static/usr -> a folder outside the site) is not watched: the
    system watched its whole tree (15,525 watches for /usr, out of the computer's shared
    limit) and every write there woke the preview. Writes in `__pycache__` or outside the
    site's inputs (its output, its cache) wake nothing either; propgen.yaml saved by renaming
    a new file over it, twice, is heard both times (a watch on the file itself was lost)."""
    import propgen.serve

    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    monkeypatch.setattr(propgen.serve, "poll_wait", lambda looked: 60.0)  # no look of its own during the test
    site = make_site({"content/events/gala.yaml": EVENT, "static/logo.txt": "logo\n"})
    (site / "static/ext").symlink_to(outside)
    folders: set[str] = set()
    propgen.serve.snapshot([site / "propgen.yaml", site / "content", site / "static"], site, folders)
    assert folders == {os.path.realpath(p) for p in (site, site / "content", site / "content/events", site / "static")}
    (site / "static/ext").unlink()  # (the build refuses it: the preview would show that error)

    def writes() -> None:
        (site / "static/__pycache__").mkdir()
        for n in range(5):
            (outside / "deep" / f"n{n}.txt").write_text("x")
            (site / "static/__pycache__" / f"m{n}.pyc").write_text("x")
            (site / "output").mkdir(exist_ok=True)
            (site / "output" / f"o{n}.html").write_text("x")
            time.sleep(0.1)
        config = (site / "propgen.yaml").read_text()
        for title in ("Sari Events", "Sari Wijaya Events"):
            replaced = site / "propgen.yaml.new"
            replaced.write_text(config + f"# {title}\n")
            os.replace(replaced, site / "propgen.yaml")
            time.sleep(1.5)

    seen = watched(site, tmp_path, monkeypatch, writes, 2.5)
    change = next(at for kind, at in seen if kind == "change")
    looks = [at - change for kind, at in seen if kind == "look"]
    assert [kind for kind, _at in seen].count("build") == 2, seen  # each save of propgen.yaml, none for the rest
    assert all(at > 0.5 for at in looks), looks  # nothing in the first half second woke a look


def test_a_system_that_does_not_tell_of_saves_leaves_the_looks_to_see_them(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A watch limit reached, a file system that cannot be watched: the preview says so once and
    sees saves at its looks, as it did before it was told of them."""
    import propgen.serve

    def refused(*paths: object, **options: object) -> object:
        raise OSError("OS file watch limit reached")

    monkeypatch.setattr(propgen.serve.watchfiles, "watch", refused)
    monkeypatch.setattr(propgen.serve, "poll_wait", lambda looked: 1.0)
    site = make_site({"content/events/gala.yaml": EVENT, "content/events/gala.md": "The night.\n"})
    said: list[str] = []
    seen = watched(site, tmp_path, monkeypatch, lambda: (site / "content/events/gala.md").write_text("The fireworks.\n"), 3.0, said)
    assert [kind for kind, _at in seen].count("build") == 1, seen
    assert "The fireworks" in (tmp_path / "preview/events/gala/index.html").read_text()
    notes = [line for line in said if line.startswith("note:")]
    assert notes == [
        "note: saves are seen at the preview's next look, not at once (the computer's limit of watched folders is reached:"
        " raise fs.inotify.max_user_watches to have them seen at once)"
    ]


def test_a_file_that_becomes_a_folder_is_built_once(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files that moved are looked at again as the whole look sees them: a file turned
    into a folder of files is gone, not a file of the folder's size and time, which every
    later look would find changed again, rebuilding and reloading every tab forever."""
    site = make_site({"content/events/gala.yaml": EVENT, "static/extra": "A file\n"})

    def into_a_folder() -> None:
        (site / "static/extra").unlink()
        (site / "static/extra").mkdir()
        (site / "static/extra/notes.txt").write_text("Notes\n")

    seen = watched(site, tmp_path, monkeypatch, into_a_folder, 3.0)
    builds = [at for kind, at in seen if kind == "build"]
    assert len(builds) == 1 and builds[0] - seen[0][1] < 2.0, seen  # built once, soon, and then quiet
    assert (tmp_path / "preview/extra/notes.txt").read_text() == "Notes\n"


def test_what_is_made_by_hand_in_the_preview_folder_never_stops_its_saves(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """A save takes what the last build wrote as what the preview folder holds. A file made
    there by hand where a save needs a folder, or a folder where it needs a file, made every
    save fail to publish ("the next build finishes publishing it", and none did): such a save
    now looks at the folder as a clean build would, and the folder ends up as a clean build."""
    from propgen.build import BuildOptions, build
    from propgen.cache import BuildCache
    from propgen.dates import now_from_env
    from propgen.serve import Preview

    site = make_site({"content/events/gala.yaml": EVENT})
    environ = {"SOURCE_DATE_EPOCH": "1794700800"}
    out = tmp_path / "preview"
    options = BuildOptions(site=site, out=out, now=now_from_env(environ), environ=environ, cache=BuildCache(None), jobs=1)
    preview = Preview(options, lambda line: None)
    assert preview.rebuild()

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    (out / "notes").write_text("mine\n")  # where static/notes/ will go
    write_files(site, {"static/notes/menu.txt": "Soup\n"})
    assert preview.rebuild() and preview.rebuild()
    (out / "events/regatta/index.html").mkdir(parents=True)  # where the new event's page will go
    write_files(site, {"content/events/regatta.yaml": EVENT.replace("Harbour Gala", "Regatta")})
    assert preview.rebuild() and preview.rebuild()
    assert build(replace(options, out=tmp_path / "clean", cache=None)).written
    assert files(out) == files(tmp_path / "clean")


def test_a_save_does_not_wait_for_the_search_index_which_is_made_when_asked(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind reads every page each time it runs (a second at 1,000 events, 13 s at 10,000),
    so the preview does not run it at every save: the first request for a file of the index
    after a save has it made, from the pages the preview folder holds, and later requests get
    the same index. Pagefind's own scripts come from a bundle of one page, so opening the
    search page (which every save reloads) indexes nothing. A save that changes no page
    Pagefind reads keeps the index it has; a Pagefind that fails is reported once."""
    import propgen.search_later
    from propgen.build import BuildOptions
    from propgen.cache import BuildCache
    from propgen.dates import now_from_env
    from propgen.serve import Preview

    runs: list[list[str]] = []
    run = propgen.search_later.run_pagefind

    def counted(program: Path, folder: Path, *rest: Any) -> Path | None:
        runs.append(sorted(p.relative_to(folder / "site").as_posix() for p in (folder / "site").rglob("*") if p.is_file()))
        return run(program, folder, *rest)

    monkeypatch.setattr(propgen.search_later, "run_pagefind", counted)
    site = make_site(
        {
            "content/events/gala.yaml": EVENT,
            "content/events/gala.md": "The night.\n",
            "content/events/forum.yaml": EVENT.replace("Harbour Gala", "Harbour Forum"),
            "content/proposals/harbour.yaml": PROPOSAL,
        }
    )
    environ = {"PROPGEN_SECRET": "s" * 40, "SOURCE_DATE_EPOCH": "1794700800"}
    out = tmp_path / "preview"
    options = BuildOptions(
        site=site, out=out, now=now_from_env(environ), environ=environ, cache=BuildCache(None), jobs=1, search_later=True
    )
    preview = Preview(options, lambda line: None)
    assert preview.rebuild()
    assert runs == [] and not (out / "pagefind").exists()
    assert "pagefind/" in (out / "search/index.html").read_text()  # the search page is there, and asks for the bundle
    lines: list[str] = []
    preview.log = lines.append
    program = preview.search_folder("pagefind-ui.js")  # the search page opened
    assert program is not None and (program / "pagefind-ui.js").is_file() and (program / "pagefind-ui.css").is_file()
    assert runs == [["index.html"]] and lines == []  # one page of its own, not the site's
    for other in ("notes.txt", "missing/", "../../x.pf_meta"):  # no file of Pagefind's: nothing run for it
        assert preview.search_folder(other) is None and len(runs) == 1, other
    first = preview.search_folder("pagefind-entry.json")  # the first search
    assert first is not None and runs[1:] == [["events/forum/index.html", "events/gala/index.html"]], runs
    assert len(lines) == 1 and lines[0].startswith("search index made of 2 pages in "), lines
    entry = json.loads((first / "pagefind-entry.json").read_text())
    assert sum(language["page_count"] for language in entry["languages"].values()) == 2
    assert preview.search_folder("pagefind-ui.js") == first  # the index's own copy, once there is one
    page = out / "events/forum/index.html"
    held = page.read_bytes()
    page.unlink()
    assert preview.search_folder("pagefind-entry.json") == first and len(runs) == 2  # the same index, the pages not read again
    page.write_bytes(held)
    (site / "content/proposals/harbour.yaml").write_text(PROPOSAL.replace("Harbour", "Quay"))
    assert preview.rebuild()
    assert preview.search_folder("pagefind-entry.json") == first and len(runs) == 2  # no page Pagefind reads changed
    (site / "content/events/gala.md").write_text("The night, and the fireworks.\n")
    assert preview.rebuild()
    assert preview.search_folder("pagefind-ui.js") == first and len(runs) == 2  # the save and the page's reload ran nothing
    again = preview.search_folder("pagefind-entry.json")
    assert again is not None and again != first and len(runs) == 3
    assert (again / "pagefind.js").is_file() and not first.exists()  # the old index is gone
    # A Pagefind that fails: said once, at propgen.yaml, however many requests ask.
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 1\n")
    failing.chmod(0o755)
    assert preview.search is not None
    preview.search.program = failing
    (site / "content/events/gala.md").write_text("The night, and the lanterns.\n")
    assert preview.rebuild()
    lines.clear()
    assert preview.search_folder("pagefind-entry.json") is None and preview.search_folder("pagefind-entry.json") is None
    assert lines == [
        f"{site / 'propgen.yaml'}:1:1: error: Pagefind could not index the site: Error: something broke"
        " (hint: reinstall it (pip install 'propgen[search]'), or uninstall it to build without search)"
    ]


def test_a_stopping_preview_stops_pagefind(tmp_path: Path) -> None:
    """Ctrl-C (or a signal from an editor or a process manager) while a search has Pagefind
    running: the server stops at once, with Pagefind, and leaves no working folder."""
    from propgen.errors import Location, Report
    from propgen.search_later import IndexWhenAsked

    slow = tmp_path / "pagefind"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(0o755)
    index = IndexWhenAsked(slow, Location("propgen.yaml"))
    report = Report()

    def pages() -> Any:
        yield "events/gala/index.html", b"<html><body>The night.</body></html>"

    found: list[object] = []
    search = threading.Thread(target=lambda: found.append(index.folder_of("pagefind-entry.json", 1, pages, report)))
    search.start()
    deadline = time.monotonic() + 10
    while index.process is None:
        assert time.monotonic() < deadline, "Pagefind never started"
        time.sleep(0.02)
    made = set(index.folders)
    started = time.monotonic()
    index.stop()
    search.join(timeout=10)
    assert not search.is_alive() and time.monotonic() - started < 3
    assert found == [(None, 0)]
    assert made and not any(folder.exists() for folder in made)  # its copy of the pages and its bundle
    assert index.folder_of("pagefind-entry.json", 2, pages, report) == (None, 0)  # stopped: none starts again
    assert index.process is None


def test_the_preview_search_finds_what_was_just_saved(make_site: Callable[..., Path], browser: Browser) -> None:
    """The search page of `propgen serve`, in Chromium: it finds a write-up's words, and after a
    save the words saved, from the index the server makes when the page asks for it."""
    site = make_site(
        {
            "content/events/gala.yaml": EVENT,
            "content/events/gala.md": "The night of the lanterns.\n",
            "static/pagefind/notes.txt": "Ours, not Pagefind's.\n",
        }
    )

    def titles(url: str, words: str) -> list[str]:
        page = browser.new_page()
        page.goto(url + "search/")
        page.locator(".pagefind-ui__search-input").fill(words)
        page.wait_for_function(
            "words => { const text = (document.querySelector('.pagefind-ui__message') || {}).textContent || '';"
            " return text.includes(words) && !text.trimEnd().endsWith('...'); }",
            arg=words,
            timeout=30_000,
        )
        page.wait_for_function("!document.querySelector('.pagefind-ui__results .pagefind-ui__loading')")
        found = page.locator(".pagefind-ui__result-title").all_inner_texts()
        page.close()
        return found

    def indexed() -> list[str]:
        return [line for line in server.lines if line.startswith("search index made")]

    with serving(site) as server:
        page = browser.new_page()
        page.goto(server.url + "search/")
        page.locator(".pagefind-ui__search-input").wait_for()  # Pagefind's interface is there, from its own files
        page.close()
        assert indexed() == []  # starting the preview, and opening the search page, made no index
        assert server.get("pagefind/notes.txt") == (200, "Ours, not Pagefind's.\n")  # a file of static/pagefind/, as the build publishes it
        assert titles(server.url, "lanterns") == ["Harbour Gala"]
        assert titles(server.url, "fireworks") == []
        assert len(indexed()) == 1 and indexed()[0].startswith("search index made of 1 page in "), server.lines
        (site / "content/events/gala.md").write_text("The night of the fireworks.\n")
        server.wait_for_page("events/gala/", lambda s, b: "fireworks" in b)
        server.wait_for_line("rebuilt")
        assert len(indexed()) == 1  # the save did not run Pagefind
        assert titles(server.url, "fireworks") == ["Harbour Gala"]
        assert len(indexed()) == 2
        assert server.get("pagefind/no-such-file.js")[0] == 404


def test_a_file_of_static_where_pagefind_writes_is_an_error_in_the_preview_as_in_the_build(make_site: Callable[..., Path]) -> None:
    """The preview makes the index only when the search page asks for it, and serves the site's
    own files of pagefind/ before it: a file Pagefind also writes would have left the preview's
    search broken without a word, where `propgen build` failed on the clash."""
    site = make_site({"content/events/gala.yaml": EVENT, "static/pagefind/notes.txt": "Ours.\n"})
    with serving(site) as server:
        assert server.get("pagefind/notes.txt") == (200, "Ours.\n")  # a name Pagefind never uses
        (site / "static/pagefind/pagefind-ui.js").write_text("// my own search\n")
        body = server.wait_for_page("events/gala/", lambda s, b: s == 500)
        assert "static/pagefind/pagefind-ui.js:1:1" in body and "where propgen publishes the site&#39;s search index" in body
        expected = "static/pagefind/pagefind-ui.js:1:1: error: this would be written to /pagefind/pagefind-ui.js, where propgen"
        server.wait_for_line(expected)
        (site / "static/pagefind/pagefind-ui.js").unlink()
        server.wait_for_page("events/gala/", lambda s, b: s == 200)
    (site / "static/pagefind/pagefind-ui.js").write_text("// my own search\n")
    build = run_propgen("build", cwd=site)
    assert build.returncode == 1 and build.stderr.startswith(expected), build.stderr


def test_the_watcher_watches_every_file_the_build_publishes_and_ignores_editors_droppings(make_site: Callable[..., Path]) -> None:
    """The watcher's rule is the build's own (`is_junk`): a file the build publishes is watched,
    so a save there is shown (`notes.tmp` was ignored, and stayed stale until another save), and
    an editor's dropping is neither watched nor published nor warned about in content/ (Emacs's
    `#gala.md#` was published from static/ and a warning in content/events/)."""
    from propgen.build import BuildOptions, build
    from propgen.dates import now_from_env
    from propgen.serve import Preview, snapshot

    droppings = ["#gala.md#", ".#gala.md", ".gala.md.swp", "gala.md~", ".DS_Store", "Thumbs.db"]
    site = make_site(
        {
            "content/events/gala.yaml": EVENT,
            "static/notes.tmp": "kept\n",
            "static/notes.swp": "kept too\n",
            **{f"content/events/{name}": "dropping\n" for name in droppings},
            **{f"static/{name}": "dropping\n" for name in droppings},
        }
    )
    environ = {"SOURCE_DATE_EPOCH": "1794700800"}
    result = build(BuildOptions(site=site, out=site / "output", now=now_from_env(environ), environ=environ))
    assert result.written and result.report.problems == []
    assert sorted(p.name for p in (site / "output").iterdir() if p.name.startswith(("notes", "#", ".", "gala", "Thumbs"))) == [
        ".propgen-output",
        "notes.swp",
        "notes.tmp",
    ]
    preview = Preview(BuildOptions(site=site, out=site / "p", now=now_from_env(environ)), print)
    watched = {Path(path).relative_to(site).as_posix() for path in snapshot(preview.watched, site) if Path(path).is_relative_to(site)}
    assert {"static/notes.tmp", "static/notes.swp", "content/events/gala.yaml"} <= watched
    assert not any(Path(path).name in droppings for path in watched)


def test_a_nudge_is_kept_while_the_preview_is_deaf_and_heeded_after(tmp_path: Path) -> None:
    """After a nudge whose look found nothing (a file's permissions changed, a write nothing
    reads), nudges wait: a stream of them cannot keep the preview looking at every file. One
    that comes meanwhile is heeded when the wait is over, not lost."""
    from propgen.serve import Nudges

    stopping = threading.Event()
    nudges = Nudges(tmp_path, stopping, print)
    nudges.nudged.set()
    started = time.monotonic()
    assert nudges.wait(5.0, deaf=0.6)
    assert 0.6 <= time.monotonic() - started < 1.5
    started = time.monotonic()
    assert not nudges.wait(0.3, deaf=1.0)  # deaf for longer than the wait: the wait's own end
    assert 0.3 <= time.monotonic() - started < 0.8
    nudges.nudged.set()
    stopping.set()
    assert not nudges.wait(5.0)  # stopping: no nudge heeded, no wait
