"""One configured Markdown renderer for write-ups, pages and cover letters.

Raw HTML is off: content is data, and a `<script>` written in a write-up must show as
text. Links and images are resolved through `Urls`, and every local image a text
uses is reported with its line so a missing file is an error at the right place.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .urls import Urls, is_external


@dataclass(frozen=True)
class ImageRef:
    path: str  # relative to static/, as written
    line: int  # line in the source file


@dataclass(frozen=True)
class Rendered:
    html: str
    images: tuple[ImageRef, ...]


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin).use(deflist_plugin).use(anchors_plugin, min_level=2, max_level=3)
    return md


_PARSER = _make_parser()


def render_markdown(text: str, urls: Urls, first_line: int = 1) -> Rendered:
    """Render Markdown to HTML; `first_line` is the file line where `text` starts."""
    env: dict[str, object] = {}
    tokens = _PARSER.parse(text, env)
    images: list[ImageRef] = []
    for block in tokens:
        line = first_line + (block.map[0] if block.map else 0)
        for token in _walk(block):
            if token.type in ("softbreak", "hardbreak"):
                line += 1  # inline tokens carry no line of their own: count the breaks
            elif token.type == "image":
                src = unquote(str(token.attrGet("src") or ""))  # markdown-it percent-encodes; files have real names
                if src and not is_external(src) and not src.startswith("/"):
                    images.append(ImageRef(src, line))
                elif src.startswith("/") and not src.startswith("//"):
                    images.append(ImageRef(src.lstrip("/"), line))
                token.attrSet("src", urls.in_markdown(src, image=True))
                token.attrSet("loading", "lazy")
            elif token.type == "link_open":
                token.attrSet("href", urls.in_markdown(str(token.attrGet("href") or ""), image=False))
    html = _PARSER.renderer.render(tokens, _PARSER.options, env)
    return Rendered(html, tuple(images))


def _walk(token: Token) -> list[Token]:
    found = [token]
    for child in token.children or []:
        found.extend(_walk(child))
    return found
