"""Search with Pagefind (installed with the test extra, as `propgen[search]` installs it): the
search page finds public events and pages, never a private page's words, asks nothing of any
other site, and follows a base_url's folder; without Pagefind there is no search at all."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import SCREENSHOTS, browser, serve_folder

from conftest import BASE_CONFIG, MINIMAL_PROPOSAL, demo_env, propgen_env, run_propgen

__all__ = ["browser"]  # the fixture, from browser_support

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def search(browser: Browser, url: str, words: str, seen: list[str] | None = None) -> list[str]:
    """The titles Pagefind's interface lists for `words` (and, in `seen`, every URL requested)."""
    page = browser.new_page()
    if seen is not None:
        page.on("request", lambda request: seen.append(request.url))
    page.goto(url)
    page.locator(".pagefind-ui__search-input").fill(words)
    # "N results for ..." once the search is done, then each result's words arrive; while it
    # searches the message is "Searching for <words>..." ("Mencari <words>..."), so that one must
    # not count as done (on a busy machine the results were read before they came: none)
    page.wait_for_function(
        "words => { const text = (document.querySelector('.pagefind-ui__message') || {}).textContent || '';"
        " return text.includes(words) && !text.trimEnd().endsWith('...'); }",
        arg=words,
    )
    page.wait_for_function("!document.querySelector('.pagefind-ui__results .pagefind-ui__loading')")
    titles = page.locator(".pagefind-ui__result-title").all_inner_texts()
    page.screenshot(path=str(SCREENSHOTS / f"search-{words.split()[0].lower()}.png"))
    page.close()
    return titles


@pytest.fixture(scope="module")
def demo_url(built_demo: Path) -> Iterator[str]:
    with serve_folder(built_demo) as url:
        yield url


def test_public_events_are_found_and_nothing_else_is_asked_for(browser: Browser, demo_url: str) -> None:
    seen: list[str] = []
    titles = search(browser, demo_url + "search/", "gala", seen)
    assert "Gala Amal Anak Sehat 2023" in titles  # the Indonesian pages: the search page at the root searches them
    assert seen and all(url.startswith(demo_url) for url in seen), [u for u in seen if not u.startswith(demo_url)]


def test_each_language_has_a_search_page_that_searches_its_pages(browser: Browser, demo_url: str, built_demo: Path) -> None:
    """The English pages' menu leads to the English search page, which finds the English pages
    (Pagefind keeps an index per language and searches the one of the page's `lang`), with its
    results inside the site; it led to the Indonesian search page, which found Indonesian ones."""
    english = (built_demo / "en/events/index.html").read_text()
    assert 'href="/en/search/"' in english and 'href="/search/"' not in english
    assert "Anak Sehat Charity Gala 2023" in search(browser, demo_url + "en/search/", "gala")
    results = found(browser, demo_url + "en/search/", "gala")
    assert results and all(url.startswith("/en/") for url, _text in results)
    assert [url for url, _text in found(browser, demo_url + "search/", "gala") if url.startswith("/en/")] == []


FOUND = """async words => {
  const pagefind = await import(document.querySelector("[data-search]").dataset.bundle + "pagefind.js");
  const search = await pagefind.search(words);
  return Promise.all(search.results.map(async result => { const data = await result.data(); return [data.url, data.content]; }));
}"""


def found(browser: Browser, url: str, words: str) -> list[tuple[str, str]]:
    """Every page the index returns for `words` (Pagefind also returns near matches: "a" for
    "aurora"), with the whole text it indexed of that page."""
    page = browser.new_page()
    page.goto(url)
    results = [(str(u), str(c)) for u, c in page.evaluate(FOUND, words)]
    page.close()
    return results


@pytest.mark.parametrize("words", ["Aurora Analytics", "Priya Raman", "aurora-analytics"])
def test_a_proposal_client_is_never_in_the_index(browser: Browser, demo_url: str, built_demo: Path, words: str) -> None:
    """content/proposals/aurora-tech-offsite.yaml names this client, its contact and its email's
    domain; no public page does."""
    results = found(browser, demo_url + "search/", words)
    for word in words.replace("-", " ").split():
        assert not [url for url, text in results if word.lower() in text.lower()], word
    assert all(not url.startswith("/p/") for url, _text in found(browser, demo_url + "search/", "a"))
    sensitive = sorted(p.relative_to(built_demo).as_posix() for p in built_demo.rglob("*.html") if "Aurora Analytics" in p.read_text())
    assert sensitive and all(path.startswith("p/") for path in sensitive)  # the proposal page is built, and private


