"""markdown-it-pyrs (Rust) as markdown-it-py's parser, for speed, never for different output.

markdown-it-py spends most of a write-up's time in its block and inline parsers. This
module parses with markdown-it-pyrs instead and turns its syntax tree into the very
tokens markdown-it-py's parsers would have made (types, tags, attributes, levels,
hidden paragraphs of tight lists, lines). Everything after parsing stays markdown-it-py's:
the typographer (replacements, smart quotes), heading anchors, the link and image pass
in `markdown.py` and the HTML renderer. So the two paths share every rule that decides a
byte of output, and differ only in who found the paragraphs, emphasis and links.

Where the two parsers could read a text differently, `parse` returns None and the caller
parses with markdown-it-py: correctness first. Some of that shows in the text and is
checked before parsing (footnotes, definition lists, strikethrough, unsafe link schemes,
control characters and Unicode spaces, delimiters beside non-ASCII characters, code spans
beside brackets); the rest shows in the tree (autolinks, a table not set apart
by blank lines, a fence whose info string has escapes, a node kind not mapped here).
tests/unit/test_markdown_fast.py renders the demo, the benchmark corpus and random
Markdown both ways and requires identical results; what it found differing is a check here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it_pyrs import MarkdownIt as RustMarkdownIt
from markdown_it_pyrs import Node

from .markdown_checks import differs

# The rules of markdown-it-py's "commonmark" preset with raw HTML off, plus tables (texts with
# strikethrough go to markdown-it-py). The typographer is not among them: markdown-it-py's own
# rules run on the tokens.
RUST_RULES = [
    "blockquote",
    "code",
    "fence",
    "heading",
    "hr",
    "lheading",
    "list",
    "paragraph",
    "reference",
    "autolink",
    "backticks",
    "emphasis",
    "entity",
    "escape",
    "image",
    "link",
    "newline",
    "table",
    "footnote",  # enabled only to be seen: their nodes are not converted
    "deflist",
]

_RUST = RustMarkdownIt("zero").enable_many(RUST_RULES)  # type: ignore[arg-type]

# Block nodes a list item may hold; its other children are the inline content of a tight
# item's paragraph (markdown-it-py keeps that paragraph, hidden).
_BLOCKS = frozenset(
    {"paragraph", "heading", "bullet_list", "ordered_list", "blockquote", "hr", "code_block", "fence", "table", "definition"}
)
_UNKNOWN = "\0"  # an image label not read from the source (NUL never reaches the converter)
_MARKER_ONLY = re.compile(rb"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]*$")
_ALIGN = {"left": {"style": "text-align:left"}, "right": {"style": "text-align:right"}, "center": {"style": "text-align:center"}}


class Unsupported(Exception):
    """The tree holds something this module does not turn into markdown-it-py's tokens exactly."""


def parse(text: str, md: MarkdownIt, env: dict[str, Any]) -> list[Token] | None:
    """The tokens markdown-it-py's block and inline parsers make of `text` (its core rules
    after "inline" still to run), or None where this module cannot promise the same ones."""
    if differs(text):
        return None  # seen in the text already (markdown_checks.py)
    try:
        tree = _RUST.tree(text)
    except Exception:  # pragma: no cover - markdown-it-pyrs failed on a text no check foresaw
        return None
    except BaseException as error:  # a Rust panic arrives as pyo3's PanicException, a BaseException
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        return None
    try:
        return _Converter(text, md, env).document(tree.children)
    except Unsupported:
        return None


