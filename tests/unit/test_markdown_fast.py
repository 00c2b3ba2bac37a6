"""propgen[fast]: Markdown parsed by markdown-it-pyrs renders exactly as parsed by markdown-it-py.

Every comparison renders a text both ways (`accelerated=False` is the pure markdown-it-py
path) and requires the same `Rendered`: HTML bytes, images with their lines, dropped links
with their lines. The demo's texts and the benchmark's write-ups must also take the fast
path (mostly): an accelerator that always falls back would pass the first check and help nobody.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEMO_PASSWORDS, DEMO_SECRET, REPO
from propgen import markdown
from propgen.build import BuildOptions, load
from propgen.errors import Report
from propgen.markdown import _PARSER, Rendered, render_markdown
from propgen.urls import Urls

markdown_fast = pytest.importorskip("propgen.markdown_fast", reason="markdown-it-pyrs (propgen[fast]) is not installed")

URLS = Urls("https://events.example/sub/")


def both_ways(text: str, first_line: int = 1) -> tuple[Rendered, Rendered]:
    return render_markdown(text, URLS, first_line, accelerated=False), render_markdown(text, URLS, first_line, accelerated=True)


def takes_fast_path(text: str) -> bool:
    return markdown_fast.parse(text, _PARSER, {}) is not None


def test_the_accelerator_is_on_where_installed() -> None:
    assert markdown.ACCELERATED


def test_fast_path_renders_every_construct_the_same() -> None:
    text = (
        "## The “plan” -- and 'why' (c)\n\n"
        "## The “plan” -- and 'why' (c)\n\n"
        'He said "hello" and it\'s *fine*... **really**, \\*esc\\* &amp; &copy;\n'
        '[a link](/about/ "Title") ![a *photo*](images/stage.jpg "Stage") [ref][r]\n\n'
        "- tight\n- list\n  - nested\n\n"
        "3. loose\n\n4. list\n\n"
        "> a quote with <b>HTML</b>\n\n"
        "| left | right | mid | none |\n|:--|--:|:-:|---|\n| 1 | 2 |\n\n"
        "```py\nprint('x')\n```\n\n    indented\n\n***\n\nSetext\n---\n\n"
        "[r]: https://events.example/r\n"
    )
    assert takes_fast_path(text)
    pure, fast = both_ways(text, 7)
    assert fast == pure
    assert 'id="the-plan--and-why--1"' in fast.html  # anchors' duplicate titles, from markdown-it-py's rule
    assert [(i.path, i.line) for i in fast.images] == [("images/stage.jpg", 12)]


def test_fast_path_renders_code_spans_and_tight_items_the_same() -> None:
    code = 'Use `a  "b"` and ``x ` y``, "quoted `code`"\n'
    items = '-\n  starts below\n- ![it\'s](images/a.png) "after"\n- two "lines"\n  and ![x](images/b.png) more\n'
    for text in (code, items):
        assert takes_fast_path(text)
        pure, fast = both_ways(text, 2)
        assert fast == pure
    assert [(i.path, i.line) for i in both_ways(items, 2)[1].images] == [("images/a.png", 4), ("images/b.png", 6)]


def test_texts_the_fast_path_cannot_promise_fall_back_and_still_match() -> None:
    texts = [
        "A note[^1].\n\n[^1]: Footnote with [a link](https://x.example/).\n",
        "Term\n: its definition\n",
        "See <https://events.example/> or <hello@events.example>.\n",
        "[bad](javascript:alert(1)) and ![pic](data:image/png;base64,AAAA)\n",
        "[bad](&#106;avascript:alert(1))\n",
        "Windows line\r\nends\r\n",
        "```a\\_b\ncode\n```\n",
        "~~struck~~ and ~~~~four~~~~\n",
        "[`unclosed code](/x/)\n",
        "Non-breaking\xa0space *here*\n",
        "*日本*\n",
        "Text\n| a |\n|---|\n",
        "Two lines and\nan image ![x](images/b.png)'s label beside a quote\n",
        "_'\ns*_*_*\n",  # '*' and '_' side by side
        "[ref]: images/a.png\n''\\*\n===\n",  # a definition, then a setext underline
        "| a |\n|---|\n| 1 |\n3) item\n",  # a row that is a list item to markdown-it-py
        "* [ref]: /x/\n  text ![i](images/i.png)\n",  # a tight item's text after a definition
        "`  \n`\n",  # a code span of spaces only
        "```\ncode to the end, no final newline",
        "[r]: /y/\\\n",  # a backslash in a reference definition
        "> quoted\n2) lazy line or list?\n",
        ">\tcode or quote?\n",
    ]
    for text in texts:
        assert not takes_fast_path(text), text
        pure, fast = both_ways(text, 3)
        assert fast == pure


def demo_options(tmp_path: Path) -> BuildOptions:
    env = {"PROPGEN_SECRET": DEMO_SECRET, **DEMO_PASSWORDS}
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    return BuildOptions(site=REPO, out=tmp_path / "output", now=now, write=False, search=False, environ=env)


def test_every_markdown_text_of_the_demo_renders_the_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo loaded as a build loads it (every write-up, page, proposal and sponsorship
    text, and every Markdown field inside them), once with each parser."""
    fast = load(demo_options(tmp_path), Report())
    monkeypatch.setattr(markdown, "ACCELERATED", False)
    pure = load(demo_options(tmp_path), Report())
    assert fast is not None and pure is not None
    assert len(fast.markdown.known) > 40
    assert fast.markdown.known == pure.markdown.known


