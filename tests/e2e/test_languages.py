"""A portfolio in several languages (`languages: [id, en]`): the demo built under a subpath
base_url, its hreflang pairs, language switcher, sitemap alternates and feeds, pages shown
untranslated, and a site in one language that stays exactly as it was."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import demo_env, run_propgen

BASE = "https://sari.example/portfolio/"  # a subpath: every link must carry /portfolio/
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
SWITCHER = re.compile(r'<nav class="languages" aria-label="[^"]+">(.*?)</nav>', re.S)
SWITCH_LINK = re.compile(r'<a href="([^"]+)" hreflang="([^"]+)" lang="([^"]+)"( aria-current="true")?>([^<]+)</a>')


@pytest.fixture(scope="module")
def subpath_demo(demo_copy: Path, built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo built with a subpath base_url; --strict checks every link, anchor and sitemap address."""
    site = tmp_path_factory.mktemp("languages") / "site"
    shutil.copytree(demo_copy, site, ignore=shutil.ignore_patterns("output"))  # with built_demo's processed photos
    result = run_propgen("build", "--strict", "--base-url", BASE, cwd=site, env=demo_env())
    assert result.returncode == 0, result.stderr
    return site / "output"


def file_of(out: Path, url: str) -> Path:
    """The built file an absolute or site-root URL of the subpath site names."""
    path = url.removeprefix(BASE) if url.startswith("http") else url.removeprefix("/portfolio/")
    assert not path.startswith(("http", "/")), url
    return out / (path + "index.html" if path == "" or path.endswith("/") else path)


def public_pages(out: Path) -> list[Path]:
    """Every public page with a translation: not private pages, nor the pages the site has once
    (the 404 page, the search page and the enquiry form's thank-you page)."""
    return sorted(p for p in out.rglob("*.html") if p.relative_to(out).parts[0] not in ("p", "404.html", "search", "thanks", "pagefind"))


def canonical(page: Path) -> str:
    found = re.search(r'<link rel="canonical" href="([^"]+)">', page.read_text())
    assert found, page
    return found[1]


def test_every_page_and_its_translation_point_at_each_other(subpath_demo: Path) -> None:
    pages = public_pages(subpath_demo)
    assert any(p.relative_to(subpath_demo).parts[0] == "en" for p in pages)
    for page in pages:
        alternates = dict(ALTERNATE.findall(page.read_text()))
        assert set(alternates) == {"id", "en", "x-default"}, page
        assert alternates["x-default"] == alternates["id"]  # the first language is the default
        assert canonical(page) in (alternates["id"], alternates["en"]), page
        for code in ("id", "en"):
            other = file_of(subpath_demo, alternates[code])
            assert other.is_file(), (page, alternates[code])
            back = dict(ALTERNATE.findall(other.read_text()))
            assert back == alternates, (page, other)  # the pair agrees both ways
    english = (subpath_demo / "en/events/oncology-research-forum/index.html").read_text()
    assert f'<link rel="alternate" hreflang="id" href="{BASE}events/oncology-research-forum/">' in english


def test_the_language_switcher_lands_on_the_same_page(subpath_demo: Path) -> None:
    for page in public_pages(subpath_demo):
        text = page.read_text()
        nav = SWITCHER.search(text)
        assert nav, page
        links = SWITCH_LINK.findall(nav[1])
        assert [(hreflang, lang, name) for _href, hreflang, lang, _current, name in links] == [
            ("id", "id", "Indonesia"),
            ("en", "en", "English"),
        ]
        alternates = dict(ALTERNATE.findall(text))
        current = [hreflang for _href, hreflang, _lang, mark, _name in links if mark]
        assert len(current) == 1 and alternates[current[0]] == canonical(page), page
        for href, hreflang, *_rest in links:
            assert href.startswith("/portfolio/"), href
            target = file_of(subpath_demo, href)
            assert target.is_file() and canonical(target) == alternates[hreflang], (page, href)