def test_the_index_holds_every_public_event_and_page(browser: Browser, demo_url: str, built_demo: Path) -> None:
    results = found(browser, demo_url + "search/", "Anak Sehat")
    assert results[0][0] == "/events/childrens-hospital-gala/" and "Anak Sehat" in results[0][1]
    events = [p for p in (built_demo / "events").glob("*/index.html") if p.parent.name not in ("type", "tag")]
    pages = [built_demo / name / "index.html" for name in ("about", "services", "contact", "bergabung")]
    entry = json.loads((built_demo / "pagefind/pagefind-entry.json").read_text())
    # one index per language (the demo is in Indonesian and English), each with every event and page
    assert [language["page_count"] for language in entry["languages"].values()] == [len(events) + len(pages)] * 2


def test_without_pagefind_there_is_no_search(make_site: Any) -> None:
    site = make_site({"content/events/gala.yaml": "title: Harbour Gala\ntype: gala\ndate: 2025-03-01\nsummary: A gala.\n"})
    hidden = "import sys; sys.modules['pagefind_bin'] = None; from propgen.cli import main; sys.exit(main(sys.argv[1:]))"
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", hidden, "build"], cwd=site, env=propgen_env(), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert not (site / "output/search").exists() and not (site / "output/pagefind").exists()
    assert ">Search<" not in (site / "output/index.html").read_text()
    with_search = run_propgen("build", "--out", "searched", cwd=site)
    assert with_search.returncode == 0, with_search.stderr
    assert (site / "searched/pagefind/pagefind-ui.js").is_file() and ">Search<" in (site / "searched/index.html").read_text()


def test_results_link_inside_the_base_url_folder(browser: Browser, make_site: Any, tmp_path: Path) -> None:
    site = make_site(
        {
            "propgen.yaml": BASE_CONFIG.replace("https://events.example/", "https://events.example/portfolio/"),
            "content/events/gala.yaml": "title: Harbour Gala\ntype: gala\ndate: 2025-03-01\nsummary: A gala by the harbour.\n",
        }
    )
    result = run_propgen("build", "--out", str(tmp_path / "root/portfolio"), cwd=site, env=demo_env())
    assert result.returncode == 0, result.stderr
    with serve_folder(tmp_path / "root") as url:
        page = browser.new_page()
        page.goto(url + "portfolio/search/?q=harbour")
        link = page.locator(".pagefind-ui__result-link").first
        assert link.get_attribute("href") == "/portfolio/events/gala/"
        link.click()
        assert page.locator("h1").inner_text() == "Harbour Gala"
        page.close()


