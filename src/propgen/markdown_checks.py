"""Which Markdown texts the fast path (`markdown_fast.py`) leaves to markdown-it-py, seen
in the text before parsing: where markdown-it-pyrs and markdown-it-py read the same text
differently, or where markdown-it-pyrs 0.4 could crash. Each check is a difference that
tests/unit/test_markdown_fast.py (or a fuzzer run while writing it) found, made a little
wider than the case found, and cheap: most write-ups pass every check with a few substring
searches. What only the syntax tree shows is checked in `markdown_fast.py`.
"""

from __future__ import annotations

import html
import itertools
import re

# markdown-it's link check refuses these schemes (markdown.py lets them through to warn about
# them): any text that could hold one, however written, stays with markdown-it-py.
_SCHEME = re.compile(r"(?:script|file|data)\\?:")  # searched in the lowercased text
# Emphasis, strong and strikethrough open or close by the class of the character beside them.
_DELIMITER_BY_NON_ASCII = re.compile("[^\x00-\x7f][*_~]|[*_~][^\x00-\x7f]")
# A line that could hold a definition list's ':' or '~' (after any list or quote markers).
_DEFINITION = re.compile(r"^[ \t>*+\-.)\d]*[:~][ \t]", re.MULTILINE)
# A line opening or closing fenced code with backticks, after any list or quote markers.
_FENCE = re.compile(r"^(?:[ \t]*(?:[-*+]|\d{1,9}[.)]|>)[ \t]?)*[ ]{0,3}(```+)(.*)$")
_SETEXT = re.compile(r"^[ \t>]*(?:=+|-+)[ \t]*$", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t>]*\n")
_QUOTE_LINE = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*>")


def differs(text: str) -> bool:
    """Whether the two parsers could read `text` differently (then markdown-it-py parses it)."""
    # Characters str.isprintable() refuses (newlines aside): control characters
    # (markdown-it-py turns NUL into U+FFFD and CR into LF), spaces other than ' ' (Python's
    # str.strip() removes them, Rust's trim of ASCII blanks keeps them), zero-width and other
    # invisible characters whose class the two parsers' Unicode tables may disagree on.
    if not text.replace("\n", "").isprintable():
        return True  # tabs too: the parsers expand them differently inside quotes and lists
    if not text.isascii() and _DELIMITER_BY_NON_ASCII.search(text):
        return True  # the parsers' Unicode tables differ: leave these to markdown-it-py
    if "`" in text and "[" in text and _code_spans_and_brackets(text):
        return True  # markdown-it-pyrs 0.4 panics on a '[' before a '`' that closes nothing
    lower = (html.unescape(text) if "&" in text else text).lower()
    if ("script" in lower or "file" in lower or "data" in lower) and _SCHEME.search(lower):
        return True  # markdown-it-pyrs refuses such links, propgen drops them with a warning
    if "[^" in text or "^[" in text or (_definition_marks(text) and _DEFINITION.search(text)):
        return True  # footnotes and definition lists: markdown-it-py's plugins decide
    if "]:" in text and any("]:" in block and ("\\" in block or _SETEXT.search(block)) for block in _BLANK_LINE.split(text)):
        return True  # a link reference definition beside a backslash or above a setext underline: read differently
    if not text.endswith("\n") and ("`" in text or "    " in text):
        return True  # code running to the end of a text without a final newline: its last newline differs
    if ">" in text and _lazy_quote(text):
        return True  # a quote's lazy line: markdown-it-py lets a list end the quote where markdown-it-pyrs continues it
    if "*_" in text or "_*" in text:
        return True  # '*' and '_' runs side by side: the parsers pair some of these differently
    return "~~" in text  # strikethrough: the parsers pair runs of tildes differently (runs of 3+, across emphasis)


def _lazy_quote(text: str) -> bool:
    """Whether a line of a block quote is followed by a line that is neither quoted nor blank."""
    lines = text.split("\n")
    return any(
        _QUOTE_LINE.match(line) and following.strip(" \t") and not _QUOTE_LINE.match(following)
        for line, following in itertools.pairwise(lines)
    )


def _definition_marks(text: str) -> bool:
    return ": " in text or ":\t" in text or "~ " in text or "~\t" in text


def _code_spans_and_brackets(text: str) -> bool:
    """Whether backticks outside fenced code share the text with a '['. markdown-it-pyrs 0.4
    (markdown-it.rs 0.6) panics when it scans a run of backticks that closes nothing twice,
    which a link's label makes it do; telling that apart from harmless code spans needs the
    parser, so any code span beside a bracket goes to markdown-it-py."""
    fence = ""
    for line in text.split("\n"):
        found = _FENCE.match(line)
        if not fence:
            if found and "`" not in found.group(2):
                fence = found.group(1)
            elif "`" in line:
                return True
        elif found and found.group(1).startswith(fence) and not found.group(2).strip():
            fence = ""
    return bool(fence)  # a fence never closed: not sure what was code