class _Converter:
    def __init__(self, text: str, md: MarkdownIt, env: dict[str, Any]) -> None:
        self.text = text
        self.data = text.encode()
        self.ascii = len(self.data) == len(text)
        self.md = md
        self.env = env
        self.out: list[Token] = []
        self.span = (0, 0)  # the source bytes of the block whose inline content is being converted

    def document(self, nodes: Sequence[Node]) -> list[Token]:
        self.blocks(nodes)
        return self.out

    def line(self, node: Node) -> int:
        """The 0-based line a node starts on (the tree maps nodes to UTF-8 byte offsets)."""
        if node.srcmap is None:
            raise Unsupported(node.name)
        return self.data.count(b"\n", 0, node.srcmap[0])

    def blocks(self, nodes: Sequence[Node]) -> None:
        for node in nodes:
            name = node.name
            handler = _BLOCK_HANDLERS.get(name)
            if handler is None:
                raise Unsupported(name)
            handler(self, node)

    def wrap(self, kind: str, tag: str, node: Node, attrs: dict[str, Any] | None = None, markup: str = "") -> None:
        self.out.append(_token(f"{kind}_open", tag, 1, attrs=attrs or {}, markup=markup, block=True))
        self.blocks(node.children)
        self.out.append(_token(f"{kind}_close", tag, -1, markup=markup, block=True))

    def paragraph(self, node: Node) -> None:
        self.inline_block("paragraph", "p", node, node.children, self.line(node), hidden=False)

    def inline_block(
        self, kind: str, tag: str, block: Node, children: Sequence[Node], line: int, hidden: bool, attrs: dict[str, Any] | None = None
    ) -> None:
        """`block` is the node whose source holds the content (block nodes' source positions are
        exact; those of inline nodes are not on a block's later lines)."""
        if block.srcmap is None:
            raise Unsupported(block.name)
        self.span = block.srcmap
        out = self.out
        out.append(_token(f"{kind}_open", tag, 1, attrs=attrs or {}, block=True, hidden=hidden))
        out.append(self.inline(children, line))
        out.append(_token(f"{kind}_close", tag, -1, block=True, hidden=hidden))

    def inline(self, children: Sequence[Node], line: int) -> Token:
        tokens = self.inlines(children, 0)
        for i, token in enumerate(tokens):
            if token.content == _UNKNOWN:
                if _quote_beside(tokens, i):
                    raise Unsupported("image label next to a quote")
                token.content = "?"  # never read: no quote looks at it
        # markdown-it-py's typographer rules test an inline token's `content` (its source) before
        # looking at its text tokens, and change only text tokens: their words are enough to test.
        content = "".join([token.content for token in tokens if token.type == "text"])
        return _token("inline", "", 0, map=[line, line + 1], content=content, children=tokens, block=True)

    def heading(self, node: Node) -> None:
        tag = f"h{node.meta['level']}"
        self.inline_block("heading", tag, node, node.children, self.line(node), hidden=False)

    def bullet_list(self, node: Node) -> None:
        self.list_block("bullet_list", "ul", node, {})

    def ordered_list(self, node: Node) -> None:
        start = node.meta["start"]
        self.list_block("ordered_list", "ol", node, {"start": start} if start != 1 else {})

    def list_block(self, kind: str, tag: str, node: Node, attrs: dict[str, Any]) -> None:
        out = self.out
        out.append(_token(f"{kind}_open", tag, 1, attrs=attrs, block=True))
        for item in node.children:
            if item.name != "list_item":
                raise Unsupported(item.name)
            out.append(_token("list_item_open", "li", 1, block=True))
            run: list[Node] = []
            first = True  # whether the run of inline nodes opens the item
            for child in item.children:
                if child.name in _BLOCKS:
                    self.tight_paragraph(item, run, first)
                    run, first = [], False
                    self.blocks([child])
                else:
                    run.append(child)
            self.tight_paragraph(item, run, first)
            out.append(_token("list_item_close", "li", -1, block=True))
        out.append(_token(f"{kind}_close", tag, -1, block=True))

    def tight_paragraph(self, item: Node, run: list[Node], first: bool) -> None:
        """A tight item's paragraph: markdown-it-py keeps it, hidden; the tree has its content only."""
        if not run:
            return
        if not first:
            raise Unsupported("tight paragraph after a block")  # its line is not known
        line = self.line(item)
        start = item.srcmap[0] if item.srcmap else 0
        end = self.data.find(b"\n", start)
        if _MARKER_ONLY.match(self.data[start : end if end >= 0 else len(self.data)]):
            line += 1  # "-" alone on its line: the content starts on the next
        self.inline_block("paragraph", "p", item, run, line, hidden=True)

    def blockquote(self, node: Node) -> None:
        self.wrap("blockquote", "blockquote", node)

    def hr(self, node: Node) -> None:
        self.out.append(_token("hr", "hr", 0, block=True))

    def code_block(self, node: Node) -> None:
        self.out.append(_token("code_block", "code", 0, content=node.meta["content"], block=True))

    def fence(self, node: Node) -> None:
        meta = node.meta
        info = meta.get("info", "")
        if "\\" in info or "&" in info:
            raise Unsupported("fence info with escapes")  # markdown-it-py keeps these raw
        self.out.append(_token("fence", "code", 0, content=meta["content"], info=info, block=True))

    def definition(self, node: Node) -> None:
        """A link reference definition shows nothing."""

    def table(self, node: Node) -> None:
        # Where a table meets other lines (a paragraph, a list, a quote's lazy line) without a
        # blank line between them, the parsers disagree about where it starts and ends.
        if node.srcmap is None or not (_blank_before(self.data, node.srcmap[0]) and _blank_after(self.data, node.srcmap[1])):
            raise Unsupported("table without blank lines around it")
        # markdown-it-py ends a table at a line that starts another block ("3) item", "> quote"),
        # markdown-it-pyrs reads it as one more row: only tables whose rows all start with '|' are sure.
        if any(not line.lstrip(b" ").startswith(b"|") for line in self.data[node.srcmap[0] : node.srcmap[1]].split(b"\n")):
            raise Unsupported("table row without a leading '|'")
        aligns = [_ALIGN.get(a, {}) for a in node.meta["alignments"]]
        out = self.out
        out.append(_token("table_open", "table", 1, block=True))
        for section in node.children:
            kind, cell = {"thead": ("thead", "th"), "tbody": ("tbody", "td")}.get(section.name, ("", ""))
            if not kind:
                raise Unsupported(section.name)
            out.append(_token(f"{kind}_open", kind, 1, block=True))
            for row in section.children:
                line = self.line(row)
                out.append(_token("tr_open", "tr", 1, block=True))
                cells = row.children
                for i, align in enumerate(aligns):
                    children = cells[i].children if i < len(cells) else []
                    self.inline_block(cell, cell, row, children, line, hidden=False, attrs=dict(align))
                out.append(_token("tr_close", "tr", -1, block=True))
            out.append(_token(f"{kind}_close", kind, -1, block=True))
        out.append(_token("table_close", "table", -1, block=True))

    def inlines(self, nodes: Sequence[Node], level: int) -> list[Token]:
        tokens: list[Token] = []
        for node in nodes:
            name = node.name
            if name == "text":
                tokens.append(_token("text", "", 0, content=node.meta["content"], level=level))
            elif name == "softbreak" or name == "hardbreak":
                tokens.append(_token(name, "br", 0, level=level))
            elif name in _PAIRS:
                kind, tag, width = _PAIRS[name]
                markup = node.meta["marker"] * width
                tokens.append(_token(f"{kind}_open", tag, 1, markup=markup, level=level))
                tokens.extend(self.inlines(node.children, level + 1))
                tokens.append(_token(f"{kind}_close", tag, -1, markup=markup, level=level))
            elif name == "text_special":
                meta = node.meta
                tokens.append(_token("text_special", "", 0, content=meta["content"], markup=meta["markup"], info=meta["info"], level=level))
            elif name == "code_inline":
                content = "".join(child.meta["content"] for child in node.children)
                if not content.strip(" "):
                    raise Unsupported("code span of spaces")  # markdown-it-pyrs trims it, markdown-it-py does not
                tokens.append(_token("code_inline", "code", 0, content=content, markup="`" * node.meta["marker_len"], level=level))
            elif name == "link":
                tokens.append(_token("link_open", "a", 1, attrs=_link_attrs("href", node.meta), level=level))
                tokens.extend(self.inlines(node.children, level + 1))
                tokens.append(_token("link_close", "a", -1, level=level))
            elif name == "image":
                attrs = _link_attrs("src", node.meta)
                attrs = {"src": attrs.pop("src"), "alt": "", **attrs}
                tokens.append(
                    _token("image", "img", 0, attrs=attrs, children=self.inlines(node.children, 0), content=self.label(node), level=level)
                )
            else:
                raise Unsupported(name)
        return tokens

    def label(self, node: Node) -> str:
        """An image's label as written: markdown-it-py keeps it as the token's content, and its
        smart quotes look at that content's first and last characters (nothing else reads it)."""
        if b"\n" in self.data[self.span[0] : self.span[1]]:
            return _UNKNOWN  # the image's own source position may be off: only a one-line block is sure
        if node.srcmap is None:
            raise Unsupported("image without source position")
        start, stop = node.srcmap if self.ascii else (len(self.data[:offset].decode()) for offset in node.srcmap)
        state = StateInline(self.text, self.md, self.env, [])
        end = self.md.helpers.parseLinkLabel(state, start + 1, False)
        if not (self.text.startswith("![", start) and start < end < stop) or "[" in self.text[start + 2 : end]:
            raise Unsupported("image label")  # brackets inside: markdown-it-py's scan would know the references
        return self.text[start + 2 : end]