def test_a_site_with_nothing_to_search_has_no_search_page(make_site: Any) -> None:
    site = make_site({})  # no event, no page: Pagefind would have nothing to index
    result = run_propgen("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert not (site / "output/search").exists() and not (site / "output/pagefind").exists()
    assert ">Search<" not in (site / "output/index.html").read_text()


SEARCHED_EVENT = "title: Harbour Gala\ntype: gala\ndate: 2025-03-01\nsummary: A gala by the harbour.\n"


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_index_is_kept_while_pagefind_would_be_given_the_same_pages(make_site: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind reads every page each time (no incremental mode), so a build whose public
    pages are the last build's (a proposal edited) keeps the last index as the output holds
    it; a write-up edited, or a file of the index removed from the output, indexes again.
    Every build's output is a clean build's, byte for byte."""
    import subprocess

    from propgen import search
    from propgen.build import BuildOptions, build
    from propgen.cache import BuildCache
    from propgen.dates import now_from_env

    runs: list[list[str]] = []
    popen = subprocess.Popen
    monkeypatch.setattr(search.subprocess, "Popen", lambda command, **kw: runs.append(command) or popen(command, **kw))
    site = make_site(
        {
            "content/events/gala.yaml": SEARCHED_EVENT,
            "content/events/gala.md": "Lanterns along the quay.\n",
            "content/pages/about.md": "---\ntitle: About\nmenu: 1\n---\nWe plan galas.\n",
            "content/proposals/harbour.yaml": MINIMAL_PROPOSAL,
        }
    )
    environ = propgen_env(PROPGEN_SECRET="s" * 40, SOURCE_DATE_EPOCH="1794700800")

    def built(out: str, cache: Path) -> dict[str, bytes]:
        options = BuildOptions(site=site, out=site / out, now=now_from_env(environ), environ=environ, cache=BuildCache(cache), jobs=1)
        result = build(options)
        assert result.written and not result.report.problems, result.report.problems
        return files_of(site / out)

    def clean() -> dict[str, bytes]:
        before = len(runs)
        shutil.rmtree(site / "clean", ignore_errors=True)
        shutil.rmtree(site / "clean-cache", ignore_errors=True)
        files = built("clean", site / "clean-cache")
        del runs[before:]
        return files

    first = built("output", site / ".propgen-cache")
    assert len(runs) == 1 and any(name.startswith("pagefind/index/") for name in first)
    (site / "content/proposals/harbour.yaml").write_text(MINIMAL_PROPOSAL.replace("Harbour Forum 2027", "Harbour Forum 2028"))
    assert built("output", site / ".propgen-cache") == clean()
    assert len(runs) == 1  # the proposal is no page Pagefind reads
    (site / "content/events/gala.md").write_text("Lanterns along the quay, and a brass band.\n")
    edited = built("output", site / ".propgen-cache")
    assert edited == clean() and len(runs) == 2
    copy = site / ".propgen-cache/search/site"  # Pagefind's copy, kept for the next build: the public pages alone
    assert {p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file()} == {"events/gala/index.html", "about/index.html"}
    assert (copy / "events/gala/index.html").read_bytes() == edited["events/gala/index.html"]
    assert [n for n in edited if n.startswith("pagefind/index/")] != [n for n in first if n.startswith("pagefind/index/")]
    entry = site / "output/pagefind/pagefind-entry.json"
    entry.unlink()
    assert built("output", site / ".propgen-cache") == clean() and len(runs) == 3  # a file of the index gone: indexed again
    assert built("output", site / ".propgen-cache") == clean() and len(runs) == 3


def test_pagefind_settings_around_the_build_change_nothing(make_site: Any) -> None:
    """Pagefind reads settings of its own from the folder it is started in (pagefind.yml)
    and from PAGEFIND_* variables; propgen's index is made of the pages alone, so a site
    folder holding a pagefind.yml (or a variable set in the shell) neither makes another index
    nor leaves an incremental build's index unlike a clean build's."""
    site = make_site(
        {
            "content/events/gala.yaml": SEARCHED_EVENT,
            "content/events/gala.md": "Lanterns along the quay.\n",
            "content/proposals/harbour.yaml": MINIMAL_PROPOSAL,
        }
    )
    environ = propgen_env(PROPGEN_SECRET="s" * 40)
    assert run_propgen("build", cwd=site, env=environ).returncode == 0
    first = files_of(site / "output")
    (site / "pagefind.yml").write_text('exclude_selectors: ["main"]\n')
    (site / "content/proposals/harbour.yaml").write_text(MINIMAL_PROPOSAL.replace("Harbour Forum 2027", "Harbour Forum 2028"))
    configured = {**environ, "PAGEFIND_FORCE_LANGUAGE": "fr"}
    assert run_propgen("build", cwd=site, env=configured).returncode == 0
    clean = run_propgen("build", "--out", "clean", "--cache-dir", "clean-cache", cwd=site, env=configured)
    assert clean.returncode == 0, clean.stderr
    assert files_of(site / "clean") == files_of(site / "output")
    assert {n: d for n, d in files_of(site / "clean").items() if n.startswith("pagefind/")} == {
        n: d for n, d in first.items() if n.startswith("pagefind/")
    }


def test_a_variable_that_is_not_utf8_text_does_not_stop_the_index(make_site: Any, tmp_path: Path) -> None:
    """A shell in a folder whose name is not UTF-8 (unpacked from an old zip file) sets PWD to
    those bytes; Pagefind stopped on any such variable, and the build failed with its last line
    ("note: Some details are omitted...")."""
    site = make_site({"content/events/gala.yaml": SEARCHED_EVENT})
    odd = tmp_path / os.fsdecode(b"caf\xe9")
    odd.mkdir()
    result = run_propgen("build", "--site", str(site), cwd=odd, env=propgen_env(PWD=str(odd)))
    assert result.returncode == 0, result.stderr
    assert (site / "output/pagefind/pagefind.js").is_file()


def test_a_temporary_folder_whose_name_is_not_utf8_does_not_stop_the_index(make_site: Any, tmp_path: Path) -> None:
    """Pagefind is given a copy of the pages in a temporary folder; with TMPDIR named in bytes
    that are not UTF-8, it refused the paths ("For more information, try '--help'.") and the
    build failed. It is given them relative to the folder it is started in."""
    site = make_site({"content/events/gala.yaml": SEARCHED_EVENT})
    odd = tmp_path / os.fsdecode(b"caf\xe9")
    odd.mkdir()
    result = run_propgen("build", cwd=site, env=propgen_env(TMPDIR=str(odd)))
    assert result.returncode == 0, result.stderr
    assert (site / "output/pagefind/pagefind.js").is_file()
    assert list(odd.iterdir()) == []  # its copy is removed when the build ends


def test_the_event_facts_are_words_apart_in_the_index(browser: Browser, demo_url: str) -> None:
    """A fact's term and value were one word to search ("Tamu520KlienYayasan"): the event
    page keeps them apart, so a search for the client or the guests finds them as words."""
    pages = dict(found(browser, demo_url + "search/", "Yayasan Anak Sehat"))
    content = next(text for url, text in pages.items() if url.rstrip("/").endswith("events/childrens-hospital-gala"))
    assert "Tamu 520" in content and "Klien Yayasan Anak Sehat" in content and "Waktu 18 November 2023" in content, content
