"""One configured Markdown renderer for write-ups, pages and cover letters.

Raw HTML is off: content is data, and a `<script>` written in a write-up must show as
text. Links and images are resolved through `Urls`, and every local image a text
uses is reported with its line so a missing file is an error at the right place.
A link or image whose address would run code or hide content (`javascript:`, however
disguised) is dropped and reported with its line too, never left in the page.
"""

from __future__ import annotations

import hashlib
import html
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .errors import shorten
from .urls import Urls, is_external


@dataclass(frozen=True)
class ImageRef:
    path: str  # relative to static/, as written
    line: int  # line in the source file


@dataclass(frozen=True)
class DroppedUrl:
    """A link or image left out of the page because of its address's scheme."""

    url: str  # as markdown-it passed it on
    scheme: str  # e.g. "javascript:"
    line: int  # line in the source file
    image: bool

    def explain(self) -> tuple[str, str]:
        """The warning's message and hint."""
        why = {
            "javascript:": "runs code in the reader's browser",
            "vbscript:": "runs code in the reader's browser",
            "data:": "hides its content inside the page",
            "file:": "points at a file on your own computer",
        }[self.scheme]
        if self.image:
            hint = "put the image under static/ and write its path, e.g. ![Stage](images/stage.jpg)"
        elif self.scheme == "file:" or self.scheme == "data:":
            hint = "put the file under static/ and link to its path, e.g. [Menu](/files/menu.pdf)"
        else:
            hint = "link to a web address starting with https://, or to a page of the site such as /about/"
        return f"{'image' if self.image else 'link to'} '{shorten(self.url)}' left out: a {self.scheme} address {why}", hint


@dataclass(frozen=True)
class Rendered:
    html: str
    images: tuple[ImageRef, ...]
    dropped: tuple[DroppedUrl, ...] = ()


# Schemes that run code (javascript:, vbscript:), carry content no one reviewed inside the page
# (data:) or point into the writer's own computer (file:).
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


def unsafe_scheme(url: str) -> str | None:
    """The unsafe scheme a URL has once decoded the ways a browser or a careless tool might:
    percent-escapes and HTML entities (repeatedly: `%256A`), whitespace and control characters
    anywhere (`java\tscript:`), any case. None for a safe URL."""
    text = url
    for _ in range(8):
        decoded = html.unescape(unquote(text))
        if decoded == text:
            break
        text = decoded
    compact = "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf")).lower()
    return next((scheme for scheme in UNSAFE_SCHEMES if compact.startswith(scheme)), None)


