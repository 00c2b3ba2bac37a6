"""`propgen check --links`, `check --out DIR`, `build --strict` and `check --external` as a user
runs them: each kind of broken reference reported exactly, where it was written; the demo has
none at the root of a domain or in a folder; external links against servers on loopback only."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import DEMO_REMINDERS, MINIMAL_PROPOSAL, STRONG_SECRET, demo_env, propgen_env, run_propgen
from propgen.links import token

MakeSite = Callable[[dict[str, str | bytes]], Path]

SUBPATH_CONFIG = """\
title: Test Events
base_url: https://events.example/site/
locale: en
currency: USD
coordinator: {name: Test Coordinator, email: test@events.example}
"""

# One site with every kind of broken reference: a missing page and a missing anchor written in
# Markdown, and in a template a missing stylesheet, a link outside base_url's folder and a
# missing srcset candidate.
BROKEN_SITE: dict[str, str | bytes] = {
    "propgen.yaml": SUBPATH_CONFIG,
    "content/pages/about.md": """\
        ---
        title: About
        menu: 1
        ---
        We plan events. See [our events](/events/nope/) and meet
        [the team](/contact/#crew).

        [Write to the team](/contact/#the-team) works, and so do [the events](/events/).
        """,
    "content/pages/contact.md": """\
        ---
        title: Contact
        menu: 2
        ---
        ## The team

        Write to us.
        """,
    "themes/default/templates/404.html": """\
        {% extends "base.html" %}
        {% block head %}<link rel="stylesheet" href="{{ site.assets_url }}print.css">{% endblock %}
        {% block main %}
        <p><a href="/contact/">Contact us</a></p>
        <img src="{{ site.url }}images/team.jpg" srcset="{{ site.url }}images/team.jpg 1x,{{ site.url }}images/team@2x.jpg 2x" alt="The team">
        {% endblock %}
        """,
    "static/images/team.jpg": b"not really a jpeg",
}

BROKEN_LINES = [
    "content/pages/about.md:5:34: error: broken link /site/about/ -> /site/events/nope/: no page or file has this address"
    " (hint: did you mean /site/events/?)",
    'content/pages/about.md:6:12: error: broken link /site/about/ -> /site/contact/#crew: /site/contact/ has no element with id="crew"'
    " (hint: link to an id the page has: a heading's id is its text in lowercase with hyphens, so ## The venue is #the-venue)",
    "themes/default/templates/404.html:2:67: error: broken link /site/404.html -> /site/assets/print.css (stylesheet):"
    " no page or file has this address (hint: did you mean /site/assets/site.css?)",
    "themes/default/templates/404.html:4:13: error: broken link /site/404.html -> /contact/: it points outside the site's folder /site/"
    " (hint: it works only when the site is at the root of its domain: in Markdown start links with / and propgen adds /site/;"
    " in templates use the addresses the context gives, such as site.url)",
    "themes/default/templates/404.html:5:97: error: broken link /site/404.html -> /site/images/team@2x.jpg (srcset):"
    " no page or file has this address (hint: did you mean /site/images/team.jpg?)",
]


def test_check_links_reports_each_kind_of_broken_reference_where_it_was_written(make_site: MakeSite) -> None:
    site = make_site(BROKEN_SITE)
    result = run_propgen("check", "--links", cwd=site)
    assert result.stderr.splitlines() == [*BROKEN_LINES, "check failed: 5 errors, 0 warnings"]
    assert result.returncode == 1
    assert not (site / "output").exists()


def test_check_without_links_does_not_look_at_links(make_site: MakeSite) -> None:
    site = make_site(BROKEN_SITE)
    result = run_propgen("check", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "links" not in result.stdout


def test_build_strict_fails_on_broken_links_and_keeps_the_previous_site(make_site: MakeSite) -> None:
    site = make_site(BROKEN_SITE)
    assert run_propgen("build", cwd=site).returncode == 0  # without --strict, links are not checked
    before = {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    (site / "content/pages/about.md").write_text((site / "content/pages/about.md").read_text().replace("We plan", "We host"))
    result = run_propgen("build", "--strict", cwd=site)
    assert result.stderr.splitlines() == [*BROKEN_LINES, "build failed: 5 problems; output/ was left as it was"]
    assert result.returncode == 1
    assert {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()} == before


def test_check_out_reports_broken_links_at_their_lines_in_the_built_files(make_site: MakeSite) -> None:
    site = make_site(BROKEN_SITE)
    assert run_propgen("build", cwd=site).returncode == 0
    result = run_propgen("check", "--out", "output", cwd=site)
    assert result.stderr.splitlines() == [
        "output/404.html:21:44: error: broken link /site/404.html -> /site/assets/print.css (stylesheet): no page or file has this address"
        " (hint: did you mean /site/assets/site.css?)",
        "output/404.html:39:4: error: broken link /site/404.html -> /contact/: it points outside the site's folder /site/"
        " (hint: it works only when the site is at the root of its domain: in Markdown start links with / and propgen adds /site/;"
        " in templates use the addresses the context gives, such as site.url)",
        "output/404.html:40:1: error: broken link /site/404.html -> /site/images/team@2x.jpg (srcset): no page or file has this address"
        " (hint: did you mean /site/images/team.jpg?)",
        "output/about/index.html:43:45: error: broken link /site/about/ -> /site/events/nope/: no page or file has this address"
        " (hint: did you mean /site/events/?)",
        'output/about/index.html:44:1: error: broken link /site/about/ -> /site/contact/#crew: /site/contact/ has no element with id="crew"'
        " (hint: link to an id the page has: a heading's id is its text in lowercase with hyphens, so ## The venue is #the-venue)",
        "check failed: 5 errors, 0 warnings",
    ]
    assert result.returncode == 1


def test_check_out_finds_a_file_deleted_after_the_build(make_site: MakeSite) -> None:
    site = make_site({"content/pages/about.md": "---\ntitle: About\nmenu: 1\n---\nHello.\n"})
    assert run_propgen("build", cwd=site).returncode == 0
    (site / "output/assets/site.css").unlink()
    result = run_propgen("check", "--out", "output", cwd=site)
    lines = result.stderr.splitlines()
    # the home page, the events index, /about/, /search/ (Pagefind is installed with the tests) and 404.html link it
    assert lines[-1] == "check failed: 5 errors, 0 warnings"
    assert all("-> /assets/site.css (stylesheet): no page or file has this address" in line for line in lines[:-1])
    assert result.returncode == 1


def test_check_out_says_how_to_check_a_folder_built_for_another_address(make_site: MakeSite) -> None:
    site = make_site({})
    assert run_propgen("build", "--base-url", "https://preview.example/pr-12/", cwd=site).returncode == 0
    result = run_propgen("check", "--out", "output", cwd=site)
    assert result.stderr == (
        "propgen: error: 'output' was built for https://preview.example/pr-12/, not https://events.example/"
        " (hint: add --base-url https://preview.example/pr-12/)\n"
    )
    assert result.returncode == 2
    result = run_propgen("check", "--out", "output", "--base-url", "https://preview.example/pr-12/", cwd=site)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("folder", ["missing", "content"])
def test_check_out_refuses_a_folder_that_is_not_a_built_site(make_site: MakeSite, folder: str) -> None:
    site = make_site({"content/pages/about.md": "---\ntitle: About\n---\nHello.\n"})
    result = run_propgen("check", "--out", folder, cwd=site)
    what = "does not exist" if folder == "missing" else "is not a built site: it has no index.html"
    assert result.stderr == f"propgen: error: '{folder}' {what} (hint: build the site first, e.g. propgen build --out DIR, or drop --out)\n"
    assert result.returncode == 2


@pytest.mark.parametrize("base_url", [None, "https://sari.github.io/portfolio/"], ids=["root", "subpath"])
def test_the_demo_has_no_broken_links(built_demo: Path, demo_copy: Path, base_url: str | None) -> None:
    args = ["--base-url", base_url] if base_url else []
    result = run_propgen("check", "--links", *args, cwd=demo_copy, env=demo_env())
    assert result.stderr.splitlines() == DEMO_REMINDERS
    assert result.returncode == 0
    assert " links in " in result.stdout


def test_the_built_demo_has_no_broken_links(built_demo: Path) -> None:
    result = run_propgen("check", "--out", str(built_demo), cwd=built_demo.parent, env=demo_env())
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


PROTECTED_PROPOSAL = MINIMAL_PROPOSAL + "password_env: HARBOUR_PASSWORD\n"


def test_a_broken_link_inside_a_protected_proposal_is_found_and_its_link_never_printed(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/proposals/harbour.yaml": PROTECTED_PROPOSAL,
            "content/proposals/harbour.md": "Dear team,\n\nsee [our galas](/events/type/gala/) and [the venue](#venue-options).\n",
        }
    )
    env = propgen_env(PROPGEN_SECRET=STRONG_SECRET, HARBOUR_PASSWORD="lighthouse-42")
    result = run_propgen("check", "--links", cwd=site, env=env)
    secret_link = token(STRONG_SECRET, "proposal", "harbour")
    assert secret_link not in result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        "content/proposals/harbour.md:3:17: error: broken link /p/harbour-…/ -> /events/type/gala/: no page or file has this address"
        " (hint: correct the address: pages are at /<slug>/, events at /events/<slug>/; links in Markdown start with /)",
        "content/proposals/harbour.md:3:53: error: broken link /p/harbour-…/ -> #venue-options: this page has no element"
        ' with id="venue-options" (hint: link to an id the page has: a heading\'s id is its text in lowercase with hyphens,'
        " so ## The venue is #the-venue)",
        "check failed: 2 errors, 0 warnings",
    ]
    assert result.returncode == 1


# -- external links, against servers on this machine's loopback interface only ------------------


class Answers(http.server.BaseHTTPRequestHandler):
    """/ok, /moved (to /ok), /missing (404), /busy (429), /slow (3 s), /wait (0.3 s); counts requests."""

    counts: dict[str, int]
    active: dict[str, int]
    peak: dict[str, int]
    lock: threading.Lock

    def do_GET(self) -> None:
        host = f"{self.server.server_address[1]}"  # type: ignore[index]
        with self.lock:
            self.counts[self.path] = self.counts.get(self.path, 0) + 1
            for key in (host, "all"):
                self.active[key] = self.active.get(key, 0) + 1
                self.peak[key] = max(self.peak.get(key, 0), self.active[key])
        try:
            if self.path == "/slow":
                time.sleep(3)
            if self.path.startswith("/wait"):
                time.sleep(0.3)
        finally:
            # Counted as done before the answer leaves: once the client has it, it may ask this
            # host again at once, before this thread would otherwise get here.
            with self.lock:
                for key in (host, "all"):
                    self.active[key] -= 1
        self.answer()

    def answer(self) -> None:
        status = {"/missing": 404, "/busy": 429, "/moved": 301}.get(self.path, 200)
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "/ok")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def answers() -> Iterator[Callable[[int], list[str]]]:
    """answers(n) -> n base URLs of servers on 127.0.0.1 (each port is a host of its own), sharing counters."""
    handler = type("Handler", (Answers,), {"counts": {}, "active": {}, "peak": {}, "lock": threading.Lock()})
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(count: int) -> list[str]:
        for _ in range(count):
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
        return [f"http://127.0.0.1:{s.server_address[1]}" for s in servers[-count:]]

    start.handler = handler  # type: ignore[attr-defined]
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def external_site(make_site: MakeSite, links: list[str]) -> Path:
    body = "\n".join(f"- [link {n}]({url})" for n, url in enumerate(links, start=1))
    return make_site({"content/pages/links.md": f"---\ntitle: Links\n---\n{body}\n"})


def test_check_external_reports_what_each_site_answered(make_site: MakeSite, answers: Any, tmp_path: Path) -> None:
    (host,) = answers(1)
    site = external_site(make_site, [f"{host}/ok", f"{host}/moved", f"{host}/missing", f"{host}/busy", f"{host}/slow"])
    env = propgen_env(XDG_CACHE_HOME=str(tmp_path / "cache"))
    result = run_propgen("check", "--external", "--timeout", "1", cwd=site, env=env)
    assert result.stderr.splitlines() == [
        f"content/pages/links.md:6:12: error: broken external link /links/ -> {host}/missing: the site answered 404 Not Found"
        " (hint: correct the address, or remove the link)",
        f"content/pages/links.md:7:12: warning: cannot check external link /links/ -> {host}/busy: the site answered 429"
        " Too Many Requests, which sites send to programs they do not let in (hint: open it in a browser to see that it works)",
        f"content/pages/links.md:8:12: error: broken external link /links/ -> {host}/slow: no answer within 1 s"
        " (hint: correct the address, or remove the link)",
        "check failed: 2 errors, 1 warning",
    ]
    assert result.returncode == 1
    counts = answers.handler.counts
    assert counts == {"/ok": 2, "/moved": 1, "/missing": 1, "/busy": 1, "/slow": 1}  # /moved was followed to /ok

    # Addresses that answered well are not asked again for a day; the broken ones are.
    again = run_propgen("check", "--external", "--timeout", "1", cwd=site, env=env)
    assert again.stderr == result.stderr
    assert counts == {"/ok": 2, "/moved": 1, "/missing": 2, "/busy": 2, "/slow": 2}


def test_check_external_asks_each_host_one_request_at_a_time_and_a_few_hosts_at_once(
    make_site: MakeSite, answers: Any, tmp_path: Path
) -> None:
    hosts = answers(5)
    site = external_site(make_site, [f"{host}/wait{n}" for host in hosts for n in range(3)])
    env = propgen_env(XDG_CACHE_HOME=str(tmp_path / "cache"))
    started = time.monotonic()
    result = run_propgen("check", "--external", "--max-concurrency", "3", cwd=site, env=env)
    assert result.returncode == 0, result.stderr
    assert "15 external links (0 of them answered well within a day, not asked again)" in result.stdout
    peak = answers.handler.peak
    assert all(peak[host.rsplit(":", 1)[1]] == 1 for host in hosts)
    assert 2 <= peak["all"] <= 3
    assert time.monotonic() - started < 15


def test_external_links_are_not_checked_without_external(make_site: MakeSite, answers: Any) -> None:
    (host,) = answers(1)
    site = external_site(make_site, [f"{host}/missing"])
    result = run_propgen("check", "--links", cwd=site)
    assert result.returncode == 0, result.stderr
    assert answers.handler.counts == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeout", "0"], "propgen: error: --timeout 0 is not a number of seconds (hint: use e.g. --timeout 10)"),
        (["--max-concurrency", "0"], "propgen: error: --max-concurrency 0 is not a number of sites (hint: use e.g. --max-concurrency 8)"),
        (["--base-url", "events.example"], "propgen: error: --base-url 'events.example' is not a web address"),
    ],
)
def test_check_usage_mistakes(make_site: MakeSite, args: list[str], message: str) -> None:
    result = run_propgen("check", "--external", *args, cwd=make_site({}))
    assert result.stderr.startswith(message)
    assert result.returncode == 2
