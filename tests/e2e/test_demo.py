"""The demo site (this repository) as a visitor and a search engine see it."""

from __future__ import annotations

import difflib
import json
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, THEMES, demo_env, run_propgen

GOLDEN = REPO / "tests" / "golden"
GOLDENS = {"default": GOLDEN, "editorial": REPO / "tests" / "golden-editorial"}  # one expected output per built-in theme
TEXT_SUFFIXES = (".html", ".xml", ".txt", ".ics")


def text_outputs(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.suffix in TEXT_SUFFIXES}


@pytest.mark.parametrize("theme", THEMES)
def test_golden_output(built_themes: dict[str, Path], theme: str, request: pytest.FixtureRequest) -> None:
    """Every page of the demo, byte for byte, in each built-in theme (tests/golden/ for default,
    tests/golden-editorial/ for editorial). After an intended change: pytest --update-golden."""
    actual = text_outputs(built_themes[theme])
    golden = GOLDENS[theme]
    if request.config.getoption("--update-golden"):
        shutil.rmtree(golden, ignore_errors=True)
        for name, text in actual.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_text(text, encoding="utf-8", newline="")
    expected = text_outputs(golden)
    assert sorted(actual) == sorted(expected), f"the set of output files changed in {theme} (pytest --update-golden if intended)"
    diffs = []
    for name in expected:
        if actual[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].splitlines(), actual[name].splitlines(), f"{golden.name}/{name}", f"output/{name}", lineterm="", n=2
            )
            diffs.append("\n".join(line if len(line) < 240 else line[:240] + " [...]" for line in list(diff)[:60]))
    assert not diffs, f"pages differ from tests/{golden.name} (pytest --update-golden if intended):\n" + "\n\n".join(diffs[:5])


def test_demo_has_the_promised_pages(built_demo: Path) -> None:
    events = sorted(p.parent.name for p in (built_demo / "events").glob("*/index.html") if p.parent.name not in ("type", "tag"))
    assert len(events) >= 12
    assert "seminyak-alumni-reunion" not in events  # the draft
    for kind in ("wedding", "conference", "corporate", "gala", "social"):
        assert (built_demo / f"events/type/{kind}/index.html").is_file()
    assert any((built_demo / "events/tag").iterdir())
    for name in ("about", "services", "contact"):
        assert (built_demo / name / "index.html").is_file()
    for name in ("404.html", "sitemap.xml", "feed.xml", "robots.txt", "favicon.svg", "assets/site.css"):
        assert (built_demo / name).is_file(), name


def test_seo_files(built_demo: Path) -> None:
    robots = (built_demo / "robots.txt").read_text()
    assert "Sitemap: https://sariwijaya.example/sitemap.xml" in robots
    sitemap = (built_demo / "sitemap.xml").read_text()
    assert "<loc>https://sariwijaya.example/events/oncology-research-forum/</loc>" in sitemap
    assert "404" not in sitemap
    feed = (built_demo / "feed.xml").read_text()
    assert feed.startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"')
    assert feed.count("<entry>") >= 12


def test_event_page_meta_json_ld_and_dates(built_demo: Path) -> None:
    html = (built_demo / "events/oncology-research-forum/index.html").read_text()
    assert '<link rel="canonical" href="https://sariwijaya.example/events/oncology-research-forum/">' in html
    assert '<meta property="og:image" content="https://sariwijaya.example/images/' in html
    assert '<time datetime="2025-03-14">14\u201316 Maret 2025</time>' in html  # CLDR's range: month and year once
    english = (built_demo / "en/events/oncology-research-forum/index.html").read_text()
    assert '<time datetime="2025-03-14">March 14\u2009\u2013\u200916, 2025</time>' in english  # the same page in English
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert data["@type"] == "Event" and data["startDate"] == "2025-03-14" and data["endDate"] == "2025-03-16"
    assert data["location"]["address"]["addressLocality"] == "Jakarta"
    home = (built_demo / "index.html").read_text()
    org = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', home, re.S).group(1))  # type: ignore[union-attr]
    assert org["@type"] == "Organization" and org["founder"]["@type"] == "Person"


def test_private_client_and_budget_stay_private(built_demo: Path) -> None:
    record = (REPO / "content/events/oncology-research-forum.yaml").read_text()
    client = re.search(r"client: \{name: ([^,]+), public: false\}", record)
    assert client, "the demo's oncology forum hides its client"
    everything = "".join(text_outputs(built_demo).values())
    assert client.group(1) not in everything


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def test_every_internal_link_works_under_a_subpath(built_demo: Path, demo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub"
    base = "https://host.example/some/path/"
    result = run_propgen("build", "--base-url", base, "--out", str(out), cwd=demo_copy, env=demo_env())
    assert result.returncode == 0, result.stderr
    checked = 0
    for page in out.rglob("*.html"):
        parser = Links()
        parser.feed(page.read_text())
        for link in parser.found:
            if link.startswith(base):
                link = "/some/path/" + link[len(base) :]
            if not link.startswith("/") or link.startswith("//"):
                continue
            assert link.startswith("/some/path/"), f"{page.relative_to(out)} links to {link} outside the subpath"
            path = link[len("/some/path/") :].split("#")[0].split("?")[0]
            target = out / path
            if path.endswith("/") or not path:
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(out)} links to {link}, which does not exist"
            checked += 1
    assert checked > 500


def test_content_is_escaped_not_executed(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "content/events/x.yaml": "title: <script>alert(1)</script> Gala\ntype: gala\ndate: 2025-01-01\nsummary: s\n",
            "content/events/x.md": "Hello <script>alert(2)</script> <b>bold</b>\n",
        }
    )
    assert run_propgen("build", cwd=site).returncode == 0
    html = (site / "output/events/x/index.html").read_text()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Gala" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in html


def test_demo_builds_byte_identical_twice(built_demo: Path, demo_copy: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    # A fresh interpreter with a hash seed of its own: sets of strings iterate in another order.
    assert run_propgen("build", "--out", str(again), cwd=demo_copy, env=demo_env(PYTHONHASHSEED="7")).returncode == 0
    first = {p.relative_to(built_demo): p.read_bytes() for p in built_demo.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
FORMATTED_DATE = re.compile(rf"\b{MONTH} \d{{1,2}}, \d{{4}}\b|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*, {MONTH} \d{{1,2}}, \d{{4}}\b")


def test_every_date_shown_is_inside_a_time_element(built_demo: Path) -> None:
    """Dates propgen formats (en: 'March 14, 2025', 'Mar 14, 2025') appear only in <time datetime=...>."""
    pages = 0
    for page in built_demo.rglob("*.html"):
        html = page.read_text()
        outside = re.sub(r'<time datetime="\d{4}-\d{2}-\d{2}">.*?</time>', "", html)
        assert not FORMATTED_DATE.search(outside), f"{page.relative_to(built_demo)}: {FORMATTED_DATE.search(outside)}"
        pages += "<time datetime=" in html
    assert pages > 30