def test_the_demo_bodies_take_the_fast_path() -> None:
    bodies = [path.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for path in sorted((REPO / "content").rglob("*.md"))]
    assert len(bodies) > 20
    fast = [body for body in bodies if takes_fast_path(body)]
    assert len(fast) >= 0.8 * len(bodies)
    for body in bodies:
        pure, accelerated = both_ways(body, 5)
        assert accelerated == pure


def test_the_benchmark_corpus_renders_the_same_and_takes_the_fast_path() -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from corpus import make_events
    finally:
        sys.path.remove(str(REPO / "bench"))
    bodies = [event.body for event in make_events(300)]
    for body in bodies:
        assert takes_fast_path(body)
        pure, fast = both_ways(body, 12)
        assert fast == pure


# Random Markdown from the constructs write-ups use, and the ones they should not.
WORDS = ["the", "client", "it's", "Jakarta", "pernikahan", "di", "taman", "café", "naïve", "日本", "😀", "guests'", "rock'n'roll"]
PUNCT = [
    '"',
    "'",
    "--",
    "---",
    "...",
    "(c)",
    "(tm)",
    "+-",
    "??",
    "!!!!",
    ",,",
    "&amp;",
    "&copy;",
    "&#34;",
    "\\*",
    "\\",
    "<b>",
    "</b>",
    "<br>",
    "&",
]
URLS_IN_TEXT = [
    "https://venue.example/a?b=1&c=2",
    "/about/",
    "#plan",
    "images/stage.jpg",
    "/images/hall.png",
    "javascript:alert(1)",
    "JAVA%73cript:x",
    "data:image/png;base64,AA",
    "<with space.png>",
    "ümlaut.jpg",
    "a%20b.jpg",
    "vbscript:x",
    "https://x.example/(paren)",
]
SAFE_URLS = [u for u in URLS_IN_TEXT if "script" not in u.lower() and not u.startswith("data:")]
PLAIN = ["the", "client", "it's", "Jakarta", "pernikahan", "di", "guests'", "rock'n'roll", " café ", " 日本 ", " naïve "]
PLAIN_PUNCT = ['"', "'", "--", "---", "...", "(c)", "(tm)", "+-", "??", ",,", "&amp;", "&#34;", "\\*", "<b>", "</b>", "&", ".", ","]
word = st.sampled_from(WORDS)
atom = st.one_of(
    word,
    word,
    word,
    st.sampled_from(PUNCT),
    st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "S"]), max_size=3),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=2),  # anything at all, now and then
)


plain_atom = st.one_of(st.sampled_from(PLAIN), st.sampled_from(PLAIN_PUNCT))


