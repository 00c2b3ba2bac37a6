"""The css_string filter: any text becomes one CSS string that a <style> element can hold,
for the print header of private pages (partials/print-running.html)."""

from __future__ import annotations

import re

from markupsafe import Markup

from propgen.theme import css_string


def unescape_css(value: str) -> str:
    """How a CSS parser reads a string token made of plain characters and hex escapes."""
    assert value.startswith('"') and value.endswith('"')
    return re.sub(r"\\([0-9a-f]{1,6}) ?", lambda m: chr(int(m.group(1), 16)), value[1:-1])


def test_quotes_backslashes_line_breaks_and_markup_cannot_end_the_string_or_the_style() -> None:
    text = 'Forum "2027"\\ & Co.\n</style><script>alert(1)</script>'
    quoted = str(css_string(text))
    inner = quoted[1:-1]
    assert '"' not in inner and "<" not in inner and "\n" not in inner and "&" not in inner
    assert unescape_css(quoted) == text


def test_escaped_html_is_read_as_its_text() -> None:
    """Templates pass Markup (gettext's output): the string holds the text, not '&amp;'."""
    assert unescape_css(str(css_string(Markup("Pratama &amp; Lestari")))) == "Pratama & Lestari"
    assert css_string("Sari Wijaya · Events") == '"Sari Wijaya · Events"'