class _Parser(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        """Let every link through to `render_markdown`, which drops unsafe ones with a warning:
        markdown-it's own check would leave them as literal text, silently."""
        return True


def _make_parser() -> MarkdownIt:
    md = _Parser("commonmark", {"html": False, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin).use(deflist_plugin).use(anchors_plugin, min_level=2, max_level=3)
    return md


_PARSER = _make_parser()

try:  # propgen[fast]: markdown-it-pyrs parses, markdown-it-py does everything else
    from . import markdown_fast
except ImportError:  # pragma: no cover - the extra is not installed
    markdown_fast = None  # type: ignore[assignment]

ACCELERATED = markdown_fast is not None
_RULES = _PARSER.core.ruler
# markdown-it-py's core rules after its parsers ("block", "inline"): footnotes, typographer, anchors
_AFTER_PARSING = _RULES.getRules("")[_RULES.get_active_rules().index("inline") + 1 :]


def parse(text: str, env: dict[str, Any], accelerated: bool | None = None) -> list[Token]:
    """markdown-it-py's tokens for `text`, parsed by markdown-it-pyrs where it is installed
    and `markdown_fast` can promise the same tokens, by markdown-it-py otherwise."""
    fast = ACCELERATED if accelerated is None else accelerated
    tokens = markdown_fast.parse(text, _PARSER, env) if fast and markdown_fast is not None else None
    if tokens is None:
        return _PARSER.parse(text, env)
    state = StateCore(text, _PARSER, env, tokens)
    for rule in _AFTER_PARSING:
        rule(state)
    return state.tokens


def render_markdown(text: str, urls: Urls, first_line: int = 1, accelerated: bool | None = None) -> Rendered:
    """Render Markdown to HTML; `first_line` is the file line where `text` starts.
    `accelerated=False` parses with markdown-it-py even where markdown-it-pyrs is installed
    (the output is the same either way: tests compare them)."""
    env: dict[str, Any] = {}
    tokens = parse(text, env, accelerated)
    images: list[ImageRef] = []
    dropped: list[DroppedUrl] = []
    open_links: list[bool] = []  # for each link_open not yet closed: was it dropped?
    for block in tokens:
        line = first_line + (block.map[0] if block.map else 0)
        for token in _walk(block):
            if token.type in ("softbreak", "hardbreak"):
                line += 1  # inline tokens carry no line of their own: count the breaks
            elif token.type in ("image", "link_open"):
                url = str(token.attrGet("src" if token.type == "image" else "href") or "")
                scheme = unsafe_scheme(url)
                if token.type == "link_open":
                    open_links.append(scheme is not None)
                if scheme is not None:
                    dropped.append(DroppedUrl(url, scheme, line, token.type == "image"))
                    _blank(token)  # a dropped link keeps its text; a dropped image goes entirely
                elif token.type == "image":
                    _image(token, urls, images, line)
                else:
                    token.attrSet("href", urls.in_markdown(url, image=False))
            elif token.type == "link_close" and open_links and open_links.pop():
                _blank(token)
    html_text = _PARSER.renderer.render(tokens, _PARSER.options, env)
    return Rendered(html_text, tuple(images), tuple(dropped))


class Renderer:
    """`render_markdown` with a memory. Bodies rendered ahead of time (kept by the build
    cache, or rendered by every core at once) are looked up by key instead of rendered again;
    rendering is pure, so a remembered result is the result."""

    def __init__(self, urls: Urls, known: Mapping[str, Rendered] | None = None) -> None:
        self.urls = urls
        self.known: dict[str, Rendered] = dict(known or {})
        self.used: set[str] = set()  # what the cache keeps for the next build
        self._noting = True
        self._coming: set[str] = set()  # keys that `_arriving` will give, rendered by other processes
        self._arriving: Iterator[tuple[str, Rendered]] = iter(())

    def expect(self, arriving: Iterator[tuple[str, Rendered]], keys: Iterable[str]) -> None:
        """Bodies that other processes are rendering, in the order they will be asked for
        (`arriving` gives each key with its result): a body asked for before it arrived is
        waited for rather than rendered again here."""
        self._arriving, self._coming = arriving, set(keys)

    def arrived(self) -> None:
        """Every body still expected, taken in (before the processes rendering them stop)."""
        for key, rendered in self._arriving:
            self.known[key] = rendered
        self._arriving, self._coming = iter(()), set()

    @contextmanager
    def kept_elsewhere(self) -> Iterator[None]:
        """Render without noting the bodies for the cache: the events they belong to are kept
        whole (kept.py), and keeping their HTML twice made a large site's cache twice as big."""
        self._noting = False
        try:
            yield
        finally:
            self._noting = True

    def key(self, text: str, first_line: int) -> str:
        """Everything the HTML depends on besides propgen's code (the cache's own key has that)."""
        h = hashlib.blake2b(digest_size=16)
        h.update(f"{self.urls.base_url}\0{first_line}\0".encode())
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def render(self, text: str, first_line: int = 1) -> Rendered:
        key = self.key(text, first_line)
        if self._noting:
            self.used.add(key)
        found = self.known.get(key)
        if found is None and key in self._coming:
            for arrived, rendered in self._arriving:  # the ones before it: asked for by now, or never
                self.known[arrived] = rendered
                self._coming.discard(arrived)
                if arrived == key:
                    return rendered
        if found is None:
            found = self.known[key] = render_markdown(text, self.urls, first_line)
        return found


def rendered_to_json(rendered: Rendered) -> dict[str, Any]:
    return {
        "html": rendered.html,
        "images": [[ref.path, ref.line] for ref in rendered.images],
        "dropped": [[d.url, d.scheme, d.line, d.image] for d in rendered.dropped],
    }


def rendered_from_json(data: Mapping[str, Any]) -> Rendered:
    """The inverse of `rendered_to_json`; raises KeyError, TypeError or ValueError on anything else."""
    html = data["html"]
    if not isinstance(html, str):
        raise TypeError("html is not text")
    return Rendered(
        html,
        tuple(ImageRef(str(path), int(line)) for path, line in data["images"]),
        tuple(DroppedUrl(str(url), str(scheme), int(line), bool(image)) for url, scheme, line, image in data["dropped"]),
    )


def _image(token: Token, urls: Urls, images: list[ImageRef], line: int) -> None:
    src = unquote(str(token.attrGet("src") or ""))  # markdown-it percent-encodes; files have real names
    if src and not is_external(src) and not src.startswith("/"):
        images.append(ImageRef(src, line))
    elif src.startswith("/") and not src.startswith("//"):
        images.append(ImageRef(src.lstrip("/"), line))
    token.attrSet("src", urls.in_markdown(src, image=True))
    token.attrSet("loading", "lazy")


def _blank(token: Token) -> None:
    """Make a token render as nothing (an empty text token); its neighbours are untouched."""
    token.type, token.tag, token.nesting, token.content, token.children = "text", "", 0, "", None
    token.attrs = {}


def _walk(token: Token) -> list[Token]:
    found = [token]
    for child in token.children or []:
        found.extend(_walk(child))
    return found
