"""Markdown links and images: an address that runs code or hides content is left out however it is disguised."""

from __future__ import annotations

import pytest

from propgen.markdown import render_markdown, unsafe_scheme
from propgen.urls import Urls


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript:"),
        ("JaVaScRiPt:alert(1)", "javascript:"),
        ("java%73cript:alert(1)", "javascript:"),
        ("%6A%61%76%61script:alert(1)", "javascript:"),
        ("%256Aavascript:alert(1)", "javascript:"),  # encoded twice
        ("&#106;avascript:alert(1)", "javascript:"),
        ("&#x6A;avascript&colon;alert(1)", "javascript:"),
        ("%26%23106;avascript:alert(1)", "javascript:"),  # an entity, percent-encoded
        (" \tjava\nscript:alert(1)", "javascript:"),
        ("java%09script:alert(1)", "javascript:"),
        ("\x01javascript:alert(1)", "javascript:"),
        ("java\u200bscript:alert(1)", "javascript:"),
        ("vbscript:MsgBox(1)", "vbscript:"),
        ("VBSCRIPT%3AMsgBox(1)", "vbscript:"),
        ("data:text/html,<script>alert(1)</script>", "data:"),
        ("DATA:image/svg+xml;base64,PHN2Zz4=", "data:"),
        ("file:///etc/passwd", "file:"),
        ("https://events.example/", None),
        ("mailto:hello@events.example", None),
        ("/about/", None),
        ("images/javascript:logo.png", None),  # a path, not a scheme
        ("#data:section", None),
    ],
)
def test_unsafe_schemes_are_found_however_written(url: str, scheme: str | None) -> None:
    assert unsafe_scheme(url) == scheme


def test_unsafe_links_keep_their_words_and_unsafe_images_go() -> None:
    text = (
        "Intro [safe](https://events.example/) [bad](javascript:alert(1)) **bold [x](java%73cript:y) z**\n"
        "![pic](data:image/png;base64,AAAA) ![ok](images/ok.png) [ref][r]\n\n"
        "[r]: vbscript:x\n"
    )
    rendered = render_markdown(text, Urls("https://events.example/sub/"), first_line=5)
    assert rendered.html == (
        '<p>Intro <a href="https://events.example/">safe</a> bad <strong>bold x z</strong>\n'
        ' <img src="/sub/images/ok.png" alt="ok" loading="lazy" /> ref</p>\n'  # the picture is gone, its space stays
    )
    assert [(d.line, d.scheme, d.image) for d in rendered.dropped] == [
        (5, "javascript:", False),
        (5, "javascript:", False),
        (6, "data:", True),
        (6, "vbscript:", False),
    ]
    assert [(i.path, i.line) for i in rendered.images] == [("images/ok.png", 6)]