@st.composite
def inline(draw: st.DrawFn, depth: int = 0, plain: bool = False) -> str:
    """Inline Markdown; `plain` keeps to what write-ups hold, which the fast path parses."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.integers(0, 12 if depth < 2 else 2))
        if plain and kind == 7 and draw(st.booleans()):
            kind = 0  # fewer code spans: next to a link they send the text to markdown-it-py
        if kind <= 2:
            parts.append(draw(plain_atom if plain else atom))
        elif kind == 3:
            parts.append(f"*{draw(inline(depth + 1, plain))}*")
        elif kind == 4:
            parts.append(f"**{draw(inline(depth + 1, plain))}**")
        elif kind == 5:
            parts.append(f"_{draw(inline(depth + 1, plain))}_")
        elif kind == 6:
            parts.append(f"~~{draw(inline(depth + 1, plain))}~~")
        elif kind == 7:
            parts.append(f"`{draw(inline(depth + 1, plain))}`")
        elif kind == 8:
            parts.append(f'"{draw(inline(depth + 1, plain))}"')
        elif kind == 9:
            parts.append(f"'{draw(inline(depth + 1, plain))}'")
        elif kind == 10:
            title = draw(st.sampled_from(["", ' "Title"', " 'it's'"]))
            parts.append(f"[{draw(inline(depth + 1, plain))}]({draw(st.sampled_from(SAFE_URLS if plain else URLS_IN_TEXT))}{title})")
        elif kind == 11:
            parts.append(f"![{draw(inline(depth + 1, plain))}]({draw(st.sampled_from(SAFE_URLS if plain else URLS_IN_TEXT))})")
        else:
            extras = ["[ref]", "  \n", "\n", "\\\n"] + ([] if plain else ["[^1]", "<https://auto.example/>"])
            parts.append(draw(st.sampled_from(extras)))
    return draw(st.sampled_from([" ", "", "\n"])).join(parts)


@st.composite
def block(draw: st.DrawFn, depth: int = 0, plain: bool = False) -> str:
    kind = draw(st.integers(0, (11 if plain else 13) if depth < 2 else 3))
    text = draw(inline(0, plain)).strip("\n") or "x"
    if kind <= 1:
        return text
    if kind == 2:
        return f"{'#' * draw(st.integers(1, 4))} {draw(st.sampled_from(['Plan', 'The “day”', 'Plan', text]))}"
    if kind == 3:
        return f"{text.splitlines()[0]}\n{draw(st.sampled_from(['===', '---']))}"
    if kind in (4, 5):
        marker = draw(st.sampled_from(["- ", "* ", "1. ", "3) "]))
        items = draw(st.lists(block(depth + 1, plain), min_size=1, max_size=3))
        sep = draw(st.sampled_from(["\n", "\n\n"]))
        return sep.join(marker + item.replace("\n", "\n" + " " * len(marker)) for item in items)
    if kind == 6:
        return "\n".join("> " + line for line in draw(block(depth + 1, plain)).splitlines())
    if kind == 7:
        cells = draw(st.lists(st.sampled_from(["a", "*b*", "`c`", "it's", "[l](/x/)", ""]), min_size=1, max_size=4))
        align = draw(st.lists(st.sampled_from(["---", ":--", "--:", ":-:"]), min_size=len(cells), max_size=len(cells)))
        rows = draw(st.lists(st.lists(st.sampled_from(["1", '"q"', "![i](p.png)", "--"]), max_size=5), max_size=3))
        return "\n".join(["| " + " | ".join(cells) + " |", "|" + "|".join(align) + "|", *("| " + " | ".join(r) + " |" for r in rows)])
    if kind == 8:
        return f"```{draw(st.sampled_from(['', 'py', 'js x', ' yaml ']))}\n{text}\n```"
    if kind == 9:
        return "    " + text.replace("\n", "\n    ")
    if kind == 10:
        return draw(st.sampled_from(["***", "---", "___"]))
    if kind == 11:
        return f"[ref]: {draw(st.sampled_from(SAFE_URLS if plain else URLS_IN_TEXT))}"
    if kind == 12:
        return f"[^1]: {text}"
    return f"Term\n: {text}"


@settings(max_examples=200, deadline=None)
@given(st.lists(block(), min_size=1, max_size=6), st.sampled_from(["\n\n", "\n"]), st.integers(1, 30))
def test_random_markdown_renders_the_same_both_ways(blocks: list[str], sep: str, first_line: int) -> None:
    text = sep.join(blocks) + "\n"
    pure, fast = both_ways(text, first_line)
    assert fast == pure


@settings(max_examples=200, deadline=None)
@given(st.lists(block(plain=True), min_size=1, max_size=6), st.sampled_from(["\n\n", "\n"]), st.integers(1, 30))
def test_random_write_ups_render_the_same_both_ways(blocks: list[str], sep: str, first_line: int) -> None:
    """Texts made of what write-ups hold, most of which the fast path parses itself."""
    text = sep.join(blocks) + "\n"
    pure, fast = both_ways(text, first_line)
    assert fast == pure


# Fragments that meet at every boundary: quotes, lists, tables, fences, definitions, setext
# underlines, with and without a final newline (a Markdown field in YAML often has none).
FRAGMENTS = [
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "10. ",
    "> ",
    ">> ",
    "# ",
    "## ",
    "| a |",
    "|---|",
    "| :-: |",
    "| b | c |",
    "\n",
    "\n\n",
    "  ",
    "   ",
    "    ",
    "\t",
    "a",
    "word",
    "it's",
    "'q'",
    '"d"',
    "***",
    "---",
    "===",
    "```",
    "``",
    "`c`",
    "[l](/x/)",
    "![i](p.png)",
    '![a](b "t")',
    "[a](<b c>)",
    "[r]: /y/",
    "[r]",
    "*e*",
    "**s**",
    "_u_",
    "__v__",
    "\\",
    "&amp;",
    "&#34;",
    "<b>",
    "(c)",
    "--",
    "...",
    "é",
    " 日本 ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=14), st.booleans(), st.integers(1, 30))
def test_random_fragments_render_the_same_both_ways(fragments: list[str], newline: bool, first_line: int) -> None:
    text = "".join(fragments) + ("\n" if newline else "")
    pure, fast = both_ways(text, first_line)
    assert fast == pure