def _quote_beside(tokens: list[Token], index: int) -> bool:
    """Whether markdown-it-py's smart quotes would read the content of token `index`: it looks
    at the nearest token with content on either side of a quote that starts or ends a text token."""
    for step, end in ((-1, -1), (1, 0)):
        j = index + step
        while 0 <= j < len(tokens) and tokens[j].type not in ("softbreak", "hardbreak"):
            if tokens[j].content:
                if tokens[j].type == "text" and tokens[j].content[end] in "'\"":
                    return True
                break
            j += step
    return False


def _blank_before(data: bytes, start: int) -> bool:
    """Whether `start` begins a line that is the first of the text or follows a blank line."""
    line_start = data.rfind(b"\n", 0, start) + 1
    if data[line_start:start].strip(b" \t"):
        return False  # the table starts after a list or quote marker
    if line_start == 0:
        return True
    previous = data.rfind(b"\n", 0, line_start - 1) + 1
    return not data[previous : line_start - 1].strip(b" \t")


def _blank_after(data: bytes, end: int) -> bool:
    """Whether the line ending at `end` is the last of the text or a blank line follows it."""
    line_end = data.find(b"\n", end)
    if line_end < 0 or data[end:line_end].strip(b" \t"):
        return line_end < 0 and not data[end:].strip(b" \t")
    following = data.find(b"\n", line_end + 1)
    return not data[line_end + 1 : following if following >= 0 else len(data)].strip(b" \t")