def test_the_sitemap_lists_every_language_with_its_alternates(subpath_demo: Path) -> None:
    sitemap = (subpath_demo / "sitemap.xml").read_text()
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in sitemap
    entries = re.findall(r"<url><loc>([^<]+)</loc>(.*?)</url>", sitemap, re.S)
    by_url = {loc: re.findall(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/>', rest) for loc, rest in entries}
    assert f"{BASE}en/events/" in by_url and f"{BASE}events/" in by_url
    assert not any("/p/" in url for url in by_url)  # private pages are never listed, in any language
    for url, alternates in by_url.items():
        pairs = dict(alternates)
        assert set(pairs) == {"id", "en", "x-default"} and url in pairs.values(), url
        for href in pairs.values():
            assert file_of(subpath_demo, href).is_file(), href
            assert dict(by_url[href]) == pairs, href  # each alternate lists the same set back
    check = run_propgen("check", "--links", "--out", str(subpath_demo), "--base-url", BASE, cwd=subpath_demo.parent, env=demo_env())
    assert check.returncode == 0, check.stderr


def test_each_language_has_its_own_feed(subpath_demo: Path) -> None:
    indonesian = (subpath_demo / "feed.xml").read_text()
    english = (subpath_demo / "en/feed.xml").read_text()
    assert 'xml:lang="id"' in indonesian and 'xml:lang="en"' in english
    assert "<title>Forum Riset Onkologi Regional 2025</title>" in indonesian
    assert "<title>Regional Oncology Research Forum 2025</title>" in english
    assert f'<link rel="self" type="application/atom+xml" href="{BASE}en/feed.xml"/>' in english
    assert f"<id>{BASE}en/events/oncology-research-forum/</id>" in english
    assert f"<id>{BASE}events/oncology-research-forum/</id>" in indonesian
    assert 'href="/portfolio/en/feed.xml"' in (subpath_demo / "en/index.html").read_text()  # each language's pages name their feed
    assert not (subpath_demo / "en/sitemap.xml").exists() and not (subpath_demo / "en/robots.txt").exists()


def test_an_untranslated_page_is_shown_in_the_first_language_and_marked(subpath_demo: Path) -> None:
    page = (subpath_demo / "en/bergabung/index.html").read_text()
    assert '<html lang="en">' in page
    assert '<article class="wrap page" lang="id" data-pagefind-body>' in page
    assert "This page is not yet available in English, so it is shown in Indonesian." in page
    assert '<a href="/portfolio/en/bergabung/" lang="id" aria-current="page">Bergabung dengan Tim</a>' in page
    translated = (subpath_demo / "en/about/index.html").read_text()
    assert "not yet available" not in translated and '<article class="wrap page" data-pagefind-body>' in translated
    assert "belum tersedia" not in (subpath_demo / "bergabung/index.html").read_text()


def test_private_pages_are_published_once_in_their_own_language(subpath_demo: Path) -> None:
    assert not (subpath_demo / "en/p").exists()
    pages = {p.parent.name.rsplit("-", 1)[0]: p.read_text() for p in (subpath_demo / "p").glob("*/index.html")}
    assert '<html lang="en">' in pages["aurora-tech-offsite"]  # locale: en on an Indonesian-first site
    assert '<html lang="id">' in pages["pratama-lestari-wedding"]  # the site's language
    assert "hreflang" not in pages["aurora-tech-offsite"] and 'class="languages"' not in pages["aurora-tech-offsite"]


SITE = "title: Acara\nbase_url: https://acara.example/\ncoordinator: {name: Sari, email: sari@acara.example}\n"
FILES = {
    "content/events/gala.yaml": "title: Gala Night\ntype: gala\ndate: 2025-03-14\nend_date: 2025-03-16\nsummary: A night.\nguests: 1200\n",
    "content/events/gala.md": "The write-up.\n",
    "content/pages/about.md": "---\ntitle: About\nmenu: 1\n---\nAbout us.\n",
}


def build_tree(site: Path) -> dict[str, bytes]:
    result = run_propgen("build", "--strict", cwd=site)
    assert result.returncode == 0, result.stderr
    out = site / "output"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_site_in_one_language_is_unchanged(make_site: Callable[..., Path]) -> None:
    site = make_site({**FILES, "propgen.yaml": SITE})
    plain = build_tree(site)
    (site / "propgen.yaml").write_text(SITE + "languages: [en]\n")
    assert build_tree(site) == plain  # one language listed is the same site, byte for byte
    pages = b"".join(data for name, data in plain.items() if name.endswith((".html", ".xml")))
    assert b"hreflang" not in pages and b"xhtml:link" not in pages and b'class="languages"' not in pages
    assert not any(name.startswith("en/") for name in plain)


def test_a_write_up_without_translation_falls_back_and_says_so_in_the_page_language(make_site: Callable[..., Path]) -> None:
    files = {
        **FILES,
        "propgen.yaml": SITE + "languages: [en, id]\n",
        "content/events/gala.yaml": "title: {en: Gala Night, id: Malam Gala}\ntype: gala\ndate: 2025-03-14\nsummary: A night.\n",
    }
    site = make_site(files)
    build_tree(site)
    event = (site / "output/id/events/gala/index.html").read_text()
    assert '<html lang="id">' in event and "<h1>Malam Gala</h1>" in event
    assert '<div class="prose" lang="en"><p>The write-up.</p>' in event
    assert "Halaman ini belum tersedia dalam bahasa Indonesia, jadi ditampilkan dalam bahasa Inggris." in event
    (site / "content/events/gala.id.md").write_text("Tulisan.\n")
    build_tree(site)
    event = (site / "output/id/events/gala/index.html").read_text()
    assert '<div class="prose"><p>Tulisan.</p>' in event and "belum tersedia" not in event
    assert "<p>The write-up.</p>" in (site / "output/events/gala/index.html").read_text()


def test_a_german_site_formats_the_german_way_with_english_words(make_site: Callable[..., Path]) -> None:
    files = {**FILES, "propgen.yaml": SITE + "locale: de_DE\ncurrency: EUR\n"}
    files["content/events/gala.yaml"] += "budget: {amount: 1250000.5, public: true}\n"
    site = make_site(files)
    result = run_propgen("build", cwd=site)  # not --strict: German words are missing, and a warning says so
    assert result.returncode == 0 and "the theme 'default' has no words in German ('de_DE')" in result.stderr, result.stderr
    text = html.unescape(re.sub(r"<[^>]+>", " ", (site / "output/events/gala/index.html").read_text()))
    assert "14.–16. März 2025" in text  # CLDR's German range
    assert "1.200" in text  # German grouping
    assert "1.250.000,50\xa0€" in text  # German money
    assert "Guests" in text and "Budget" in text  # no German catalog: the theme's words stay English
