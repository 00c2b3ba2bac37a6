"""What a built file refers to, read the way a browser reads it: the URLs of an HTML page
(links, images, srcset candidates, stylesheets, scripts, media, SVG, preview images, CSS in
style attributes and elements) with their line and column, and the ids its #fragments can
name; url() and @import in CSS; the addresses in sitemap.xml, feed.xml and robots.txt.

Only the standard library's html.parser: forgiving like a browser, and no dependency.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

PAYLOAD_ID = "propgen-payload"  # the encrypted content of a protected page (templates/locked.html)

# Elements and the attributes of theirs that a browser fetches or follows, with how messages name them.
URL_ATTRIBUTES: dict[str, tuple[tuple[str, str], ...]] = {
    "a": (("href", ""),),
    "area": (("href", ""),),
    "img": (("src", "image"),),
    "script": (("src", "script"),),
    "iframe": (("src", "frame"),),
    "embed": (("src", "embed"),),
    "source": (("src", "media"),),
    "track": (("src", "track"),),
    "audio": (("src", "audio"),),
    "video": (("src", "video"), ("poster", "poster")),
    "object": (("data", "object"),),
    "input": (("src", "image"),),
    "use": (("href", "svg use"), ("xlink:href", "svg use")),
    "image": (("href", "svg image"), ("xlink:href", "svg image")),
}
META_URLS = {"og:image", "og:image:url", "og:image:secure_url", "og:url", "og:audio", "og:video", "twitter:image"}
LINK_RELS_NOT_FETCHED = {"preconnect", "dns-prefetch"}  # name a host, not a resource
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s"']*))\s*\)|@import\s+["']([^"']+)["']""", re.I)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
XML_URL = re.compile(
    r"<loc>\s*([^<\s]+)\s*</loc>|<xhtml:link\b[^>]*?\bhref=\"([^\"]+)\"|<link\b[^>]*?\bhref=\"([^\"]+)\"|<(?:icon|logo)>\s*([^<\s]+)\s*</"
)  # sitemap <loc> and its alternates (xhtml:link), feed links


@dataclass(frozen=True)
class Reference:
    """One URL a built file uses, at the line and column of its tag (or of the URL in CSS and XML)."""

    url: str
    line: int
    col: int
    what: str = ""  # "" for a link a reader clicks; "image", "srcset", "stylesheet" ... for what a browser fetches


@dataclass
class Scanned:
    ids: set[str] = field(default_factory=set)
    references: list[Reference] = field(default_factory=list)
    base: str = ""  # a <base href>, if the page has one
    payload: str = ""  # a protected page's encrypted content


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = Scanned()
        self._in_payload = False
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        found = self.found
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            found.ids.add(values["id"])
        if tag == "a" and "name" in values:
            found.ids.add(values["name"])

        def add(url: str, what: str) -> None:
            found.references.append(Reference(url, line, offset + 1, what))

        for name, what in URL_ATTRIBUTES.get(tag, ()):
            if name in values:
                add(values[name], what)
        if tag in ("img", "source") and "srcset" in values:
            for candidate in srcset_urls(values["srcset"]):
                add(candidate, "srcset")
        if tag == "link" and "href" in values:
            rels = set(values.get("rel", "").lower().split())
            if not rels & LINK_RELS_NOT_FETCHED:
                add(values["href"], _link_what(rels))
        if tag == "meta" and (values.get("property") or values.get("name", "")).lower() in META_URLS and "content" in values:
            add(values["content"], values.get("property") or values.get("name", ""))
        if "style" in values:
            for url, _ in css_urls(values["style"]):
                add(url, "CSS url()")
        if tag == "base" and "href" in values and not found.base:
            found.base = values["href"]
        self._in_payload = tag == "script" and values.get("id") == PAYLOAD_ID
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_payload = self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_payload = self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_payload:
            self.found.payload += data
        elif self._in_style:
            line, offset = self.getpos()
            for url, at in css_urls(data):
                before = data[:at]
                at_line = line + before.count("\n")
                col = at - before.rfind("\n") if "\n" in before else offset + at + 1
                self.found.references.append(Reference(url, at_line, col, "CSS url()"))


def _link_what(rels: set[str]) -> str:
    for rel in ("stylesheet", "icon", "canonical", "alternate", "manifest", "preload", "prefetch", "modulepreload"):
        if rel in rels:
            return rel
    return "link"


def scan_html(text: str) -> Scanned:
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.found


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a srcset, split as the HTML standard does: a candidate's URL runs to the
    first whitespace (a comma ending it ends the candidate), then descriptors to a comma."""
    urls: list[str] = []
    position, length = 0, len(srcset)
    while position < length:
        while position < length and (srcset[position].isspace() or srcset[position] == ","):
            position += 1
        start = position
        while position < length and not srcset[position].isspace():
            position += 1
        url = srcset[start:position]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0
            while position < length and (srcset[position] != "," or depth):
                depth += {"(": 1, ")": -1}.get(srcset[position], 0)
                position += 1
        if url:
            urls.append(url)
    return urls


def css_urls(css: str) -> list[tuple[str, int]]:
    """Every url(...) and @import of a stylesheet, with its offset; comments skipped."""
    blanked = CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), css)
    found = []
    for match in CSS_URL.finditer(blanked):
        url = next(g for g in match.groups() if g is not None)
        if url and not url.startswith("#"):  # url(#gradient) names an element of an SVG
            found.append((url.strip(), match.start()))
    return found


def scan_file(path: str, read: Callable[[], bytes]) -> Scanned | None:
    """What a built file links to, by its kind; None for a file that links to nothing (an image)."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if suffix not in ("html", "htm", "css", "xml") and path != "robots.txt":
        return None
    text = read().decode("utf-8", errors="replace")
    if suffix in ("html", "htm"):
        return scan_html(text)
    found = Scanned()
    if suffix == "css":
        matches = [(url, at, "CSS url()") for url, at in css_urls(text)]
    elif suffix == "xml":
        matches = [
            (_xml_unescape(next(g for g in m.groups() if g)), m.start(), "sitemap" if m.group(1) or m.group(2) else "feed")
            for m in XML_URL.finditer(text)
        ]
    else:
        matches = [(m.group(1), m.start(1), "robots.txt") for m in re.finditer(r"(?im)^sitemap:\s*(\S+)", text)]
    for url, at, what in matches:
        line = text.count("\n", 0, at) + 1
        found.references.append(Reference(url, line, at - text.rfind("\n", 0, at), what))
    return found


def _xml_unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")
