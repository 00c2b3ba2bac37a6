"""The built-in themes as a visitor's browser meets them: every file of the demo, built in each
theme, asks nothing of another site (no `src`, stylesheet `href`, `@import` or `url()` leaves
it), the themes ship their fonts with their licences, and the editorial theme also builds a
bare site, in Indonesian too."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, THEMES, run_propgen

THEME_FOLDERS = REPO / "src/propgen/themes"
# A request leaves the site when its URL names a scheme with a host or starts with "//".
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I)
FETCHED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon", "mask-icon"}


class Requests(HTMLParser):
    """Every URL an HTML page makes a browser fetch: src, srcset, poster, data of an object,
    links that load (stylesheets, icons, preloads), and url()/@import in style attributes and
    <style> blocks. Not plain links (<a href>) and not og: metadata, which fetch nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[int, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        for name in ("src", "poster", "data"):
            if name in values:
                self.found.append((line, values[name]))
        for name in ("srcset", "imagesrcset"):
            if name in values:
                self.found.extend((line, part.strip().split(" ")[0]) for part in values[name].split(",") if part.strip())
        if tag == "link" and FETCHED_LINKS & set(values.get("rel", "").lower().split()):
            self.found.append((line, values.get("href", "")))
        if "style" in values:
            self.found.extend((line, url) for url in css_urls(values["style"]))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend((self.getpos()[0], url) for url in css_urls(data))


def css_urls(css: str) -> list[str]:
    return [m.group(2) if m.group(2) is not None else m.group(4) for m in CSS_URL.finditer(css)]


def external_requests(folder: Path) -> list[str]:
    """`file:line: url` for every request to another site in the built folder's HTML, SVG and CSS."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".html", ".svg"):
            parser = Requests()
            parser.feed(path.read_text(encoding="utf-8"))
            urls = parser.found
        elif path.suffix == ".css":
            urls = [(1, url) for url in css_urls(path.read_text(encoding="utf-8"))]
        else:
            continue
        found += [f"{path.relative_to(folder)}:{line}: {url}" for line, url in urls if EXTERNAL.match(url)]
    return found


@pytest.mark.parametrize("theme", THEMES)
def test_no_built_file_requests_another_site(built_themes: dict[str, Path], theme: str) -> None:
    folder = built_themes[theme]
    pages = list(folder.rglob("*.html"))
    assert len(pages) > 40 and list(folder.rglob("*.css"))
    checked = 0
    for page in pages:
        parser = Requests()
        parser.feed(page.read_text(encoding="utf-8"))
        checked += len(parser.found)
    assert checked > 500  # the pages' photos, styles, scripts and icons were all looked at
    assert external_requests(folder) == []


def test_the_check_finds_each_kind_of_external_request(tmp_path: Path) -> None:
    """What the test above looks for, planted one of each in a folder: each is found, at its line."""
    (tmp_path / "index.html").write_text(
        "<!doctype html>\n"
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">\n'
        '<link rel="canonical" href="https://site.example/">\n'
        '<img src="//cdn.example/a.jpg" srcset="/b.jpg 480w, https://cdn.example/c.jpg 960w" alt="">\n'
        "<div style=\"background: url('http://cdn.example/d.png')\"></div>\n"
        "<style>@import 'https://cdn.example/e.css';</style>\n"
        '<a href="https://instagram.com/x">a link is not a request</a><script src="/assets/ok.js"></script>\n'
    )
    (tmp_path / "site.css").write_text('@font-face { src: url("https://fonts.gstatic.com/f.woff2"); }\n.x { background: url(/ok.png); }\n')
    assert external_requests(tmp_path) == [
        "index.html:2: https://fonts.googleapis.com/css2?family=Inter",
        "index.html:4: //cdn.example/a.jpg",
        "index.html:4: https://cdn.example/c.jpg",
        "index.html:5: http://cdn.example/d.png",
        "index.html:6: https://cdn.example/e.css",
        "site.css:1: https://fonts.gstatic.com/f.woff2",
    ]


@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_ships_its_fonts_with_their_licence(theme: str) -> None:
    """woff2 files (Latin subset) beside an SIL Open Font License, every @font-face pointing at
    one of them with font-display: swap, all of them together well under 250 KB."""
    fonts = THEME_FOLDERS / theme / "static/fonts"
    woff2 = sorted(fonts.glob("*.woff2"))
    assert woff2 and all("-latin-" in f.name for f in woff2)
    assert all(f.read_bytes()[:4] == b"wOF2" for f in woff2)
    assert sum(f.stat().st_size for f in woff2) < 250_000
    licences = sorted(fonts.glob("OFL-*.txt"))
    assert licences and all("SIL Open Font License, Version 1.1" in f.read_text() for f in licences)
    faces = [
        face
        for sheet in (THEME_FOLDERS / theme / "static").glob("*.css")
        for face in re.findall(r"@font-face\s*{[^}]*}", sheet.read_text())
    ]
    assert faces and all("font-display: swap" in face for face in faces)
    used = {m for face in faces for m in re.findall(r'url\("fonts/([^"]+)"\)', face)}
    assert used == {f.name for f in woff2}  # every file used, none missing


def test_the_editorial_theme_builds_the_demo_in_indonesian(built_editorial_id: Path) -> None:
    home = (built_editorial_id / "index.html").read_text()
    assert '<html lang="id">' in home
    assert "Mulai konsultasi" in home and "Acara pilihan" in home  # its own catalog, and default's under it
    event = (built_editorial_id / "events/ubud-rice-terrace-wedding/index.html").read_text()
    assert "Rencanakan acara seperti ini" in event


@pytest.fixture(scope="module")
def built_editorial_id(built_editorial: Path) -> Path:
    """The demo in the editorial theme: Indonesian at its root (and English under /en/)."""
    return built_editorial


def test_editorial_builds_a_bare_site(make_site: Callable[..., Path]) -> None:
    """No pages, no photos, no tagline: the theme's templates need none of them, and the
    invitation to enquire falls back to the coordinator's email without a contact page."""
    site = make_site(
        {
            "propgen.yaml": "title: Bare\nbase_url: https://bare.example/\nlocale: en\ncurrency: USD\ntheme: editorial\n"
            "coordinator: {name: Ana Bare, email: ana@bare.example}\n",
            "content/events/x.yaml": "title: A Small Dinner\ntype: social\ndate: 2025-01-01\nsummary: Twelve friends.\n",
        }
    )
    result = run_propgen("build", "--strict", cwd=site)
    assert result.returncode == 0, result.stderr
    home = (site / "output/index.html").read_text()
    assert 'href="/assets/editorial.css"' in home and 'href="/assets/site.css"' not in home
    assert home.count('<a class="button" href="mailto:ana@bare.example">') == 2  # the first screen's button and the closing one
    event = (site / "output/events/x/index.html").read_text()
    assert "Plan something like this" in event and "<img" not in event


@pytest.mark.parametrize("theme", THEMES)
def test_the_new_page_templates_services_become_cards(make_site: Callable[..., Path], theme: str) -> None:
    """`propgen new page` shows `services:` commented out; uncommented, it builds into a card
    with what is included and its "from" price, in either theme."""
    site = make_site({})
    (site / "propgen.yaml").write_text((site / "propgen.yaml").read_text() + f"theme: {theme}\n")
    assert run_propgen("new", "page", "Services", cwd=site).returncode == 0
    page = site / "content/pages/services.md"
    text = page.read_text()
    start, end = text.index("# services:"), text.index("---", 4)
    page.write_text(text[:start] + text[start:end].replace("# ", "", 1).replace("\n#", "\n") + text[end:])
    result = run_propgen("build", "--strict", cwd=site)
    assert result.returncode == 0, result.stderr
    html = (site / "output/services/index.html").read_text()
    assert '<h2 class="service-name">Full planning</h2>' in html
    assert "<li>Venue search</li><li>Budget</li><li>Vendors</li>" in html
    assert '<p class="service-price">from $50,000,000</p>' in html