def _token(
    type: str,  # the names of Token's own fields
    tag: str,
    nesting: Literal[-1, 0, 1],
    attrs: dict[str, Any] | None = None,
    map: list[int] | None = None,
    level: int = 0,
    children: list[Token] | None = None,
    content: str = "",
    markup: str = "",
    info: str = "",
    block: bool = False,
    hidden: bool = False,
) -> Token:
    """`Token(...)` without its dataclass __init__ and __post_init__: the same token in a third
    of the time, which is a good part of the fast path's own cost (a write-up makes ~100)."""
    token = _new_object(Token)
    token.type, token.tag, token.nesting, token.attrs, token.map = type, tag, nesting, {} if attrs is None else attrs, map
    token.level, token.children, token.content, token.markup, token.info = level, children, content, markup, info
    token.meta, token.block, token.hidden = {}, block, hidden
    return token


_new_object = object.__new__


def _link_attrs(key: str, meta: Any) -> dict[str, Any]:
    attrs: dict[str, Any] = {key: meta["url"]}
    title = meta.get("title")
    if title:
        attrs["title"] = title
    return attrs


_PAIRS = {"em": ("em", "em", 1), "strong": ("strong", "strong", 2)}

_BLOCK_HANDLERS: dict[str, Callable[[_Converter, Node], None]] = {
    "paragraph": _Converter.paragraph,
    "heading": _Converter.heading,
    "lheading": _Converter.heading,
    "bullet_list": _Converter.bullet_list,
    "ordered_list": _Converter.ordered_list,
    "blockquote": _Converter.blockquote,
    "hr": _Converter.hr,
    "code_block": _Converter.code_block,
    "fence": _Converter.fence,
    "definition": _Converter.definition,
    "table": _Converter.table,
}
